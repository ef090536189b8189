// Counting the prompt as it is typed, in a worker: the vocabulary (megabytes)
// loads there, after the page is up, and the main thread only sends the draft
// (the history goes once, when it changes). Where there is no worker (tests,
// a CSP that forbids it) the same counting runs on the main thread.

import type { CountReply, CountRequest } from './count.worker';
// Built as a worker chunk of its own; this is its URL.
import counterUrl from './count.worker.ts?worker&url';
import { PromptCounter, type PromptCount } from './load';
import { signedScriptUrl } from '../render/script-url';

export {
  chatLength,
  promptChat,
  promptTools,
  roughTokens,
  type ChatText,
  type ToolDefs,
} from './count';
export { tokenInfoFor, type EncodingName } from './models';
export type { PromptCount } from './load';

/** The counter's script URL as `new Worker()` takes it: signed by `parley-worker` (script-url.ts). */
const counterScript = () =>
  signedScriptUrl('parley-worker', new URL(counterUrl, import.meta.url).href);

export class TokenCounter {
  #worker: Worker | null = null;
  #next = 0;
  #broken = typeof Worker === 'undefined';
  #inThread: PromptCounter | null = null;
  #waiting = new Map<number, { resolve: (n: number | null) => void; reject: (e: Error) => void }>();

  /** The prompt's count; the history is sent only when the counter lacks it. */
  async count(req: PromptCount): Promise<number> {
    const first = await this.#ask({ ...req, history: undefined });
    if (first !== null) return first;
    if (!req.history) throw new Error('The counter lost the conversation: count it again.');
    const second = await this.#ask(req);
    if (second === null) throw new Error('The counter could not take the conversation.');
    return second;
  }

  #ask(req: PromptCount): Promise<number | null> {
    const worker = this.#broken ? null : this.#ensureWorker();
    if (!worker) {
      this.#inThread ??= new PromptCounter();
      return this.#inThread.count(req);
    }
    const id = ++this.#next;
    return new Promise<number | null>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...req } satisfies CountRequest);
    });
  }

  #ensureWorker(): Worker | null {
    if (this.#worker) return this.#worker;
    try {
      // (TypeScript's Worker takes a string or URL; a TrustedScriptURL works the same.)
      const worker = new Worker(counterScript() as string, { type: 'module' });
      worker.onmessage = (e: MessageEvent<CountReply>) => {
        const waiter = this.#waiting.get(e.data.id);
        if (!waiter) return;
        this.#waiting.delete(e.data.id);
        if ('tokens' in e.data) waiter.resolve(e.data.tokens);
        else waiter.reject(new Error(e.data.error));
      };
      worker.onerror = () => {
        // A worker that cannot start (CSP, old browser): fail what waits, count in-thread next time.
        for (const w of this.#waiting.values()) w.reject(new Error('The token counter stopped.'));
        this.#waiting.clear();
        this.dispose();
        this.#broken = true;
      };
      this.#worker = worker;
      return worker;
    } catch {
      this.#broken = true;
      return null;
    }
  }

  /** True once the worker failed; counts then run on the main thread. */
  get broken() {
    return this.#broken;
  }

  dispose() {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
