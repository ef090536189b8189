// One way Parley pretty-prints JSON text: two-space indentation, values kept
// exactly as typed (1.0 stays 1.0, big integers keep every digit), which
// JSON.stringify(JSON.parse(...)) would not do. It re-spaces the tokens of
// text JSON.parse accepted, so it needs no parser of its own (and keeps
// jsonc-parser's formatter off the page's startup path).

const INDENT = '  ';
const isBlank = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t';

/**
 * `text` pretty-printed, or null when it is not valid JSON. Only the space
 * between tokens changes: strings and numbers are copied as they are.
 */
export function prettyJson(text: string): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  let out = '';
  let depth = 0;
  const newline = () => `\n${INDENT.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (isBlank(c)) continue;
    if (c === '"') {
      // A whole string: valid JSON, so its closing quote is the first one not escaped.
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end;
    } else if (c === '{' || c === '[') {
      let next = i + 1;
      while (isBlank(text[next] ?? '')) next++;
      if (text[next] === (c === '{' ? '}' : ']')) {
        out += c + text[next];
        i = next;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') out += `,${newline()}`;
    else if (c === ':') out += ': ';
    else out += c;
  }
  return out;
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
