// Which tokenizer and how much context a model has. Pure: no tokenizer import,
// so the page can decide what to load before loading anything.

import { longestPrefixMatch } from '../model/pricing';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Model id prefixes (matched like prices: longest wins, "-…" snapshots included). */
const ENCODINGS: Readonly<Record<string, EncodingName>> = {
  'gpt-3.5': 'cl100k_base',
  'gpt-3.5-turbo': 'cl100k_base',
  'gpt-4': 'cl100k_base',
  'gpt-4o': 'o200k_base',
  'chatgpt-4o': 'o200k_base',
  'gpt-4.1': 'o200k_base',
  'gpt-4.5': 'o200k_base',
  'gpt-5': 'o200k_base',
  o1: 'o200k_base',
  o3: 'o200k_base',
  o4: 'o200k_base',
  'o4-mini': 'o200k_base',
};

/** Context window in tokens (prompt + answer), from OpenAI's model pages. */
const CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
  'gpt-4': 8_192,
  'gpt-4-32k': 32_768,
  'gpt-4-turbo': 128_000,
  'gpt-4-1106': 128_000,
  'gpt-4-0125': 128_000,
  'gpt-3.5-turbo': 16_385,
  'gpt-4o': 128_000,
  'gpt-4o-mini': 128_000,
  'chatgpt-4o': 128_000,
  'gpt-4.1': 1_047_576,
  'gpt-4.1-mini': 1_047_576,
  'gpt-4.1-nano': 1_047_576,
  o1: 200_000,
  'o1-mini': 128_000,
  o3: 200_000,
  'o3-mini': 200_000,
  'o4-mini': 200_000,
  'gpt-5': 400_000,
};

export interface ModelTokenInfo {
  encoding: EncodingName;
  /** False when the model is not one we know: the count assumes o200k_base. */
  known: boolean;
  /** Undefined when not known. */
  contextWindow?: number;
}

export function tokenInfoFor(model: string): ModelTokenInfo {
  const encKey = longestPrefixMatch(model, Object.keys(ENCODINGS));
  const ctxKey = longestPrefixMatch(model, Object.keys(CONTEXT_WINDOWS));
  const info: ModelTokenInfo = {
    encoding: encKey ? ENCODINGS[encKey]! : 'o200k_base',
    known: encKey !== undefined,
  };
  if (ctxKey) info.contextWindow = CONTEXT_WINDOWS[ctxKey]!;
  return info;
}
