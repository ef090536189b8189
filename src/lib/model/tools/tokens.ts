// Estimated prompt tokens of tool definitions. Needs nothing from the validator,
// so the token counter (and its worker) stay small. Pure.

import { isObject } from '../json';
import type { ToolFormat } from '../types';

function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

// From the OpenAI cookbook "How to count tokens with tiktoken" (num_tokens_for_tools).
const FUNC_INIT = 7;
const PROP_INIT = 3;
const PROP_KEY = 3;
const ENUM_INIT = -3;
const ENUM_ITEM = 3;
const FUNC_END = 12;

/** Schema parts below a property that the formula does not cover: counted as JSON text. */
const NESTED_KEYS = ['properties', 'items', 'anyOf'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function withoutDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

function typeText(t: unknown): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string').join(',');
  return '';
}

function functionTokens(fn: unknown, count: (text: string) => number): number | null {
  if (!isObject(fn)) return null;
  let n = FUNC_INIT + count(`${str(fn.name)}:${withoutDot(str(fn.description))}`);
  const params = fn.parameters;
  const props = isObject(params) && isObject(params.properties) ? params.properties : {};
  const keys = Object.keys(props);
  if (keys.length === 0) return n;
  n += PROP_INIT;
  for (const key of keys) {
    n += PROP_KEY;
    const p = props[key];
    if (!isObject(p)) {
      n += count(`${key}::`);
      continue;
    }
    if (Array.isArray(p.enum)) {
      n += ENUM_INIT;
      for (const item of p.enum)
        n += ENUM_ITEM + count(typeof item === 'string' ? item : jsonText(item));
    }
    n += count(`${key}:${typeText(p.type)}:${withoutDot(str(p.description))}`);
    for (const nested of NESTED_KEYS) if (p[nested] !== undefined) n += count(jsonText(p[nested]));
  }
  return n;
}

function itemTokens(
  item: unknown,
  format: ToolFormat,
  count: (text: string) => number,
): number | null {
  if (!isObject(item)) return null;
  if (format === 'functions') return 'name' in item ? functionTokens(item, count) : null;
  if (item.type === 'custom' && isObject(item.custom)) {
    const custom = item.custom;
    let n = FUNC_INIT + count(`${str(custom.name)}:${withoutDot(str(custom.description))}`);
    if (custom.format !== undefined) n += count(jsonText(custom.format));
    return n;
  }
  return functionTokens(item.function, count);
}

/** Estimated prompt tokens the definitions add, OpenAI-cookbook style. countTokens counts plain text. */
export function estimateToolTokens(
  value: unknown[],
  format: ToolFormat,
  countTokens: (text: string) => number,
): number {
  let total = 0;
  let counted = 0;
  for (const item of value) {
    const n = itemTokens(item, format, countTokens);
    if (n === null) continue; // garbage is skipped
    total += n;
    counted++;
  }
  return counted > 0 ? total + FUNC_END : 0;
}
