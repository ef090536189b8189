// Compare mode, what its view reads: how many panes fit, the last answer of
// each, ranks, sweep values, and how the panes' inputs differ. Only the
// compare view and the Markdown export need it, so it stays off the startup
// path (compare.ts holds what a conversation needs to be loaded and sent).

import { MAX_PANES, type SweepKey } from './compare';
import { checkParam } from './params';
import { ok, type Result } from './result';
import type { Message, Params, ToolsConfig } from './types';

/** The narrowest a pane gets before the next one moves out of view (CSS px). */
const PANE_MIN_PX = 400;
/** The space between two panes (CSS px). */
export const PANE_GAP_PX = 12;

/**
 * How many whole panes fit side by side in `width` CSS px: at least one, at
 * most `count`; all of them while the width is unknown (0, not laid out).
 */
export function panesThatFit(width: number, count: number): number {
  if (width <= 0) return count;
  const fit = Math.floor((width + PANE_GAP_PX) / (PANE_MIN_PX + PANE_GAP_PX));
  return Math.max(1, Math.min(fit, count));
}

/** "temperature 0.2", "max_tokens not sent": an override as a chip reads. */
export function describeOverride(key: string, value: unknown): string {
  if (value === null || value === undefined) return `${key} not sent`;
  if (typeof value === 'string') return `${key} ${value === '' ? '""' : value}`;
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return `${key} ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
  }
  return `${key} ${String(value)}`;
}

/** The answer a pane's last turn produced (the last assistant message), if any. */
export function lastAnswer(messages: readonly Message[]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant') return m;
    if (m.role === 'user') return undefined;
  }
  return undefined;
}

/**
 * 1-based ranks, lowest value first; equal values share a rank; undefined
 * values (unknown cost or time) get no rank.
 */
export function ranks(values: readonly (number | undefined)[]): (number | undefined)[] {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  return values.map((v) => (v === undefined ? undefined : known.indexOf(v) + 1));
}

/** "0, 0.7, 1.4" → [0, 0.7, 1.4], each checked against the parameter's range. */
export function parseSweepValues(
  key: SweepKey,
  text: string,
  maxPanes = MAX_PANES,
): Result<number[]> {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) return { ok: false, error: 'List the values, e.g. 0, 0.7, 1.4.' };
  const values: number[] = [];
  for (const part of parts) {
    const v = Number(part);
    if (!Number.isFinite(v)) {
      return { ok: false, error: `"${part}" is not a number.` };
    }
    const check = checkParam(key, v);
    if (!check.ok) return { ok: false, error: check.error };
    if (values.includes(v)) return { ok: false, error: `${v} is listed twice.` };
    values.push(v);
  }
  if (values.length < 2) return { ok: false, error: 'A sweep needs at least two values.' };
  if (values.length > maxPanes) {
    return { ok: false, error: `At most ${maxPanes} values (one pane each).` };
  }
  return ok(values);
}

/** What a pane's last answer was asked with, besides its model. */
export interface PaneInput {
  systemMessage: string;
  tools: ToolsConfig;
  params: Params;
  /** The turns the pane's request carried (its answers may differ: each pane has its own). */
  history: readonly Message[];
}

/**
 * The parameters that make two answers' cost and speed unlike: they change the
 * prompt (response_format, web search, extra), how much is generated or how
 * fast (verbosity, service tier, a prediction, audio). Sampling parameters
 * (temperature, top_p, penalties, seed) are what a comparison usually varies.
 */
const INPUT_PARAMS = [
  'n',
  'max_tokens',
  'stop',
  'response_format',
  'reasoning_effort',
  'verbosity',
  'service_tier',
  'modalities',
  'prediction',
  'web_search_options',
  'extra',
] as const satisfies readonly (keyof Params)[];

/** The turns a user wrote, which every pane should have been asked: answers and tool results differ by design. */
const askedOf = (history: readonly Message[]) =>
  history.filter((m) => m.role !== 'assistant' && m.role !== 'tool');

function askedTurns(history: readonly Message[]): string {
  return JSON.stringify(askedOf(history).map((m) => [m.role, m.content, m.name ?? '']));
}

/**
 * What inputDifferences reads of one input, as references (values are replaced
 * whole, never edited): while they stay the same, so do the differences, and a
 * streaming answer need not recompute them on every update.
 */
export function differenceInputs(input: PaneInput): unknown[] {
  return [input.systemMessage, input.tools, input.params, ...askedOf(input.history)];
}

function sentTools(t: ToolsConfig): string {
  const json = t.json.trim();
  return json === '' ? '' : JSON.stringify([json, t.format, t.choice ?? null, t.parallel ?? null]);
}

function listNames(names: readonly string[]): string {
  return names.length < 2
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * How the panes' inputs differ, one phrase per difference ("system message:
 * Pane 2 differs from Pane 1", "max_tokens: Pane 1 256, Pane 2 not sent");
 * empty when every pane was asked the same thing. The model is left out: it is
 * what a comparison compares.
 */
export function inputDifferences(panes: readonly { name: string; input: PaneInput }[]): string[] {
  const first = panes[0];
  if (!first || panes.length < 2) return [];
  const out: string[] = [];
  const aspect = (label: string, key: (i: PaneInput) => string) => {
    const base = key(first.input);
    const odd = panes.filter((p) => key(p.input) !== base).map((p) => p.name);
    if (odd.length === 0) return;
    const verb = odd.length === 1 ? 'differs' : 'differ';
    out.push(`${label}: ${listNames(odd)} ${verb} from ${first.name}`);
  };
  aspect('system message', (i) => i.systemMessage.trim());
  aspect('tools', (i) => sentTools(i.tools));
  aspect('earlier turns', (i) => askedTurns(i.history));
  for (const key of INPUT_PARAMS) {
    const values = panes.map((p) => JSON.stringify(p.input.params[key] ?? null));
    if (values.every((v) => v === values[0])) continue;
    const each = panes.map((p) => describeOverride(p.name, p.input.params[key] ?? null));
    out.push(`${key}: ${each.join(', ')}`);
  }
  return out;
}
