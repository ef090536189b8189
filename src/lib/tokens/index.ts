// Counting a prompt: on the main thread when it is small (loading a worker
// would cost more than the count), in a worker when it is large.

import type { ChatText, ToolDefs } from './count';
import type { CountReply, CountRequest } from './count.worker';
import { countWithEncoding } from './load';
import type { EncodingName } from './models';

export { chatLength, promptChat, promptTools, type ChatText, type ToolDefs } from './count';
export { tokenInfoFor, type EncodingName } from './models';

/** Above this many characters the count runs in a worker. */
const WORKER_THRESHOLD_CHARS = 20_000;

export class TokenCounter {
  #worker: Worker | null = null;
  #next = 0;
  #broken = false;
  #waiting = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();

  count(
    encoding: EncodingName,
    chat: ChatText[],
    chars: number,
    tools?: ToolDefs,
  ): Promise<number> {
    if (chars <= WORKER_THRESHOLD_CHARS || typeof Worker === 'undefined' || this.#broken) {
      return countWithEncoding(encoding, chat, tools);
    }
    const worker = this.#ensureWorker();
    if (!worker) return countWithEncoding(encoding, chat, tools);
    const id = ++this.#next;
    return new Promise<number>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, encoding, chat, tools } satisfies CountRequest);
    });
  }

  #ensureWorker(): Worker | null {
    if (this.#worker) return this.#worker;
    try {
      const worker = new Worker(new URL('./count.worker.ts', import.meta.url), { type: 'module' });
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
