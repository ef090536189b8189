import type { Message, ToolsConfig } from '../model/types';
import {
  chatLength,
  promptChat,
  promptTools,
  TokenCounter,
  tokenInfoFor,
  type EncodingName,
  type ToolDefs,
} from '../tokens';

export interface PromptInput {
  model: string;
  systemMessage: string;
  messages: readonly Message[];
  draft: string;
  tools?: ToolsConfig;
}

/** The estimated size of the next request's prompt. */
export interface PromptEstimate {
  model: string;
  tokens: number;
  encoding: EncodingName;
  /** False when the model is unknown and o200k_base was assumed. */
  known: boolean;
  contextWindow?: number;
  /** Tool definitions are in the count (estimated, OpenAI-cookbook style). */
  withTools: boolean;
}

export interface TokenCountOptions {
  /** Wait this long after the last keystroke before counting. */
  debounceMs?: number;
  counter?: TokenCounter;
}

/** Counts the prompt as it is typed: debounced, latest request wins, large prompts in a worker. */
export class TokenCountState {
  #estimate = $state.raw<PromptEstimate | null>(null);
  #error = $state<string | null>(null);
  #counter: TokenCounter;
  #debounceMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;

  constructor(options: TokenCountOptions = {}) {
    this.#counter = options.counter ?? new TokenCounter();
    this.#debounceMs = options.debounceMs ?? 200;
  }

  /** Null until the first count has finished. */
  get estimate() {
    return this.#estimate;
  }

  /** Why the last count failed (the tokenizer could not load), or null. */
  get error() {
    return this.#error;
  }

  update(input: PromptInput) {
    clearTimeout(this.#timer);
    // Copy now: the session may change again before the timer fires.
    const model = input.model;
    const chat = promptChat(input);
    const tools = promptTools(input.tools);
    const seq = ++this.#seq;
    this.#timer = setTimeout(() => void this.#count(seq, model, chat, tools), this.#debounceMs);
  }

  async #count(
    seq: number,
    model: string,
    chat: ReturnType<typeof promptChat>,
    tools: ToolDefs | undefined,
    retried = false,
  ): Promise<void> {
    const info = tokenInfoFor(model);
    const chars = chatLength(chat, tools);
    let tokens: number;
    try {
      tokens = await this.#counter.count(info.encoding, chat, chars, tools);
    } catch (err) {
      // The worker could not start: the counter now works in-thread, try once more.
      if (this.#counter.broken && !retried) return this.#count(seq, model, chat, tools, true);
      if (seq !== this.#seq) return;
      this.#error = `Could not count tokens: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    if (seq !== this.#seq) return; // a newer count is on its way
    this.#error = null;
    this.#estimate = { model, tokens, ...info, withTools: tools !== undefined };
  }

  dispose() {
    clearTimeout(this.#timer);
    this.#seq++;
    this.#counter.dispose();
  }
}
