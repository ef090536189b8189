// The API key never leaves in an artefact. Exports (JSON, Markdown, request
// body), share links and the request views pass their text through here, so
// a key pasted into a message or echoed back by a server is replaced too, not
// only the Authorization header.

export const REDACTED = '[redacted]';

/** Shorter strings are not taken for a key: replacing them would mangle text. */
const MIN_SECRET = 8;

/** The secret as it was meant: without surrounding white space or zero-width characters. */
const cleaned = (secret: string) => secret.replace(/[\u200b-\u200d\u2060\ufeff]/g, '').trim();

/**
 * `text` with every occurrence of each secret replaced by [redacted], as it
 * is and as it appears escaped inside a JSON string.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const raw of secrets) {
    const secret = cleaned(raw);
    if (secret.length < MIN_SECRET) continue;
    const escaped = JSON.stringify(secret).slice(1, -1);
    for (const form of new Set([secret, escaped])) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}
