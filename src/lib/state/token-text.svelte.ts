// Token id -> text, for the logit bias editor. gpt-tokenizer's vocabularies are
// large, so each is loaded on first use, in its own chunk.

import { tokenEncodingFor, type TokenEncoding } from '../model/params';

type Decode = (tokens: number[]) => string;

const LOADERS: Record<TokenEncoding, () => Promise<Decode>> = {
  o200k_base: async () => (await import('gpt-tokenizer/encoding/o200k_base')).decode,
  cl100k_base: async () => (await import('gpt-tokenizer/encoding/cl100k_base')).decode,
};

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
    const encoding = tokenEncodingFor(model);
    if (!encoding || this.#failed[encoding]) return { state: 'unknown-model' };
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
      LOADERS[encoding]().then(
        (decode) => (this.#decoders = { ...this.#decoders, [encoding]: decode }),
        () => (this.#failed = { ...this.#failed, [encoding]: true }),
      );
    });
  }
}
