// Test helpers for the streaming pipeline: fixture lookup, a Response whose
// body arrives in pieces cut at chosen byte offsets, an injectable fetch that
// records what it was sent, and a deliberately naive SSE reader used as the
// oracle. The oracle shares no code with src/ on purpose.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (tests/builders → ../..). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Where the recorded traffic lives, relative to the repo root. Never copied in. */
const SHARED_FIXTURES_REL = '../shared/fixtures/openai';

/** Parley's own fixtures, written for this project. */
export const OWN_FIXTURES_DIR = join(REPO_ROOT, 'tests/fixtures');

/** Absolute path of the shared recordings, or null when they are not on this machine. */
function sharedFixturesDir(): string | null {
  const dir = resolve(REPO_ROOT, SHARED_FIXTURES_REL);
  return existsSync(join(dir, 'INDEX.md')) ? dir : null;
}

/** Says once, loudly, that a suite was skipped because the recordings are absent. */
export function warnIfSharedAbsent(what: string, consequence = 'skipped'): boolean {
  const present = sharedFixturesDir() !== null;
  if (!present) {
    console.warn(
      `shared fixtures absent: ${what} ${consequence} (expected recordings in ${SHARED_FIXTURES_REL} relative to the repo root)`,
    );
  }
  return present;
}

/** Bytes of a shared recording, e.g. `readFixture('b02_stream_gpt4o_include_usage.sse')`. */
export function readFixture(name: string): Uint8Array {
  const dir = sharedFixturesDir();
  if (!dir) throw new Error(`shared fixtures absent: cannot read ${name}`);
  return new Uint8Array(readFileSync(join(dir, name)));
}

export function readFixtureText(name: string): string {
  return new TextDecoder().decode(readFixture(name));
}

export function readFixtureJson<T = unknown>(name: string): T {
  return JSON.parse(readFixtureText(name)) as T;
}

/** Names of files in the shared folder ending with `ext` (sorted), or [] when absent. */
export function listSharedFixtures(ext: string): string[] {
  const dir = sharedFixturesDir();
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort();
}

/** Names of Parley's own fixtures ending with `ext` (sorted), or [] when there are none. */
export function listOwnFixtures(ext: string): string[] {
  if (!existsSync(OWN_FIXTURES_DIR)) return [];
  return readdirSync(OWN_FIXTURES_DIR)
    .filter((f) => f.endsWith(ext))
    .sort();
}

export function readOwnFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(OWN_FIXTURES_DIR, name)));
}

// ---------------------------------------------------------------------------
// Responses cut into pieces

export interface PiecewiseInit extends ResponseInit {
  /** Abort signal of the request: aborting errors the body, as a real fetch does. */
  signal?: AbortSignal | null;
  /** Keep the body open after the last piece (a server that stops sending). */
  hang?: boolean;
}

/** Cuts `bytes` (or text) at the given offsets (sorted, deduplicated, out-of-range ignored). */
export function cutAt<T extends Uint8Array | string>(bytes: T, splits: readonly number[]): T[] {
  const points = [...new Set(splits)]
    .filter((k) => k > 0 && k < bytes.length)
    .sort((a, b) => a - b);
  const pieces: T[] = [];
  let start = 0;
  for (const k of points) {
    pieces.push(bytes.slice(start, k) as T);
    start = k;
  }
  pieces.push(bytes.slice(start) as T);
  return pieces;
}

/** Every SSE recording as text: the project's own (in every clone), and the shared ones where present. */
export function recordedStreams(): string[] {
  return [
    ...listOwnFixtures('.sse').map((n) => new TextDecoder().decode(readOwnFixture(n))),
    ...listSharedFixtures('.sse').map(readFixtureText),
  ];
}

/** `items` in consecutive runs, cut where `cuts` say (each taken modulo the length + 1). */
export function inRuns<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const bounds = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const runs: T[][] = [];
  let at = 0;
  for (const end of [...bounds, items.length]) {
    runs.push(items.slice(at, end));
    at = end;
  }
  return runs;
}

/** A body that yields the given pieces, one per read. */
function bodyFromPieces(
  pieces: readonly Uint8Array[],
  opts: { signal?: AbortSignal | null; hang?: boolean } = {},
): ReadableStream<Uint8Array> {
  let i = 0;
  let onAbort: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const signal = opts.signal;
      if (!signal) return;
      onAbort = () => {
        try {
          controller.error(
            signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'),
          );
        } catch {
          // already closed
        }
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    },
    pull(controller) {
      if (i < pieces.length) {
        controller.enqueue(pieces[i++]!);
        return;
      }
      if (opts.hang) return new Promise<void>(() => {}); // never another byte
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
      controller.close();
    },
    cancel() {
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    },
  });
}

/** A `Response` whose body yields `bytes` cut at `splits`. */
function responseFromBytes(
  bytes: Uint8Array,
  splits: readonly number[] = [],
  init: PiecewiseInit = {},
): Response {
  const { signal, hang, ...responseInit } = init;
  return new Response(bodyFromPieces(cutAt(bytes, splits), { signal, hang }), {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8' },
    ...responseInit,
  });
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

// ---------------------------------------------------------------------------
// Injectable fetch

export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  /** The request body parsed as JSON (undefined when there was none). */
  body: unknown;
  signal: AbortSignal | null;
}

/** One reply: a ready Response, a rejection, or a function building the Response. */
export type Reply = Response | Error | ((call: RecordedCall) => Response | Promise<Response>);

export type RecordingFetch = ((
  input: RequestInfo | URL,
  init?: RequestInit,
) => Promise<Response>) & {
  calls: RecordedCall[];
};

/**
 * A fetch that answers the n-th call with the n-th reply and records every call.
 * A call beyond the replies given rejects, so an unexpected extra request fails the test.
 */
export function fetchReturning(...replies: Reply[]): RecordingFetch {
  const calls: RecordedCall[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const raw = init?.body;
    const call: RecordedCall = {
      url,
      method: (init?.method ?? 'GET').toUpperCase(),
      headers: new Headers(init?.headers),
      body: typeof raw === 'string' ? JSON.parse(raw) : undefined,
      signal: init?.signal ?? null,
    };
    calls.push(call);
    const reply = replies[calls.length - 1];
    if (reply === undefined) throw new Error(`unexpected request #${calls.length} to ${url}`);
    if (reply instanceof Error) throw reply;
    if (reply instanceof Response) return reply;
    return reply(call);
  };
  return Object.assign(fn, { calls });
}

/** A reply streaming `bytes` in pieces, honouring the request's abort signal. */
export function sseReply(
  bytes: Uint8Array,
  splits: readonly number[] = [],
  init: Omit<PiecewiseInit, 'signal'> = {},
): (call: RecordedCall) => Response {
  return (call) => responseFromBytes(bytes, splits, { ...init, signal: call.signal });
}

/** A JSON reply with the given status and headers (header pairs may repeat). */
export function jsonReply(
  status: number,
  body: string | object,
  headers: [string, string][] = [],
): (call: RecordedCall) => Response {
  return () => {
    const h = new Headers();
    for (const [k, v] of headers) h.append(k, v);
    if (!h.has('content-type')) h.set('content-type', 'application/json');
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: h,
    });
  };
}

// ---------------------------------------------------------------------------
// Naive reference reader (the oracle)

/** The JSON payloads of an SSE body up to `[DONE]`, read the simplest possible way. */
export function ssePayloads(sseText: string): unknown[] {
  const text = sseText.replace(/\r\n?/g, '\n');
  const out: unknown[] = [];
  for (const event of text.split(/\n\n+/)) {
    const data: string[] = [];
    for (const line of event.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) continue;
    const payload = data.join('\n');
    if (payload === '[DONE]') break;
    out.push(JSON.parse(payload));
  }
  return out;
}

export interface ReferenceToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ReferenceAnswer {
  id: string;
  model: string;
  content: string;
  refusal: string;
  reasoning: string;
  toolCalls: ReferenceToolCall[];
  usage: { prompt: number; completion: number; total: number } | null;
  finishReason: string | null;
  /** The `error` object of a chunk that carried one; reading stops there. */
  error: { message?: string; code?: unknown } | null;
  /** Number of data payloads before `[DONE]` (or before the error chunk). */
  chunks: number;
}

type Loose = Record<string, unknown> | undefined | null;
const obj = (v: unknown): Loose =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
const strOf = (v: unknown) => (typeof v === 'string' ? v : '');

/** What a user should see after reading `sseText`, computed independently of src/. */
export function referenceAnswer(sseText: string): ReferenceAnswer {
  const ref: ReferenceAnswer = {
    id: '',
    model: '',
    content: '',
    refusal: '',
    reasoning: '',
    toolCalls: [],
    usage: null,
    finishReason: null,
    error: null,
    chunks: 0,
  };
  for (const payload of ssePayloads(sseText)) {
    const chunk = obj(payload);
    if (!chunk) continue;
    if (chunk.error) {
      ref.error = obj(chunk.error) as ReferenceAnswer['error'];
      break;
    }
    ref.chunks++;
    if (!ref.id && strOf(chunk.id)) ref.id = strOf(chunk.id);
    if (!ref.model && strOf(chunk.model)) ref.model = strOf(chunk.model);
    const usage = obj(chunk.usage) ?? obj(obj(chunk.x_groq)?.usage);
    if (usage && typeof usage.prompt_tokens === 'number') {
      ref.usage = {
        prompt: usage.prompt_tokens,
        completion: usage.completion_tokens as number,
        total: usage.total_tokens as number,
      };
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const c of choices) {
      const choice = obj(c);
      if (!choice || (choice.index ?? 0) !== 0) continue;
      const delta = obj(choice.delta);
      if (delta) {
        ref.content += strOf(delta.content);
        ref.refusal += strOf(delta.refusal);
        ref.reasoning += strOf(delta.reasoning) || strOf(delta.reasoning_content);
        const calls = Array.isArray(delta.tool_calls) ? delta.tool_calls : [];
        for (const t of calls) {
          const call = obj(t);
          if (!call) continue;
          const i = call.index as number;
          const fn = obj(call.function);
          const prev = ref.toolCalls[i] ?? { id: '', name: '', arguments: '' };
          ref.toolCalls[i] = {
            id: prev.id || strOf(call.id),
            name: prev.name || strOf(fn?.name),
            arguments: prev.arguments + strOf(fn?.arguments),
          };
        }
        // The legacy functions API: one unnamed call, kept as call 0.
        const legacy = obj(delta.function_call);
        if (legacy) {
          const prev = ref.toolCalls[0] ?? { id: '', name: '', arguments: '' };
          ref.toolCalls[0] = {
            id: prev.id,
            name: prev.name || strOf(legacy.name),
            arguments: prev.arguments + strOf(legacy.arguments),
          };
        }
      }
      if (typeof choice.finish_reason === 'string') ref.finishReason = choice.finish_reason;
    }
  }
  return ref;
}

// ---------------------------------------------------------------------------
// Small inline streams

/** An SSE body from payloads (objects are JSON-encoded, strings sent as is). */
export function sseOf(
  payloads: readonly (object | string)[],
  opts: { done?: boolean } = {},
): string {
  let out = '';
  for (const p of payloads) out += `data: ${typeof p === 'string' ? p : JSON.stringify(p)}\n\n`;
  if (opts.done ?? true) out += 'data: [DONE]\n\n';
  return out;
}

/** A chat.completion.chunk with one choice. */
export function textChunk(
  content: string | null,
  opts: { finish?: string | null; role?: string; id?: string; model?: string } = {},
): object {
  const delta: Record<string, unknown> = {};
  if (opts.role) delta.role = opts.role;
  if (content !== null) delta.content = content;
  return {
    id: opts.id ?? 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: opts.model ?? 'gpt-4-0613',
    choices: [{ index: 0, delta, finish_reason: opts.finish ?? null }],
  };
}

/** The final usage chunk sent with stream_options.include_usage. */
export function usageChunk(prompt: number, completion: number): object {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4-0613',
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    },
  };
}
