// The API key never leaves in an artefact. Exports (JSON, Markdown, request
// body), share links and the request views pass their text through here, so
// a key pasted into a message or echoed back by a server is replaced too, not
// only the Authorization header.

export const REDACTED = '[redacted]';

/** Shorter strings are not taken for a key: replacing them would mangle text. */
const MIN_SECRET = 8;

/** The secret as it was meant: without surrounding white space or zero-width characters. */
export const cleanedSecret = (secret: string) =>
  secret.replace(/[\u200b-\u200d\u2060\ufeff]/g, '').trim();

/**
 * `text` with every occurrence of each secret replaced by [redacted], as it
 * is and as it appears escaped inside a JSON string.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const raw of secrets) {
    const secret = cleanedSecret(raw);
    if (secret.length < MIN_SECRET) continue;
    const escaped = JSON.stringify(secret).slice(1, -1);
    for (const form of new Set([secret, escaped])) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/**
 * For text that only grows (a streaming answer): replaces the secret where it
 * may have been completed since `from` (the length already checked), so each
 * update costs its new characters, not the whole text again.
 */
export function scrubGrowing(text: string, secret: string, from: number): string {
  if (secret.length < MIN_SECRET || text.length < secret.length) return text;
  const start = Math.max(0, from - secret.length + 1);
  if (text.indexOf(secret, start) < 0) return text;
  return text.slice(0, start) + text.slice(start).split(secret).join(REDACTED);
}
