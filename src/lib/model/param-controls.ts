// What the parameter controls need beyond the rules in params.ts: a value set
// or removed, where a slider starts and steps, and stop sequences shown with
// their invisible characters escaped. Loaded with the panels, never at startup.

import { numericParam, type NumericParamKey } from './params';
import type { Params } from './types';

// Stop sequences are often invisible (a newline, a tab), so the text box shows
// them as escapes. The backslash is escaped too, so that a literal backslash-n
// and a real newline stay distinguishable and every string round-trips.
const TO_DISPLAY: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
const FROM_DISPLAY: Record<string, string> = { '\\': '\\', n: '\n', t: '\t', r: '\r' };

export function stopToDisplay(s: string): string {
  return s.replace(/[\\\n\t\r]/g, (c) => TO_DISPLAY[c]!);
}

/** A backslash before any other character (or at the end) stays a backslash. */
export function stopFromDisplay(s: string): string {
  return s.replace(/\\([\\ntr])/g, (_, c: string) => FROM_DISPLAY[c]!);
}

/** Params with one key set, or removed when value is undefined: a new object every time. */
export function withParam<K extends keyof Params>(
  params: Params,
  key: K,
  value: Params[K] | undefined,
): Params {
  const next = { ...params };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The value a parameter takes when the user switches it on without moving it. */
export function initialValue(key: NumericParamKey): number {
  const p = numericParam(key);
  if (p.apiDefault !== undefined) return p.apiDefault;
  if (key === 'max_tokens') return 1024;
  return Math.max(p.min, 0);
}

/**
 * The slider's span. Same as the valid range except for seed, whose range
 * (any safe integer) no slider can cover usefully; the number box takes any.
 */
export function sliderRange(key: NumericParamKey): { min: number; max: number } {
  if (key === 'seed') return { min: 0, max: 1000 };
  if (key === 'max_tokens') return { min: 1, max: 32_768 };
  const p = numericParam(key);
  return { min: p.min, max: p.max };
}

const decimals = (step: number) => (String(step).split('.')[1] ?? '').length;

/**
 * One keyboard step from the current value (or the shown default when unset),
 * clamped to the range and rounded to the step so 0.1 + 0.2 stays 0.3.
 */
export function stepParam(
  key: NumericParamKey,
  current: number | undefined,
  direction: 1 | -1,
  big: boolean,
): number {
  const p = numericParam(key);
  const base = current !== undefined && Number.isFinite(current) ? current : initialValue(key);
  const next = base + direction * p.step * (big ? 10 : 1);
  const clamped = Math.min(p.max, Math.max(p.min, next));
  return Number(clamped.toFixed(decimals(p.step)));
}
