import type { Message, Role, Timing } from './types';

/** How each role is named on screen ("User message"…). */
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  system: 'System',
  developer: 'Developer',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
};

/** What an answer's status means, for the ones worth a note under it. */
export const STATUS_TEXT: Readonly<Partial<Record<NonNullable<Message['status']>, string>>> = {
  stopped: 'Stopped: this answer is partial.',
  stalled: 'Stalled: the stream went quiet and was stopped; this answer is partial.',
  incomplete: 'Incomplete: the stream ended without a finish reason.',
  interrupted: 'Interrupted: the page closed while this answer was streaming; it is partial.',
  error: 'Failed part way: this answer is partial.',
};

/** The note under an answer that had parts with impossible indexes dropped. */
export function ignoredText(count: number): string {
  const what = count === 1 ? 'part' : 'parts';
  return `Ignored ${formatCount(count)} ${what} of this answer sent with a choice or tool call index above 127, which no request can produce.`;
}

/**
 * "12,345": a whole number with thousands separators, as en-US writes it.
 * Plain string work: the page's first Intl formatter costs ~10 ms of locale
 * data, which the composer's token count would pay on the way to first paint.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = String(Math.round(Math.abs(n)));
  return (n < 0 && digits !== '0' ? '-' : '') + digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/** "850 ms", "1.2 s", "1 min 5 s", "1 h", "2 h 30 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) {
    const min = Math.floor(ms / 60_000);
    return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
  }
  const h = Math.floor(ms / 3_600_000);
  const min = Math.round((ms % 3_600_000) / 60_000);
  return min > 0 ? `${h} h ${min} min` : `${h} h`;
}

/**
 * The least time from the first token to the end that a speed is said for.
 * The page sees the tokens in batches (the stream worker posts at most every
 * 25 ms): an answer that arrived within this much (a cache, a local server
 * sending everything at once) measured how fast the page read it, not the
 * model; "2,500,000 tok/s" helped nobody.
 */
export const MIN_SPEED_MS = 100;

/** Completion tokens per second, measured from the first token to the end. */
export function tokensPerSecond(completion: number, timing: Timing): number | undefined {
  if (timing.firstTokenAt === undefined || timing.endedAt === undefined) return undefined;
  const ms = timing.endedAt - timing.firstTokenAt;
  if (ms < MIN_SPEED_MS || completion <= 0) return undefined;
  const seconds = ms / 1000;
  return Math.round((completion / seconds) * 10) / 10;
}

const FINISH_TEXT: Readonly<Record<string, string>> = {
  length: 'Cut off: the answer reached the max tokens limit (finish_reason: length).',
  content_filter: 'Cut off by the content filter (finish_reason: content_filter).',
  tool_calls: 'The model asked for tool calls (finish_reason: tool_calls).',
  function_call: 'The model asked for a function call (finish_reason: function_call).',
};

/** What an unusual finish_reason means, in words; null for a normal stop (or none). */
export function finishText(reason: string | null | undefined): string | null {
  if (!reason || reason === 'stop') return null;
  return FINISH_TEXT[reason] ?? `finish_reason: ${reason}`;
}
