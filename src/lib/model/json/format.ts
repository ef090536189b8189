// One way Parley pretty-prints JSON text: two-space indentation, values kept
// exactly as typed (1.0 stays 1.0, big integers keep every digit), which
// JSON.stringify(JSON.parse(...)) would not do.

import { applyEdits, format, type FormattingOptions } from 'jsonc-parser';

const FORMATTING: FormattingOptions = { tabSize: 2, insertSpaces: true, eol: '\n' };

/** `text` pretty-printed, or null when it is not valid JSON. */
export function prettyJson(text: string): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  return applyEdits(text, format(text, undefined, FORMATTING)).trim();
}

/**
 * The JSON array in `text` with `item` added at the end, pretty-printed. The
 * text before it is kept, not rebuilt, so the user's own literals stay as
 * written. `text` must hold a JSON array, so its last non-blank character is
 * the closing bracket, and the array is empty when only `[` comes before it.
 */
export function withItemAppended(text: string, item: unknown): string {
  const before = text.trimEnd().slice(0, -1);
  const comma = before.trim() === '[' ? '' : ',';
  const edited = `${before}${comma}${JSON.stringify(item)}]`;
  return prettyJson(edited) ?? edited;
}
