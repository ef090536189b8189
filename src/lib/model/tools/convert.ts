// Converting definitions between the current `tools` format and legacy
// `functions`, and the Format button.

import { isObject, parseJson, prettyJson, type JsonObject as Json } from '../json';
import { firstJsonSyntaxError } from '../json/syntax';
import { fail, ok, type Result } from '../result';
import type { ToolFormat } from '../types';
import { isBlank } from './names';

function itemLabel(name: unknown, index: number): string {
  return typeof name === 'string' && name !== '' ? `"${name}"` : `item [${index}]`;
}

/** `{type:'function', function:{…}}` -> `{name, description, parameters}`. */
function toLegacy(item: unknown, index: number, notes: string[]): unknown {
  if (!isObject(item)) {
    notes.push(`Kept item [${index}] as it is: it is not a tool definition.`);
    return item;
  }
  if (item.type === undefined && item.function === undefined && 'name' in item) return item; // already legacy
  if (item.type === 'custom') {
    const custom = isObject(item.custom) ? item.custom : {};
    notes.push(
      `Kept custom tool ${itemLabel(custom.name, index)} as it is: legacy functions have no custom tools.`,
    );
    return item;
  }
  if ((item.type !== 'function' && item.type !== undefined) || !isObject(item.function)) {
    notes.push(`Kept item [${index}] as it is: it is not a function tool.`);
    return item;
  }
  const fn = item.function;
  const label = itemLabel(fn.name, index);
  const out: Json = {};
  // Key order name, description, parameters, then anything else the function had.
  for (const key of ['name', 'description', 'parameters']) if (key in fn) out[key] = fn[key];
  for (const [key, v] of Object.entries(fn)) {
    if (key in out) continue;
    if (key === 'strict') {
      notes.push(`Dropped "strict" from ${label}: legacy functions do not support it.`);
      continue;
    }
    out[key] = v;
  }
  for (const key of Object.keys(item)) {
    if (key !== 'type' && key !== 'function') notes.push(`Dropped "${key}" from ${label}.`);
  }
  return out;
}

/** `{name, description?, parameters?}` -> `{type:'function', function:{…}}`. */
function toTool(item: unknown, index: number, notes: string[]): unknown {
  if (!isObject(item)) {
    notes.push(`Kept item [${index}] as it is: it is not a function definition.`);
    return item;
  }
  if ('type' in item || 'function' in item || 'custom' in item) return item; // already a tool
  if (!('name' in item)) {
    notes.push(`Kept item [${index}] as it is: it has no "name".`);
    return item;
  }
  return { type: 'function', function: { ...item } };
}

/** Converts a definitions array between the formats. Items that cannot be converted are kept as they are and explained in notes. */
export function convertTools(
  value: unknown[],
  to: ToolFormat,
): { value: unknown[]; notes: string[] } {
  const notes: string[] = [];
  const out = value.map((item, i) =>
    to === 'functions' ? toLegacy(item, i, notes) : toTool(item, i, notes),
  );
  return { value: out, notes };
}

/** Parses text that must hold a JSON array; says why not otherwise. */
export function parseArrayText(text: string): Result<unknown[]> {
  const parsed = parseJson(text, 'Tools JSON is');
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!Array.isArray(value))
    return fail('Tools JSON must be an array: wrap the definitions in [ ].');
  return ok(value);
}

/** Same on text: parses, converts, pretty-prints with 2-space indent. Fails with a message when the text is not a valid JSON array. Blank text stays blank. */
export function convertToolsText(
  text: string,
  to: ToolFormat,
): Result<{ text: string; notes: string[] }> {
  if (isBlank(text)) return ok({ text, notes: [] });
  const parsed = parseArrayText(text);
  if (!parsed.ok) return parsed;
  const { value, notes } = convertTools(parsed.value, to);
  return ok({ text: JSON.stringify(value, null, 2), notes });
}

/** Pretty-prints JSON with 2-space indent (the "Format" button). Blank text stays blank. */
export function formatJsonText(text: string): Result<string> {
  if (isBlank(text)) return ok('');
  const syntax = firstJsonSyntaxError(text);
  if (syntax) {
    return fail(`Cannot format: line ${syntax.line}, column ${syntax.column}: ${syntax.message}`);
  }
  // Literals (1.0, 1e3, big integers) stay as written.
  return ok(prettyJson(text) ?? text);
}
