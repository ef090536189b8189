// Compare mode, the pure part a conversation needs to load and send: how a
// pane's parameters follow the shared ones, what an answer cost and how fast
// it came, and the labels of a sweep. What only the compare view reads is in
// compare-summary.ts.

import { sameJson } from './json';
import { numericParam, type NumericParamKey } from './params';
import type { Price } from './pricing';
import { costOfUsage } from './pricing';
import { tokensPerSecond } from './format';
import type { ComparePane, Conversation, Message, ParamOverrides, Params, Usage } from './types';

/** The most panes side by side. */
export const MAX_PANES = 8;
/** The models a first comparison puts side by side. */
export const DEFAULT_COMPARE_MODELS = ['gpt-4', 'gpt-3.5-turbo'] as const;

/** The parameters a pane sends: the shared ones with the pane's overrides on top. */
export function resolveParams(shared: Params, overrides: ParamOverrides): Params {
  const out: Record<string, unknown> = { ...shared };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null || value === undefined) delete out[key];
    else out[key] = value;
  }
  return out as Params;
}

/** What a request is made from, besides its messages. */
export type RequestSetup = Pick<
  Conversation,
  'model' | 'systemMessage' | 'systemRole' | 'params' | 'stream' | 'tools'
>;

/** A pane's setup: its model, and the shared setup wherever it has none of its own. */
export function paneSetup(shared: RequestSetup, pane: ComparePane): RequestSetup {
  return {
    model: pane.model,
    systemMessage: pane.systemMessage ?? shared.systemMessage,
    // The choice is shared; unchosen, each pane's model decides (systemRoleFor).
    ...(shared.systemRole ? { systemRole: shared.systemRole } : {}),
    params: resolveParams(shared.params, pane.overrides),
    stream: pane.stream ?? shared.stream,
    tools: pane.tools ?? shared.tools,
  };
}

/** The turns a pane's next request carries: the shared history when linked, then its own. */
export function paneHistory(shared: Pick<Conversation, 'messages'>, pane: ComparePane): Message[] {
  return pane.linkedHistory ? [...shared.messages, ...pane.messages] : pane.messages;
}

/**
 * The overrides that make `shared` become `wanted`: every key whose value
 * differs (null where `wanted` leaves a shared parameter unset). A value equal
 * to the shared one is no override: the pane follows the shared parameter.
 */
export function diffParams(shared: Params, wanted: Params): ParamOverrides {
  const out: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(shared), ...Object.keys(wanted)]) as Set<keyof Params>;
  for (const key of keys) {
    const a = shared[key];
    const b = wanted[key];
    if (sameJson(a, b)) continue;
    out[key] = b === undefined ? null : b;
  }
  return out as ParamOverrides;
}

/** What one answer cost and how fast it came; absent figures are unknown. */
export interface AnswerFigures {
  usage: Usage | null;
  /** US dollars, from the reported usage and the price table. */
  cost?: number;
  /** The price table entry used. */
  priceKey?: string;
  ttftMs?: number;
  totalMs?: number;
  /** Completion tokens per second after the first token. */
  tokensPerSec?: number;
}

export type PriceLookup = (model: string) => { key: string; price: Price } | undefined;

/**
 * Figures for an answer, from what the provider reported (usage, model) and
 * the timestamps taken as it streamed. Never estimated.
 */
export function answerFigures(m: Message, priceFor: PriceLookup): AnswerFigures {
  const usage = m.usage ?? null;
  const out: AnswerFigures = { usage };
  const priced = usage && m.model ? priceFor(m.model) : undefined;
  if (usage && priced) {
    out.cost = costOfUsage(usage, priced.price);
    out.priceKey = priced.key;
  }
  const t = m.timing;
  if (t?.firstTokenAt !== undefined) out.ttftMs = t.firstTokenAt - t.startedAt;
  if (t?.endedAt !== undefined) out.totalMs = t.endedAt - t.startedAt;
  if (usage && t) {
    const speed = tokensPerSecond(usage.completion, t);
    if (speed !== undefined) out.tokensPerSec = speed;
  }
  return out;
}

/** The parameters a sweep can step through. */
export const SWEEP_KEYS = [
  'temperature',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'max_tokens',
  'seed',
] as const satisfies readonly NumericParamKey[];
export type SweepKey = (typeof SWEEP_KEYS)[number];

/** The label a sweep gives its panes, with the parameter's own name. */
export function sweepLabel(key: SweepKey, value: number): string {
  return `${numericParam(key).label} ${value}`;
}
