// The page's side of the stream worker (stream.worker.ts says why it exists).
// A streamed request to a real endpoint goes to the worker through a fetch of
// the same shape (the SDK sends it as always: its headers, its errors); the
// worker fetches, answers with the response's head, and for a success keeps
// the body and reads it, posting what the answer gained. `remoteReader` gives
// run.ts the reader for such a response. Where no worker can run (tests, a
// browser without module workers, a worker that failed to start), `streamFetch`
// is null and the page fetches and reads as before.
import { emptyAnswer, type AnswerState } from './accumulator';
import type { AnswerHandlers, ReadAnswer } from './answer-stream';
import { RedirectRefused, type FetchLike } from './client';
import { grown } from './growth';
import { errorFromWire, type FromWorker, type ToWorker } from './stream-protocol';
import { moduleWorker } from '../render/script-url';
// Built as a worker chunk of its own; this is its URL.
import workerUrl from './stream.worker.ts?worker&url';

type ReadMessage = Extract<FromWorker, { type: 'read' }>;

let worker: Worker | null | undefined;
/** The worker's script has run (before that, a worker that fails had sent nothing). */
let ready = false;
let nextId = 0;
const calls = new Map<number, Call>();
const streams = new WeakMap<Response, Call>();

/** The worker, started on first use (the runner starts it early); null where none can run. */
function streamWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (typeof Worker === 'undefined') return null;
  try {
    const url = new URL(workerUrl, import.meta.url).href;
    const started = moduleWorker('parley-stream', url, { name: 'parley-stream' });
    started.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'ready') ready = true;
      else calls.get(e.data.id)?.take(e.data);
    };
    started.onerror = () => {
      // It failed to start (or broke): what waits on it ends, and the page reads from now on.
      started.terminate();
      worker = null;
      for (const call of calls.values()) call.lost(ready);
    };
    worker = started;
  } catch {
    // A browser that cannot start it: the page reads.
  }
  return worker;
}

/** Starts the worker now, so that the first answer does not wait for it. */
export function warmStreamWorker(): void {
  streamWorker();
}

/** A fetch that sends through the stream worker, or null where there is none. */
export function streamFetch(): FetchLike | null {
  const w = streamWorker();
  if (!w) return null;
  return (input, init = {}) => {
    // What the SDK sends is a URL string and a JSON body; anything else, the page sends.
    if (typeof input !== 'string' || (init.body != null && typeof init.body !== 'string')) {
      return globalThis.fetch(input, init);
    }
    const call = new Call(++nextId, init.signal ?? null, () => globalThis.fetch(input, init));
    calls.set(call.id, call);
    w.postMessage({
      type: 'fetch',
      id: call.id,
      url: input,
      init: {
        method: init.method ?? 'GET',
        headers: [...new Headers(init.headers)],
        body: init.body ?? null,
        redirect: init.redirect ?? 'follow',
      },
    } satisfies ToWorker);
    return call.response;
  };
}

/** The reader of a response the worker is reading, or undefined for any other. */
export function remoteReader(res: Response): ReadAnswer | undefined {
  const call = streams.get(res);
  return call && ((_res, on) => call.read(on));
}

/** One request through the worker, from its sending to the end of its answer. */
class Call {
  readonly response: Promise<Response>;
  #settle!: { resolve: (r: Response | Promise<Response>) => void; reject: (e: unknown) => void };
  #state: 'sending' | 'reading' | 'done' = 'sending';
  #headers = new Headers();
  #answer: AnswerState = emptyAnswer();
  /** Reads that came before the reader did; then the reader's handlers. */
  #backlog: ReadMessage[] = [];
  #on: AnswerHandlers | null = null;
  /** How reading ended, once it has; and the reader waiting to hear it. */
  #ended: { error?: unknown } | null = null;
  #waiting: { resolve: () => void; reject: (e: unknown) => void } | null = null;

  constructor(
    readonly id: number,
    private readonly signal: AbortSignal | null,
    /** The same request through the page's own fetch. */
    private readonly fallback: () => Promise<Response>,
  ) {
    this.response = new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
    if (signal?.aborted) this.#abort();
    else signal?.addEventListener('abort', this.#abort, { once: true });
  }

  take(m: FromWorker) {
    if (m.type === 'response') this.#respond(m);
    else if (m.type === 'read') this.#read(m);
    else if (m.type === 'end') this.#end({});
    else if (m.type === 'failed') this.#fail(errorFromWire(m.error, this.#headers));
  }

  /** The worker stopped. If it never ran, nothing was sent: the page sends instead. */
  lost(started: boolean) {
    if (!started && this.#state === 'sending') {
      this.#done();
      this.#settle.resolve(this.fallback());
    } else this.#fail(new TypeError('The stream worker stopped.'));
  }

  read(on: AnswerHandlers): Promise<void> {
    this.#on = on;
    for (const m of this.#backlog.splice(0)) this.#deliver(m);
    return new Promise<void>((resolve, reject) => {
      if (!this.#ended) this.#waiting = { resolve, reject };
      else if (this.#ended.error) reject(this.#ended.error);
      else resolve();
    });
  }

  #respond(m: Extract<FromWorker, { type: 'response' }>) {
    this.#headers = new Headers(m.headers);
    if (m.opaqueRedirect) {
      this.#done();
      // The page's fetch gives an opaque redirect here, which no Response made here can be.
      this.#settle.reject(new RedirectRefused(0, ''));
      return;
    }
    // A status that cannot have a body (204, 205, 304) gets none, whatever came.
    const body = [204, 205, 304].includes(m.status) ? null : m.body;
    const res = new Response(body, {
      status: m.status,
      statusText: m.statusText,
      headers: this.#headers,
    });
    if (m.stream) {
      this.#state = 'reading';
      streams.set(res, this);
    } else this.#done();
    this.#settle.resolve(res);
  }

  #read(m: ReadMessage) {
    if (this.#on) this.#deliver(m);
    else this.#backlog.push(m);
  }

  #deliver(m: ReadMessage) {
    const on = this.#on!;
    on.onBytes();
    for (const data of m.payloads) on.onPayload(data);
    if (m.omitted) on.onOmitted?.(m.omitted);
    if (m.growth) {
      this.#answer = grown(this.#answer, m.growth);
      on.onAnswer(this.#answer);
    }
  }

  /** A failure: of the request while it is sent, of the answer while it is read. */
  #fail(error: unknown) {
    if (this.#state !== 'sending') return this.#end({ error });
    this.#done();
    this.#settle.reject(error);
  }

  #end(outcome: { error?: unknown }) {
    if (this.#ended) return;
    this.#ended = outcome;
    this.#done();
    const waiting = this.#waiting;
    this.#waiting = null;
    if (outcome.error) waiting?.reject(outcome.error);
    else waiting?.resolve();
  }

  #done() {
    this.#state = 'done';
    calls.delete(this.id);
    this.signal?.removeEventListener('abort', this.#abort);
  }

  #abort = () => {
    if (this.#state === 'done') return;
    worker?.postMessage({ type: 'abort', id: this.id } satisfies ToWorker);
    // As fetch does: the wait (for the response, or for the body) ends with the signal's reason.
    this.#fail(this.signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
  };
}
