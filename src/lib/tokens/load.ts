// The tokenizer's vocabularies are megabytes: each is imported on first use,
// so it lands in a chunk of its own and costs nothing at page load.

import { countChatTokens, type ChatText, type TextTokenizer, type ToolDefs } from './count';
import type { EncodingName } from './models';

/** What the app uses of an encoding module: counting, and token id -> text. */
export interface Vocabulary extends TextTokenizer {
  decode(tokens: number[]): string;
}

const LOADERS: Record<EncodingName, () => Promise<Vocabulary>> = {
  o200k_base: () => import('gpt-tokenizer/encoding/o200k_base'),
  cl100k_base: () => import('gpt-tokenizer/encoding/cl100k_base'),
};

const loaded = new Map<EncodingName, Promise<Vocabulary>>();

export function loadTokenizer(encoding: EncodingName): Promise<Vocabulary> {
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
  tools?: ToolDefs,
): Promise<number> {
  return countChatTokens(await loadTokenizer(encoding), chat, tools);
}
