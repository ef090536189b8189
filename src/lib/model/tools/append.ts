// Adding a tool to the definitions without disturbing what the user typed.

import { isObject, withItemAppended, type JsonObject as Json } from '../json';
import { fail, ok, type Result } from '../result';
import type { ToolFormat } from '../types';
import { convertTools, parseArrayText } from './convert';
import { isBlank, NAME_MAX } from './names';

/** Every name defined in the array, in either format. */
function namesIn(value: unknown[]): Set<string> {
  const names = new Set<string>();
  for (const item of value) {
    if (!isObject(item)) continue;
    for (const holder of [item, item.function, item.custom]) {
      if (isObject(holder) && typeof holder.name === 'string') names.add(holder.name);
    }
  }
  return names;
}

/** `name`, or `name_2`, `name_3`… (cut to stay within 64 characters) when taken. */
function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = name.slice(0, NAME_MAX - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Appends a tool (given in `tools` format; converted when `format` is 'functions') to the array in `text` and returns the new pretty-printed text. Blank text becomes a one-item array. When the text is not a valid array, fails with a message (never destroys the user's text). If the name is taken, suffix _2, _3… */
export function appendTool(
  text: string,
  format: ToolFormat,
  tool: Record<string, unknown>,
): Result<{ text: string; name: string }> {
  const base = isBlank(text) ? '[]' : text;
  const parsed = parseArrayText(base);
  if (!parsed.ok) return fail(`Cannot add the tool: ${parsed.error}`);

  // A deep copy, so the template (or caller's object) is never changed.
  const copy = JSON.parse(JSON.stringify(tool)) as Json;
  const holder = isObject(copy.function)
    ? copy.function
    : isObject(copy.custom)
      ? copy.custom
      : copy;
  let name = typeof holder.name === 'string' ? holder.name : '';
  if (name !== '') {
    name = freeName(name, namesIn(parsed.value));
    holder.name = name;
  }
  const item = format === 'functions' ? convertTools([copy], 'functions').value[0] : copy;

  return ok({ text: withItemAppended(base, item), name });
}
