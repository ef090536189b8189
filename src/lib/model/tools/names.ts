// The API's rule for function and custom tool names, and blank Tools text
// (nothing to send): shared by the checker, the converters and the form.

export const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;
export const NAME_CHARS_RE = /^[a-zA-Z0-9_-]*$/;
export const NAME_MAX = 64;

export function isBlank(text: string): boolean {
  return text.trim() === '';
}
