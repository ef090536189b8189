// The tokenizer's vocabularies are megabytes: each is imported on first use,
// so it lands in a chunk of its own and costs nothing at page load.

import { countChatTokens, type ChatText, type TextTokenizer } from './count';
import type { EncodingName } from './models';

const LOADERS: Record<EncodingName, () => Promise<TextTokenizer>> = {
  o200k_base: () => import('gpt-tokenizer/encoding/o200k_base'),
  cl100k_base: () => import('gpt-tokenizer/encoding/cl100k_base'),
};

const loaded = new Map<EncodingName, Promise<TextTokenizer>>();

export function loadTokenizer(encoding: EncodingName): Promise<TextTokenizer> {
  let p = loaded.get(encoding);
  if (!p) {
    p = LOADERS[encoding]();
    // A failed load (offline after a deploy) is tried again next time.
    p.catch(() => loaded.delete(encoding));
    loaded.set(encoding, p);
  }
  return p;
}

export async function countWithEncoding(
  encoding: EncodingName,
  chat: readonly ChatText[],
): Promise<number> {
  return countChatTokens(await loadTokenizer(encoding), chat);
}
