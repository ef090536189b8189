// Token id -> text, for the logit bias editor: asked of the token worker
// (tokens/index.ts), which holds the vocabularies; each id once.

import { tokenTexts } from '../tokens';
import { tokenInfoFor, type EncodingName as TokenEncoding } from '../tokens/models';

export type TokenLookup =
  | { state: 'unknown-model' }
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'ok'; text: string };

export class TokenText {
  /** By `encoding:id`: the token's text, or null when the vocabulary has no such id. */
  #texts = $state.raw<Record<string, string | null>>({});
  #failed = $state.raw<Partial<Record<TokenEncoding, true>>>({});
  /** Not reactive on purpose: it only stops a second question for the same id. */
  #asked: Record<string, true> = {};

  /** The text of one token for this model; asks the worker for it if needed. */
  lookup(model: string, id: number): TokenLookup {
    const { encoding, known } = tokenInfoFor(model);
    if (!known || this.#failed[encoding]) return { state: 'unknown-model' };
    const key = `${encoding}:${id}`;
    const text = this.#texts[key];
    if (text === null) return { state: 'missing' };
    if (text !== undefined) return { state: 'ok', text };
    this.#ask(encoding, id, key);
    return { state: 'loading' };
  }

  #ask(encoding: TokenEncoding, id: number, key: string) {
    if (this.#asked[key]) return;
    this.#asked[key] = true;
    // Deferred: lookup() runs while rendering, where state must not change.
    queueMicrotask(() => {
      tokenTexts(encoding, [id]).then(
        ([text]) => (this.#texts = { ...this.#texts, [key]: text ?? null }),
        // The vocabulary could not load (offline after a deploy): no text to show.
        () => (this.#failed = { ...this.#failed, [encoding]: true }),
      );
    });
  }
}
