// The tokenizer's worker: counts prompts as they are typed, and gives the text
// of token ids (the logit bias editor), off the main thread, so typing stays
// smooth. The vocabularies (megabytes) load here and only here: the page's
// bundle holds no copy of them. Where no worker can start, the page imports
// this same script and calls `answer` itself (tokens/index.ts): the same
// files, still one copy.

import { loadTokenizer, PromptCounter, type PromptCount } from './load';
import type { EncodingName } from './models';

export type TokenRequest = { id: number } & (
  | ({ kind: 'count'; counter: number } & PromptCount)
  | { kind: 'decode'; encoding: EncodingName; tokens: number[] }
  | { kind: 'drop'; counter: number }
);

/**
 * `tokens: null`: this worker does not hold that counter's history; send it
 * with the draft. `texts`: each token's text, null for an id the vocabulary
 * does not have.
 */
export type TokenReply =
  | { id: number; tokens: number | null }
  | { id: number; texts: (string | null)[] }
  | { id: number; error: string };

/** One counter per prompt being counted (each chat pane has its own history). */
const counters = new Map<number, PromptCounter>();

export async function answer(req: TokenRequest): Promise<TokenReply> {
  const { id } = req;
  try {
    if (req.kind === 'drop') {
      counters.delete(req.counter);
      return { id, tokens: null };
    }
    if (req.kind === 'decode') {
      const vocab = await loadTokenizer(req.encoding);
      const texts = req.tokens.map((token) => {
        try {
          return vocab.decode([token]);
        } catch {
          return null; // not an id of this vocabulary
        }
      });
      return { id, texts };
    }
    const { kind: _, counter: which, ...count } = req;
    let counter = counters.get(which);
    if (!counter) counters.set(which, (counter = new PromptCounter()));
    return { id, tokens: await counter.count(count) };
  } catch (err) {
    return { id, error: String(err) };
  }
}

// In a worker (not when the page imports this file): answer the page's messages.
const WorkerScope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
  .WorkerGlobalScope;
if (WorkerScope && self instanceof WorkerScope) {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<TokenRequest>) => void) | null;
    postMessage(reply: TokenReply): void;
  };
  scope.onmessage = async (e) => scope.postMessage(await answer(e.data));
}
