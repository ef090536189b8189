import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { RequestBody } from '../model/request';
import { cleanedSecret, scrubGrowing } from '../model/secrets';
import type { AppError, RequestRecord, ResponseRecord, Timing } from '../model/types';
import { isDemoBaseUrl } from '../model/demo';
import {
  answerFromCompletion,
  emptyAnswer,
  hasOutput,
  primaryChoice,
  type AnswerState,
} from './accumulator';
import { readAnswer } from './answer-stream';
import { captureRequest, ResponseCapture, scrubKey } from './capture';
import { createClient, endpointFetch, type ClientConfig, type FetchLike } from './client';
import { redactKey, toAppError } from './errors';
import { hostOf } from './host';
import { NotAnApiResponse } from './stream-errors';
import type { WireCompletion } from './wire';
import { remoteReader, streamFetch } from './worker-stream';

export type RunOutcome = 'done' | 'stopped' | 'stalled' | 'incomplete' | 'error';

export interface RetryWait {
  attempt: number;
  /** When the next attempt starts (ms since epoch). */
  until: number;
  error: AppError;
  /** The wait the server asked for, when it was longer than Parley waits on its own. */
  askedMs?: number;
  /** Ends the wait now: the next attempt starts at once. */
  retryNow: () => void;
}

/**
 * The longest automatic wait before a retry. A server may say `retry-after:
 * 3600`; an hour's countdown is no use to anyone at a playground, so Parley
 * waits at most this long (the user can retry at once, or cancel).
 */
export const MAX_RETRY_WAIT_MS = 60_000;

export interface RunRequest {
  config: ClientConfig;
  body: RequestBody;
  /** Abort when no byte arrives for this long while streaming. */
  idleTimeoutMs: number;
  /** The user's Stop. */
  signal: AbortSignal;
  onUpdate: (answer: AnswerState, timing: Timing) => void;
  /** Called with the wait before an automatic retry, and with null when it ends. */
  onRetryWait?: (wait: RetryWait | null) => void;
  fetch?: FetchLike;
  maxRateLimitRetries?: number;
  now?: () => number;
}

export interface RunResult {
  answer: AnswerState;
  outcome: RunOutcome;
  error?: AppError;
  requestId?: string;
  timing: Timing;
  /** The last request sent (retries replace it), key redacted; absent if none was sent. */
  request?: RequestRecord;
  /** What came back for `request`, as far as it arrived. */
  response?: ResponseRecord;
}

const STALLED = 'parley:stalled';
const STOPPED = 'parley:stopped';

/** Exponential back-off with jitter: about 1 s, 2 s, 4 s … capped at 20 s. */
function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(20_000, 1000 * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Resolves after `ms` or when `skip` is called, or rejects as soon as
 * `signal` aborts.
 */
function sleep(ms: number, signal: AbortSignal, onSkip: (skip: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
    onSkip(done);
  });
}

/**
 * Sends one chat completion request (streamed or not), assembles the answer,
 * and reports how it ended. Never throws: every failure comes back as an
 * `AppError` with whatever was received so far.
 */
export async function runCompletion(req: RunRequest): Promise<RunResult> {
  const now = req.now ?? Date.now;
  const host = hostOf(req.config.baseURL);
  const maxRetries = req.maxRateLimitRetries ?? 3;
  const timing: Timing = { startedAt: now() };
  let answer = emptyAnswer();
  let requestId: string | undefined;
  /** The answer's body had begun to arrive: a network error now is a dropped connection. */
  let reading = false;
  let request: RequestRecord | undefined;
  let response: ResponseCapture | undefined;

  const finish = (outcome: RunOutcome, error?: AppError): RunResult => {
    timing.endedAt = now();
    const safe = error ? redactKey(error, req.config.apiKey) : undefined;
    const result: RunResult = {
      answer,
      outcome,
      error: safe,
      requestId: requestId ?? safe?.requestId,
      timing,
    };
    if (request) result.request = scrubKey(request, req.config.apiKey);
    if (response) {
      response.end();
      const record = { ...response.record };
      if (answer.id) record.id = answer.id;
      if (answer.systemFingerprint !== null) record.systemFingerprint = answer.systemFingerprint;
      result.response = scrubKey(record, req.config.apiKey);
    }
    return result;
  };

  // A server (or a model) that echoes the key back: its answer never holds it,
  // on screen, in storage or in any export (issue 16).
  const key = cleanedSecret(req.config.apiKey);
  // Each text only grows while it streams: only what is new since the last
  // look (and the key's width before it) is searched again.
  const checked = new Map<string, number>();
  const scrub = (text: string, field: string): string => {
    const from = checked.get(field) ?? 0;
    const out = scrubGrowing(text, key, from <= text.length ? from : 0);
    checked.set(field, out.length);
    return out;
  };
  const withoutKey = (state: AnswerState): AnswerState => {
    let changed = false;
    const choices = state.choices.map((c) => {
      const content = scrub(c.content, `${c.index}:content`);
      const refusal = scrub(c.refusal, `${c.index}:refusal`);
      const reasoning = scrub(c.reasoning, `${c.index}:reasoning`);
      if (content === c.content && refusal === c.refusal && reasoning === c.reasoning) return c;
      changed = true;
      return { ...c, content, refusal, reasoning };
    });
    return changed ? { ...state, choices } : state;
  };

  for (let attempt = 0; ; attempt++) {
    const ctrl = new AbortController();
    const stop = () => ctrl.abort(STOPPED);
    if (req.signal.aborted) return finish('stopped');
    req.signal.addEventListener('abort', stop, { once: true });

    // The idle watchdog is re-armed by every byte from the server, comment
    // lines and keep-alives included, which the SDK would otherwise hide. A
    // read only notes its time (a timer per read cost more than the read);
    // the one timer looks when it fires, and waits out the rest if need be.
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let lastByteAt = 0;
    const streaming = req.body.stream === true;
    const watch = () => {
      const quiet = performance.now() - lastByteAt;
      if (quiet >= req.idleTimeoutMs) ctrl.abort(STALLED);
      else watchdog = setTimeout(watch, req.idleTimeoutMs - quiet);
    };
    const arm = () => {
      if (!streaming) return;
      lastByteAt = performance.now();
      watchdog ??= setTimeout(watch, req.idleTimeoutMs);
    };
    // The request as it went out, and an error or a non-streamed body as it
    // came back; a stream's payloads come from its reader (answer-stream.ts,
    // in the stream worker or in the page).
    const tappedFetch: FetchLike = async (input, init) => {
      arm();
      request = captureRequest(input, init);
      response = undefined;
      // A stream from a real endpoint is fetched and read in a worker
      // (stream.worker.ts says why); the demo endpoint answers in the page.
      const inWorker = streaming && !req.fetch && !isDemoBaseUrl(req.config.baseURL);
      const base =
        req.fetch ?? (inWorker ? streamFetch() : null) ?? (await endpointFetch(req.config.baseURL));
      const res = await base(input, init);
      const sse = streaming && res.ok;
      const capture = new ResponseCapture(res, sse);
      response = capture;
      if (!res.body || sse) return res;
      const body = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(bytes, out) {
            capture.feed(bytes);
            out.enqueue(bytes);
          },
          flush() {
            capture.end();
          },
        }),
      );
      return new Response(body, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    };

    const onAnswer = (next: AnswerState) => {
      answer = withoutKey(next);
      if (timing.firstTokenAt === undefined && hasOutput(answer)) timing.firstTokenAt = now();
      req.onUpdate(answer, timing);
    };

    try {
      const client = await createClient(req.config, tappedFetch);
      if (streaming) {
        const params = req.body as unknown as ChatCompletionCreateParams & { stream: true };
        // The SDK sends; the body is read by readChatStream (why: sse.ts).
        const res = await client.chat.completions
          .create(params, { signal: ctrl.signal })
          .asResponse();
        requestId = res.headers.get('x-request-id') ?? undefined;
        reading = true;
        arm();
        // Read in the worker that fetched it, or (the demo, no worker) in the page.
        const read = remoteReader(res) ?? readAnswer;
        await read(res, {
          onBytes: arm,
          onPayload: (data) => response?.event(data),
          onOmitted: (count) => response?.omitted(count),
          onAnswer,
        });
      } else {
        const params = req.body as unknown as ChatCompletionCreateParams & { stream?: false };
        const { data, request_id, response } = await client.chat.completions
          .create(params, { signal: ctrl.signal })
          .withResponse();
        requestId = request_id ?? undefined;
        // The SDK hands a body that is not JSON over as text: a web page, say.
        if (typeof data !== 'object' || data === null) {
          throw new NotAnApiResponse(response.headers.get('content-type') ?? '', String(data));
        }
        onAnswer(answerFromCompletion(data as unknown as WireCompletion));
      }
      // A read can end quietly when aborted, so the reason is checked here.
      if (ctrl.signal.aborted) return endByAbort(ctrl.signal.reason);
      return finish(primaryChoice(answer).finishReason ? 'done' : 'incomplete');
    } catch (thrown) {
      if (ctrl.signal.aborted) return endByAbort(ctrl.signal.reason);
      const error = toAppError(thrown, host, { reading });
      const canRetry = error.kind === 'rate_limit' && attempt < maxRetries && !hasOutput(answer);
      if (!canRetry) return finish('error', error);
      const asked = error.retryAfterMs;
      const delay = Math.min(asked ?? backoffMs(attempt), MAX_RETRY_WAIT_MS);
      try {
        await sleep(delay, req.signal, (retryNow) => {
          const wait: RetryWait = { attempt: attempt + 1, until: now() + delay, error, retryNow };
          if (asked !== undefined && asked > delay) wait.askedMs = asked;
          req.onRetryWait?.(wait);
        });
      } catch {
        return finish('stopped');
      } finally {
        req.onRetryWait?.(null);
      }
    } finally {
      clearTimeout(watchdog);
      req.signal.removeEventListener('abort', stop);
    }
  }

  function endByAbort(reason: unknown): RunResult {
    if (reason !== STALLED) return finish('stopped');
    const seconds = Math.round(req.idleTimeoutMs / 1000);
    return finish('stalled', {
      kind: 'stalled',
      message: `The answer stalled: nothing arrived from ${host} for ${seconds} s, so it was stopped. The text received so far is kept. (The limit is in Settings.)`,
      retryable: true,
      fixInSettings: true,
    });
  }
}
