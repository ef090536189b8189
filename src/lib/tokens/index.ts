// Counting the prompt as it is typed, and the text of token ids, in a worker:
// the vocabulary (megabytes) loads there, after the page is up, and the main
// thread only sends the draft (the history goes once, when it changes). One
// worker serves the whole page (every chat pane's count and the logit bias
// editor): one copy of a vocabulary in memory, loaded once. Where no worker
// can start (a browser without module workers, tests), the page imports the
// worker's own script and runs it in the page: the same files, no second copy
// of the vocabularies in the build.

import type { TokenReply, TokenRequest } from './count.worker';
// Built as a worker chunk of its own; this is its URL.
import counterUrl from './count.worker.ts?worker&url';
import type { PromptCount } from './load';
import type { EncodingName } from './models';
import { moduleWorker } from '../render/script-url';

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

type Question = TokenRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
type Engine = { answer(req: TokenRequest): Promise<TokenReply> };

/** The page's token worker: started on first use, replaced by the page itself where it cannot run. */
class TokenWorker {
  #worker: Worker | null = null;
  #broken = typeof Worker === 'undefined';
  #inPage: Promise<Engine> | null = null;
  #next = 0;
  #waiting = new Map<number, { resolve: (r: TokenReply) => void; reject: (e: Error) => void }>();

  ask(question: Question): Promise<TokenReply> {
    const req = { ...question, id: ++this.#next } as TokenRequest;
    const worker = this.#broken ? null : this.#ensureWorker();
    if (!worker) {
      // The worker's script, run here (its vocabularies are the same files).
      // (The URL as the bundler gives it: absolute in a build, root-relative in tests.)
      this.#inPage ??= import(/* @vite-ignore */ counterUrl) as Promise<Engine>;
      return this.#inPage.then((engine) => engine.answer(req));
    }
    return new Promise<TokenReply>((resolve, reject) => {
      this.#waiting.set(req.id, { resolve, reject });
      worker.postMessage(req);
    });
  }

  #ensureWorker(): Worker | null {
    if (this.#worker) return this.#worker;
    try {
      const worker = moduleWorker('parley-worker', new URL(counterUrl, import.meta.url).href);
      worker.onmessage = (e: MessageEvent<TokenReply>) => {
        const waiter = this.#waiting.get(e.data.id);
        if (!waiter) return;
        this.#waiting.delete(e.data.id);
        waiter.resolve(e.data);
      };
      worker.onerror = () => {
        // A worker that cannot start (CSP, old browser): fail what waits, answer in the page next time.
        for (const w of this.#waiting.values()) w.reject(new Error('The token counter stopped.'));
        this.#waiting.clear();
        worker.terminate();
        this.#worker = null;
        this.#broken = true;
      };
      this.#worker = worker;
      return worker;
    } catch {
      this.#broken = true;
      return null;
    }
  }
}

let shared: TokenWorker | null = null;
const tokenWorker = () => (shared ??= new TokenWorker());

const failed = (reply: TokenReply) => ('error' in reply ? new Error(reply.error) : null);

/** The text of each token id in `encoding`; null for an id it does not have. */
export async function tokenTexts(
  encoding: EncodingName,
  tokens: number[],
): Promise<(string | null)[]> {
  const reply = await tokenWorker().ask({ kind: 'decode', encoding, tokens });
  const error = failed(reply);
  if (error) throw error;
  return 'texts' in reply ? reply.texts : tokens.map(() => null);
}

let counters = 0;

/** One prompt's live count (a chat pane's): its history is kept by the worker between keystrokes. */
export class TokenCounter {
  readonly #id = ++counters;

  /** The prompt's count; the history is sent only when the counter lacks it. */
  async count(req: PromptCount): Promise<number> {
    const first = await this.#ask({ ...req, history: undefined });
    if (first !== null) return first;
    if (!req.history) throw new Error('The counter lost the conversation: count it again.');
    const second = await this.#ask(req);
    if (second === null) throw new Error('The counter could not take the conversation.');
    return second;
  }

  async #ask(req: PromptCount): Promise<number | null> {
    const reply = await tokenWorker().ask({ kind: 'count', counter: this.#id, ...req });
    const error = failed(reply);
    if (error) throw error;
    return 'tokens' in reply ? reply.tokens : null;
  }

  /** Its history leaves the worker (the worker stays: it serves the whole page). */
  dispose() {
    if (shared) void shared.ask({ kind: 'drop', counter: this.#id }).catch(() => {});
  }
}
