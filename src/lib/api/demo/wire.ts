// The demo's replies in the Chat Completions wire format: streamed as
// server-sent events at a model's pace (so the page shows a real stream), or
// whole as one JSON completion. Same shapes as api.openai.com's.

import type { DemoModel } from '../../model/demo';
import type { WireTokenLogprob, WireUsage } from '../wire';
import { composeReply, type DemoReply } from './compose';
import { hashOf, type DemoRequest } from './request';

/** How fast a demo model answers. */
export interface DemoPace {
  firstTokenMs: number;
  tokensPerSecond: number;
}

/** The thorough voice takes its time; the terse one is quick (Compare ranks them). */
const PACES: Record<DemoModel, DemoPace> = {
  'demo-fast': { firstTokenMs: 150, tokensPerSecond: 400 },
  'demo-thoughtful': { firstTokenMs: 600, tokensPerSecond: 200 },
  'demo-poet': { firstTokenMs: 300, tokensPerSecond: 250 },
};

interface PlannedChoice {
  index: number;
  reply: DemoReply;
  /** The text (or a call's arguments) in the pieces it streams in. */
  pieces: string[];
  /** One per piece, when log probabilities were asked for (text only). */
  logprobs: WireTokenLogprob[] | null;
  finish: string;
}

export interface DemoPlan {
  id: string;
  model: DemoModel;
  created: number;
  choices: PlannedChoice[];
  usage: WireUsage;
}

const FINGERPRINT = 'fp_parley_demo';

/** Token-sized pieces (a word with its leading space, a mark, a line break) that join to `text`. */
function tokensOf(text: string): string[] {
  return text.match(/\n+|[ \t]*[\p{L}\p{N}_']+|[ \t]*[^\s\p{L}\p{N}_']|[ \t]+/gu) ?? [];
}

/** A call's arguments stream in short slices, as a real model's do. */
function slices(text: string, size = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

// Enough alternatives for the largest top_logprobs (20).
const WORDS =
  ' the a it this that and to of is you one we in on for with as so but or not all can then'.split(
    /(?= )/,
  );
const MARKS = [
  ',',
  '.',
  ';',
  ':',
  '!',
  '?',
  '…',
  '-',
  '—',
  '–',
  '(',
  ')',
  '"',
  "'",
  '/',
  '*',
  '#',
  '`',
  '\n',
  ' ',
];
const bytesOf = (token: string) => Array.from(new TextEncoder().encode(token));
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * A token's log probability and `top` alternatives: a made-up but proper
 * distribution (the chosen token is usually likely, now and then not).
 */
function logprobOf(token: string, at: number, top: number): WireTokenLogprob {
  const h = hashOf(`${at}:${token}`);
  const p = h % 7 === 0 ? 0.05 + (h % 300) / 1000 : 0.5 + (h % 490) / 1000;
  const word = /^\s*[\p{L}\p{N}]/u.test(token);
  const pool = (word ? WORDS : MARKS)
    .map((w) => (word && !token.startsWith(' ') ? w.trimStart() : w))
    .filter((w) => w !== token);
  const alternatives = Array.from({ length: Math.min(top, pool.length) }, (_, j) => ({
    token: pool[(h + j) % pool.length]!,
    logprob: round(Math.log((1 - p) * 0.55 * 0.45 ** j)),
  }));
  const chosen = { token, logprob: round(Math.log(p)) };
  const ranked = [chosen, ...alternatives]
    .sort((a, b) => b.logprob - a.logprob)
    .slice(0, top)
    .map((t) => ({ ...t, bytes: bytesOf(t.token) }));
  return { ...chosen, bytes: bytesOf(token), top_logprobs: ranked };
}

/** Everything the demo will send for `req`, worked out before the first byte. */
export function planAnswer(req: DemoRequest, now = Date.now()): DemoPlan {
  const seed = hashOf(JSON.stringify([req.model, req.messages]));
  const choices = Array.from({ length: req.n }, (_, index): PlannedChoice => {
    const reply = composeReply(req, index);
    let pieces = reply.kind === 'text' ? tokensOf(reply.text) : slices(reply.arguments);
    let finish = reply.kind === 'text' ? 'stop' : req.legacy ? 'function_call' : 'tool_calls';
    if (req.maxTokens !== null && pieces.length > req.maxTokens) {
      pieces = pieces.slice(0, req.maxTokens);
      finish = 'length';
    }
    const logprobs =
      req.logprobs && reply.kind === 'text'
        ? pieces.map((t, i) => logprobOf(t, i, req.topLogprobs))
        : null;
    return { index, reply, pieces, logprobs, finish };
  });
  const promptChars = JSON.stringify(req.messages).length + JSON.stringify(req.tools).length;
  const prompt = Math.ceil(promptChars / 4);
  const completion = choices.reduce((sum, c) => sum + c.pieces.length, 0);
  return {
    id: `chatcmpl-demo${seed.toString(36)}`,
    model: req.model,
    created: Math.floor(now / 1000),
    choices,
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  };
}

// ---- One JSON completion --------------------------------------------------

/** A choice's call as a message holds it; in a stream's first chunk (`streamed`) with its index. */
function callOf(c: PlannedChoice, legacy: boolean, args: string, streamed = false) {
  if (c.reply.kind !== 'call') return {};
  const fn = { name: c.reply.name, arguments: args };
  if (legacy) return { function_call: fn };
  const call = { id: c.reply.id, type: 'function', function: fn };
  return { tool_calls: [streamed ? { index: 0, ...call } : call] };
}

/** The reply of a request with `stream` off. */
export function completionOf(plan: DemoPlan, req: DemoRequest): object {
  return {
    id: plan.id,
    object: 'chat.completion',
    created: plan.created,
    model: plan.model,
    system_fingerprint: FINGERPRINT,
    choices: plan.choices.map((c) => ({
      index: c.index,
      message: {
        role: 'assistant',
        content: c.reply.kind === 'text' ? c.pieces.join('') : null,
        refusal: null,
        ...callOf(c, req.legacy, c.pieces.join('')),
      },
      logprobs: c.logprobs ? { content: c.logprobs, refusal: null } : null,
      finish_reason: c.finish,
    })),
    usage: plan.usage,
  };
}

// ---- A stream of chunks ---------------------------------------------------

/**
 * The payloads of the stream in steps: the opening chunk of every choice, then
 * one piece of each choice per step, their endings, the usage and `[DONE]`.
 */
function stepsOf(plan: DemoPlan, req: DemoRequest): string[][] {
  const head = { id: plan.id, object: 'chat.completion.chunk', created: plan.created };
  const chunk = (choices: object[], extra: object = {}) =>
    JSON.stringify({
      ...head,
      model: plan.model,
      system_fingerprint: FINGERPRINT,
      choices,
      ...(req.includeUsage ? { usage: null } : {}),
      ...extra,
    });
  const opening = plan.choices.map((c) => {
    const call = callOf(c, req.legacy, '', true);
    const content = c.reply.kind === 'text' ? '' : null;
    return { index: c.index, delta: { role: 'assistant', content, ...call }, finish_reason: null };
  });
  const steps: string[][] = [[chunk(opening)]];
  const longest = Math.max(0, ...plan.choices.map((c) => c.pieces.length));
  for (let i = 0; i < longest; i++) {
    const step: string[] = [];
    for (const c of plan.choices) {
      const piece = c.pieces[i];
      if (piece === undefined) continue;
      const delta =
        c.reply.kind === 'text'
          ? { content: piece }
          : req.legacy
            ? { function_call: { arguments: piece } }
            : { tool_calls: [{ index: 0, function: { arguments: piece } }] };
      const logprobs = c.logprobs ? { content: [c.logprobs[i]], refusal: null } : null;
      step.push(chunk([{ index: c.index, delta, logprobs, finish_reason: null }]));
    }
    steps.push(step);
  }
  const endings = plan.choices.map((c) => ({ index: c.index, delta: {}, finish_reason: c.finish }));
  const last = [chunk(endings)];
  if (req.includeUsage) last.push(chunk([], { usage: plan.usage }));
  last.push('[DONE]');
  steps.push(last);
  return steps;
}

const TICK_MS = 20;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The event stream, sent on timers at the model's pace: the first token after
 * `firstTokenMs`, then a tick's worth of pieces every 20 ms. An abort of
 * `signal` errors the body as fetch does; `timeScale` 0 sends at once (tests).
 */
export function eventStream(
  plan: DemoPlan,
  req: DemoRequest,
  signal: AbortSignal | null | undefined,
  timeScale = 1,
): ReadableStream<Uint8Array> {
  const steps = stepsOf(plan, req);
  const pace = PACES[plan.model];
  const perTick = Math.max(1, Math.round((pace.tokensPerSecond * TICK_MS) / 1000));
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const stop = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let at = 0;
      const tick = () => {
        const batch = steps.slice(at, at + perTick).flat();
        at += perTick;
        controller.enqueue(encoder.encode(batch.map((data) => `data: ${data}\n\n`).join('')));
        if (at < steps.length) timer = setTimeout(tick, TICK_MS * timeScale);
        else {
          stop();
          controller.close();
        }
      };
      onAbort = () => {
        stop();
        controller.error(abortReason(signal!));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(tick, pace.firstTokenMs * timeScale);
    },
    cancel: stop,
  });
}

/** Waits `ms`, or rejects as fetch does when `signal` aborts first. */
export function delay(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long a whole (non-streamed) reply takes to write, at the model's pace. */
export function writingMs(plan: DemoPlan): number {
  const pace = PACES[plan.model];
  const longest = Math.max(0, ...plan.choices.map((c) => c.pieces.length));
  return pace.firstTokenMs + (longest / pace.tokensPerSecond) * 1000;
}
