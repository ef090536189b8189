// One way Parley pretty-prints JSON text: two-space indentation, values kept
// exactly as typed (1.0 stays 1.0, big integers keep every digit), which
// JSON.stringify(JSON.parse(...)) would not do.

import { applyEdits, format, modify, type FormattingOptions } from 'jsonc-parser';

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
 * text around it is edited, not rebuilt, so the user's own literals stay as
 * written. `text` must hold a JSON array.
 */
export function withItemAppended(text: string, item: unknown): string {
  const edited = applyEdits(text, modify(text, [-1], item, { formattingOptions: FORMATTING }));
  return prettyJson(edited) ?? edited;
}
