/// <reference lib="webworker" />
// The stream worker: fetches a streamed answer and reads it (decoding,
// splitting events, parsing each chunk and adding them up: answer-stream.ts,
// the same code the page runs where there is no worker), and posts what the
// answer gained, at most every POST_GAP_MS. The page's main thread then only
// draws: at 100 tokens/s it took a network read's task per token, and four
// compare panes at full speed parsed thousands of chunks between frames.
// worker-stream.ts is the page's side.
import { MAX_STORED_CHUNKS } from '../model/limits';
import { emptyAnswer, hasOutput, type AnswerState } from './accumulator';
import { readAnswer, type AnswerHandlers } from './answer-stream';
import { growthOf } from './growth';
import {
  allowedEndpoint,
  errorToWire,
  POST_EVENTS,
  POST_GAP_MS,
  type FromWorker,
  type ToWorker,
  type WireRequest,
} from './stream-protocol';

declare const self: DedicatedWorkerGlobalScope;
type ReadMessage = Extract<FromWorker, { type: 'read' }>;

const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, transfer);
const running = new Map<number, AbortController>();

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'abort') running.get(m.id)?.abort();
  else void answer(m.id, m.url, m.init);
};
post({ type: 'ready', id: 0 });

async function answer(id: number, url: string, init: WireRequest) {
  const ctrl = new AbortController();
  running.set(id, ctrl);
  let outbox: Outbox | undefined;
  try {
    // What the page's fetch says when its CSP blocks a connection.
    if (!allowedEndpoint(url, self.location.href)) throw new TypeError('Failed to fetch');
    const res = await fetch(url, {
      ...init,
      signal: ctrl.signal,
      // The page's referrer policy (index.html) does not reach into a worker either.
      referrerPolicy: 'no-referrer',
    });
    const head = {
      type: 'response' as const,
      id,
      status: res.status,
      statusText: res.statusText,
      headers: [...res.headers],
      opaqueRedirect: res.type === 'opaqueredirect',
    };
    if (!res.ok || head.opaqueRedirect) {
      // An error (or a redirect): its body goes to the page whole, for the SDK to read.
      const body = head.opaqueRedirect || !res.body ? null : await res.arrayBuffer();
      post({ ...head, stream: false, body }, body ? [body] : []);
      return;
    }
    post({ ...head, stream: true, body: null });
    outbox = new Outbox(id);
    await readAnswer(res, outbox);
    outbox.flush();
    post({ type: 'end', id });
  } catch (err) {
    if (ctrl.signal.aborted) return; // the page stopped waiting
    outbox?.flush();
    post({ type: 'failed', id, error: errorToWire(err) });
  } finally {
    running.delete(id);
  }
}

/** Collects an answer's reads and posts them together, at most every POST_GAP_MS. */
class Outbox implements AnswerHandlers {
  #sent: AnswerState = emptyAnswer();
  #latest: AnswerState = this.#sent;
  #payloads: string[] = [];
  #kept = 0;
  #omitted = 0;
  #read = false;
  #lastPost = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly id: number) {}

  onBytes() {
    this.#read = true;
    this.#timer ??= setTimeout(
      () => this.flush(),
      Math.max(0, this.#lastPost + POST_GAP_MS - performance.now()),
    );
  }

  onPayload(data: string) {
    if (this.#kept++ < MAX_STORED_CHUNKS) this.#payloads.push(data);
    else this.#omitted++;
  }

  onAnswer(answer: AnswerState) {
    const begins = !hasOutput(this.#sent) && hasOutput(answer);
    this.#latest = answer;
    const due = performance.now() - this.#lastPost >= POST_GAP_MS;
    const many = this.#payloads.length + this.#omitted >= POST_EVENTS;
    if (begins || due || many) this.flush();
  }

  flush() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#read) return;
    this.#read = false;
    const growth = growthOf(this.#sent, this.#latest);
    this.#sent = this.#latest;
    const m: ReadMessage = { type: 'read', id: this.id, payloads: this.#payloads };
    if (this.#omitted) m.omitted = this.#omitted;
    if (growth) m.growth = growth;
    this.#payloads = [];
    this.#omitted = 0;
    this.#lastPost = performance.now();
    post(m);
  }
}
