// The tokenizer's vocabularies are megabytes: each is imported on first use,
// so it lands in a chunk of its own and costs nothing at page load. Only the
// token worker's script (count.worker.ts) imports this module: the page asks
// that worker (tokens/index.ts), so the build holds one copy of each.

import {
  countChatTokens,
  countDraftTokens,
  type ChatText,
  type TextTokenizer,
  type ToolDefs,
} from './count';
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

/** A prompt to count: its history (sent only when it changed) and the draft. */
export interface PromptCount {
  encoding: EncodingName;
  /** Names one history; a new key means the history changed. */
  key: number;
  /** The history for `key`; absent when the counter already has it. */
  history?: { chat: ChatText[]; tools?: ToolDefs };
  draft: string;
}

/**
 * Counts prompts keeping the last history's count, so that typing only counts
 * the draft. Runs in the worker (or, where there is none, on the main thread).
 */
export class PromptCounter {
  #last: { encoding: EncodingName; key: number; tokens: number } | null = null;

  /** The count, or null when the history of `key` is not known here (send it again). */
  async count(req: PromptCount): Promise<number | null> {
    const tokenizer = await loadTokenizer(req.encoding);
    const known = this.#last?.key === req.key && this.#last.encoding === req.encoding;
    if (!known) {
      if (!req.history) return null;
      const tokens = countChatTokens(tokenizer, req.history.chat, req.history.tools);
      this.#last = { encoding: req.encoding, key: req.key, tokens };
    }
    return this.#last!.tokens + countDraftTokens(tokenizer, req.draft);
  }
}
