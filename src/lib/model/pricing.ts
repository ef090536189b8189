// What an answer cost, from the usage the provider reported, and what the next
// prompt will roughly cost. Pure TypeScript: the user's own prices (stored by
// lib/store) are passed in as overrides.

import type { Usage } from './types';

/** US dollars per 1 million tokens. */
export interface Price {
  input: number;
  /** Prompt tokens served from the provider's cache; priced as `input` when absent. */
  cachedInput?: number;
  output: number;
  /** Audio tokens in the prompt and in the answer; priced as text when absent. */
  audioInput?: number;
  audioOutput?: number;
}

/** The price fields that may be left out: each falls back to a text price. */
export const OPTIONAL_PRICES = ['cachedInput', 'audioInput', 'audioOutput'] as const;

export type PriceTable = Readonly<Record<string, Price>>;

/**
 * The day the built-in prices below were copied. They are OpenAI's list prices
 * (standard tier, per 1M tokens) as of that date, from memory of
 * https://openai.com/api/pricing — prices change: they must be checked against
 * the provider's page, and the user can override any of them in Prices.
 */
export const PRICES_AS_OF = '2025-08-07';

/**
 * Keys are model id prefixes. A key matches the id itself or the id followed by
 * "-…" (dated snapshots), and the longest matching key wins, so
 * gpt-4o-2024-08-06 is gpt-4o, gpt-4o-mini is not gpt-4o, and gpt-4.5 is not gpt-4.
 */
export const BUILTIN_PRICES: PriceTable = {
  'gpt-4': { input: 30, output: 60 },
  'gpt-4-32k': { input: 60, output: 120 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4-1106': { input: 10, output: 30 },
  'gpt-4-0125': { input: 10, output: 30 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  'o1-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4o-audio-preview': { input: 2.5, output: 10, audioInput: 40, audioOutput: 80 },
  'gpt-4o-mini-audio-preview': { input: 0.15, output: 0.6, audioInput: 10, audioOutput: 20 },
  'gpt-audio': { input: 2.5, output: 10, audioInput: 32, audioOutput: 64 },
};

/** Built-ins with the user's prices on top (theirs win, key by key). */
export function mergePrices(overrides: PriceTable): PriceTable {
  return { ...BUILTIN_PRICES, ...overrides };
}

function matches(id: string, prefix: string): boolean {
  return id === prefix || id.startsWith(prefix + '-');
}

/**
 * The longest of `keys` that names `model` or a dated/variant id of it
 * (key + "-…"), compared without case. "openai/gpt-4o" (routers) is tried as
 * itself first, then as "gpt-4o".
 */
export function longestPrefixMatch(model: string, keys: Iterable<string>): string | undefined {
  const full = model.trim().toLowerCase();
  const candidates = full.includes('/') ? [full, full.slice(full.lastIndexOf('/') + 1)] : [full];
  const list = [...keys];
  for (const id of candidates) {
    let best: string | undefined;
    for (const key of list) {
      const k = key.trim().toLowerCase();
      if (k !== '' && matches(id, k) && (best === undefined || k.length > best.length)) best = key;
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

/** The price entry for a model id, or undefined when none matches. */
export function findPrice(
  model: string,
  table: PriceTable = BUILTIN_PRICES,
): { key: string; price: Price } | undefined {
  const key = longestPrefixMatch(model, Object.keys(table));
  return key === undefined ? undefined : { key, price: table[key]! };
}

/**
 * Dollars for a reported usage: cached prompt tokens at the cached rate, audio
 * tokens (part of the prompt and completion counts) at the audio rates.
 */
export function costOfUsage(usage: Usage, price: Price): number {
  const cached = Math.min(usage.cachedPrompt ?? 0, usage.prompt);
  const audioIn = Math.min(usage.audioPrompt ?? 0, usage.prompt - cached);
  const audioOut = Math.min(usage.audioCompletion ?? 0, usage.completion);
  const text = usage.prompt - cached - audioIn;
  const prompt =
    text * price.input +
    cached * (price.cachedInput ?? price.input) +
    audioIn * (price.audioInput ?? price.input);
  const answer =
    (usage.completion - audioOut) * price.output + audioOut * (price.audioOutput ?? price.output);
  return (prompt + answer) / 1e6;
}

/** Dollars for prompt tokens sent uncached (an estimate before sending). */
export function costOfPrompt(tokens: number, price: Price): number {
  return (tokens * price.input) / 1e6;
}

/** "$0.0021", "$0.000038", "$1.25": small amounts keep two significant digits. */
export function formatUsd(dollars: number): string {
  if (dollars === 0) return '$0';
  if (dollars >= 1) return `$${dollars.toFixed(2)}`;
  if (dollars >= 0.01) return `$${dollars.toFixed(4)}`;
  // Nudge up before rounding so 3.75e-5 (stored as 3.7499…e-5) reads $0.000038, not …37.
  const rounded = Number((dollars * (1 + 1e-9)).toPrecision(2));
  const digits = Math.max(0, 1 - Math.floor(Math.log10(rounded)));
  return `$${rounded.toFixed(digits)}`;
}

/** A user's price entry checked again on read: storage is shared with devtools and older versions. */
function readPrice(raw: unknown): Price | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!ok(o.input) || !ok(o.output)) return undefined;
  const price: Price = { input: o.input, output: o.output };
  for (const key of OPTIONAL_PRICES) {
    const value = o[key];
    if (ok(value)) price[key] = value;
  }
  return price;
}

/** Only well-formed entries with non-empty keys survive. */
export function readPriceTable(raw: unknown): Record<string, Price> {
  const out: Record<string, Price> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    const k = key.trim();
    const price = readPrice(value);
    if (k !== '' && k !== '__proto__' && price) out[k] = price;
  }
  return out;
}
