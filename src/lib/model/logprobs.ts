// Presenting token log probabilities: probabilities as percentages, and the
// tokens of an answer grouped into pieces of readable text. Pure TypeScript.

import type { TokenLogprob } from './types';

export const probability = (logprob: number) => Math.exp(logprob);

/** "99.7 %", "3.14 %", "< 0.01 %". */
export function formatPercent(p: number): string {
  const pct = p * 100;
  if (pct >= 10) return `${pct.toFixed(1)} %`;
  if (pct >= 0.01) return `${pct.toFixed(2)} %`;
  return '< 0.01 %';
}

/** A token as readable text in a list: quoted, with newlines and tabs shown as escapes. */
function quoteToken(t: Pick<TokenLogprob, 'token' | 'bytes'>): string {
  let text = t.token;
  if (t.bytes?.length) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(t.bytes));
    } catch {
      // Part of a character: the API's own spelling of the token is the best we have.
    }
  }
  return JSON.stringify(text);
}

/** One piece of displayed text and the token(s) it came from. */
export interface TokenSpan {
  text: string;
  tokens: TokenLogprob[];
  /** Sum of the tokens' logprobs: the probability of the whole piece. */
  logprob: number;
}

/**
 * Tokens as displayable text. A character split over several tokens (an emoji
 * is often two or three byte-level tokens) is decoded from the `bytes` of all
 * of them and shown once, as one span holding those tokens.
 */
export function tokenSpans(tokens: readonly TokenLogprob[]): TokenSpan[] {
  const spans: TokenSpan[] = [];
  const decoder = new TextDecoder();
  let pending: TokenLogprob[] = [];
  for (const t of tokens) {
    pending.push(t);
    const text = t.bytes?.length
      ? decoder.decode(new Uint8Array(t.bytes), { stream: true })
      : decoder.decode() + t.token;
    if (text === '' && t.bytes?.length) continue; // waiting for the rest of a character
    spans.push({ text, tokens: pending, logprob: pending.reduce((s, x) => s + x.logprob, 0) });
    pending = [];
  }
  const tail = decoder.decode();
  if (pending.length) {
    spans.push({
      text: tail || pending.map((t) => t.token).join(''),
      tokens: pending,
      logprob: pending.reduce((s, x) => s + x.logprob, 0),
    });
  }
  return spans;
}

/** The words a tooltip (and a screen reader) gives for one span. */
export function describeSpan(span: TokenSpan): string {
  return span.tokens
    .map((t) => {
      const own = `${quoteToken(t)} ${formatPercent(probability(t.logprob))}`;
      const alts = t.topLogprobs.filter((a) => a.token !== t.token);
      if (t.topLogprobs.length === 0)
        return `${own}. No alternatives returned (top_logprobs not set).`;
      if (alts.length === 0)
        return `${own}. No other candidates in the top ${t.topLogprobs.length}.`;
      const list = alts
        .map((a) => `${quoteToken(a)} ${formatPercent(probability(a.logprob))}`)
        .join(', ');
      return `${own}. Alternatives: ${list}.`;
    })
    .join(' ');
}
