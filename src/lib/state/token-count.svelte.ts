import { imageTokens } from '../model/images';
import type { ImagePart, Message, ToolsConfig } from '../model/types';
import {
  chatLength,
  promptChat,
  promptTools,
  roughTokens,
  TokenCounter,
  tokenInfoFor,
  type ChatText,
  type EncodingName,
  type ToolDefs,
} from '../tokens';
import { whenIdle } from './idle';
import { sameItems as same } from '../model/same-items';

export interface PromptInput {
  model: string;
  systemMessage: string;
  messages: readonly Message[];
  draft: string;
  /** Images attached to the draft: counted by their size. */
  draftImages?: readonly ImagePart[];
  tools?: ToolsConfig;
  /** An answer is arriving: the next prompt is not known until it is done. */
  busy?: boolean;
  /** Messages before `messages` still being read (ChatSession.earlier): not known yet either. */
  earlier?: number;
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
  /** Characters divided by four, while the tokenizer is still loading. */
  rough: boolean;
}

export interface TokenCountOptions {
  /** Wait this long after the last keystroke before counting. */
  debounceMs?: number;
  counter?: TokenCounter;
  /** When the first exact count may start (it loads the vocabulary): once the page is idle. */
  idle?: (start: () => void) => () => void;
}

/** The part of a prompt that changes rarely, made once per change, not per keystroke. */
interface History {
  key: number;
  model: string;
  chat: ChatText[];
  tools: ToolDefs | undefined;
  chars: number;
  /** What it was made from, to notice a change by reference. */
  from: readonly unknown[];
}

/**
 * Counts the prompt as it is typed: debounced, latest request wins. The
 * history is rebuilt and recounted only when it changes; a keystroke only
 * sends the draft. Until the tokenizer is there, a rough estimate shows.
 */
export class TokenCountState {
  #estimate = $state.raw<PromptEstimate | null>(null);
  #error = $state<string | null>(null);
  #counter: TokenCounter;
  #debounceMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  #history: History | null = null;
  #exact = false;
  #idle = false;
  /** The count waiting for the page to be idle. */
  #waiting: (() => void) | null = null;
  #stopIdle: (() => void) | undefined;
  #whenIdle: (start: () => void) => () => void;

  constructor(options: TokenCountOptions = {}) {
    this.#counter = options.counter ?? new TokenCounter();
    this.#debounceMs = options.debounceMs ?? 200;
    this.#whenIdle = options.idle ?? whenIdle;
  }

  /** Null until the first estimate. */
  get estimate() {
    return this.#estimate;
  }

  /** Why the last count failed (the tokenizer could not load), or null. */
  get error() {
    return this.#error;
  }

  update(input: PromptInput) {
    clearTimeout(this.#timer);
    const draft = input.draft;
    const pictures = (input.draftImages ?? []).reduce((n, i) => n + imageTokens(i), 0);
    const seq = ++this.#seq;
    if (!this.#exact) {
      const history = this.#historyOf(input);
      this.#show(history, roughTokens(history.chars + draft.length) + pictures, true);
    }
    // Once counts are exact, a changed history (an answer just ended, a message
    // edited) is made with the count, off the frame that shows the change: in
    // a long conversation that is every message turned into prompt text.
    const later = () => {
      this.#timer = setTimeout(
        () => void this.#count(seq, this.#historyOf(input), draft, pictures),
        this.#debounceMs,
      );
    };
    if (this.#idle) return later();
    this.#waiting = later;
    this.#stopIdle ??= this.#whenIdle(() => {
      this.#idle = true;
      this.#waiting?.();
      this.#waiting = null;
    });
  }

  #historyOf(input: PromptInput): History {
    const from = [input.model, input.systemMessage, input.messages, input.tools];
    const h = this.#history;
    if (h && same(h.from, from)) return h;
    const chat = promptChat(input);
    const tools = promptTools(input.tools);
    const key = (h?.key ?? 0) + 1;
    const next = { key, model: input.model, chat, tools, chars: chatLength(chat, tools), from };
    this.#history = next;
    return next;
  }

  async #count(seq: number, history: History, draft: string, pictures: number): Promise<void> {
    const info = tokenInfoFor(history.model);
    let tokens: number;
    try {
      tokens = await this.#counter.count({
        encoding: info.encoding,
        key: history.key,
        history: { chat: history.chat, tools: history.tools },
        draft,
      });
    } catch (err) {
      if (seq !== this.#seq) return;
      this.#error = `Could not count tokens: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    if (seq !== this.#seq) return; // a newer count is on its way
    this.#error = null;
    this.#exact = true;
    this.#show(history, tokens + pictures, false);
  }

  #show(history: History, tokens: number, rough: boolean) {
    const info = tokenInfoFor(history.model);
    this.#estimate = {
      model: history.model,
      tokens,
      ...info,
      withTools: history.tools !== undefined,
      rough,
    };
  }

  dispose() {
    clearTimeout(this.#timer);
    this.#stopIdle?.();
    this.#seq++;
    this.#counter.dispose();
  }
}
