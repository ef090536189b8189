/** The host the user will recognise in messages, e.g. `api.openai.com` or `localhost:11434`. */
export function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}
