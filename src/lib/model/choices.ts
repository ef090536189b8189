// The choices of an n > 1 answer: which one continues the conversation, and
// how the reported completion tokens split between them. Pure TypeScript.

import type { AnswerChoice, Message } from './types';

/** The choices of a message, or null when it has only one. */
export function choicesOf(m: Pick<Message, 'choices'>): AnswerChoice[] | null {
  return m.choices && m.choices.length > 1 ? m.choices : null;
}

/**
 * The message with choice `index` as its own content, so a follow-up sends
 * that choice as the assistant turn. The choices themselves stay as returned.
 */
export function selectChoice(m: Message, index: number): Message {
  const c = m.choices?.[index];
  if (!c) return m;
  const next: Message = {
    ...m,
    content: c.content,
    finishReason: c.finishReason ?? null,
    chosen: index,
  };
  const optional = [
    'refusal',
    'reasoning',
    'citations',
    'toolCalls',
    'logprobs',
    'refusalLogprobs',
  ] as const;
  for (const key of optional) {
    if (c[key] === undefined) delete next[key];
    else (next as unknown as Record<string, unknown>)[key] = c[key];
  }
  return next;
}

export interface ChoiceShare {
  /** Completion tokens of this choice. */
  tokens: number;
  /** True when `tokens` is an estimate (no per-token data for this choice). */
  estimated: boolean;
}

function lengthOf(c: AnswerChoice): number {
  let n = c.content.length + (c.refusal?.length ?? 0) + (c.reasoning?.length ?? 0);
  for (const call of c.toolCalls ?? []) n += call.name.length + call.arguments.length;
  return n;
}

/**
 * Each choice's completion tokens. Counted exactly when the answer carries log
 * probabilities (one entry per token); otherwise the reported completion total,
 * minus the counted ones, is split by text length, or, with no usage reported,
 * estimated at about four characters a token.
 */
export function choiceShares(m: Pick<Message, 'choices' | 'usage'>): ChoiceShare[] {
  const choices = m.choices ?? [];
  const counted = choices.map((c) => {
    const n = (c.logprobs?.length ?? 0) + (c.refusalLogprobs?.length ?? 0);
    return n > 0 ? n : null;
  });
  const known = counted.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const unknown = choices.filter((_, i) => counted[i] === null);
  const chars = unknown.reduce((sum, c) => sum + lengthOf(c), 0);
  const rest = m.usage ? Math.max(0, m.usage.completion - known) : null;
  return choices.map((c, i) => {
    const exact = counted[i];
    if (exact !== null && exact !== undefined) return { tokens: exact, estimated: false };
    const len = lengthOf(c);
    if (rest === null) return { tokens: Math.ceil(len / 4), estimated: true };
    const share = chars > 0 ? (rest * len) / chars : rest / unknown.length;
    return { tokens: Math.round(share), estimated: true };
  });
}
