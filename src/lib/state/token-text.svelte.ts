// Token id -> text, for the logit bias editor. gpt-tokenizer's vocabularies are
// large, so each is loaded on first use, in its own chunk.

import { loadTokenizer } from '../tokens/load';
import { tokenInfoFor, type EncodingName as TokenEncoding } from '../tokens/models';

type Decode = (tokens: number[]) => string;

export type TokenLookup =
  | { state: 'unknown-model' }
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'ok'; text: string };

export class TokenText {
  #decoders = $state.raw<Partial<Record<TokenEncoding, Decode>>>({});
  #failed = $state.raw<Partial<Record<TokenEncoding, true>>>({});
  /** Not reactive on purpose: it only stops a second load from starting. */
  #started: Partial<Record<TokenEncoding, true>> = {};

  /** The text of one token for this model; starts loading the vocabulary if needed. */
  lookup(model: string, id: number): TokenLookup {
    const { encoding, known } = tokenInfoFor(model);
    if (!known || this.#failed[encoding]) return { state: 'unknown-model' };
    const decode = this.#decoders[encoding];
    if (!decode) {
      this.#load(encoding);
      return { state: 'loading' };
    }
    try {
      return { state: 'ok', text: decode([id]) };
    } catch {
      return { state: 'missing' };
    }
  }

  #load(encoding: TokenEncoding) {
    if (this.#started[encoding]) return;
    this.#started[encoding] = true;
    // Deferred: lookup() runs while rendering, where state must not change.
    queueMicrotask(() => {
      loadTokenizer(encoding).then(
        (vocab) => (this.#decoders = { ...this.#decoders, [encoding]: vocab.decode }),
        () => (this.#failed = { ...this.#failed, [encoding]: true }),
      );
    });
  }
}
