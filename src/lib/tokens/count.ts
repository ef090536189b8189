// Counting the tokens of a chat prompt, given a tokenizer. Pure: the tokenizer
// is passed in, so this runs the same on the main thread, in the worker and in tests.

import { toWireMessages } from '../model/request';
import type { Message } from '../model/types';

/** One message as the tokenizer sees it. */
export interface ChatText {
  role: string;
  name?: string;
  content: string;
}

/** The part of gpt-tokenizer's encoding API we use. */
export interface TextTokenizer {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

/**
 * ChatML framing, as gpt-tokenizer's encodeChat and OpenAI's cookbook count it
 * for current chat models: <|im_start|>{role or name}<|im_sep|>{content}<|im_end|>
 * per message, and <|im_start|>assistant<|im_sep|> priming the reply.
 */
export const TOKENS_PER_MESSAGE = 3;
export const REPLY_PRIMING_TOKENS = 3;

// Text the user typed is plain text to the API, even "<|endoftext|>": count it
// as such rather than throwing on a special token.
const PLAIN = { disallowedSpecial: new Set<string>() };

export function countChatTokens(tokenizer: TextTokenizer, chat: readonly ChatText[]): number {
  let total = REPLY_PRIMING_TOKENS;
  const labels = new Map<string, number>();
  for (const m of chat) {
    const label = m.name ?? m.role;
    let n = labels.get(label);
    if (n === undefined) {
      n = tokenizer.countTokens(label, PLAIN);
      labels.set(label, n);
    }
    total += TOKENS_PER_MESSAGE + n + tokenizer.countTokens(m.content, PLAIN);
  }
  return total;
}

/** Characters to be counted; decides whether counting moves off the main thread. */
export function chatLength(chat: readonly ChatText[]): number {
  let n = 0;
  for (const m of chat) n += m.content.length;
  return n;
}

/**
 * What the next request would send: system message, transcript and the draft
 * as a user turn. Tool calls are counted as their name and argument text.
 */
export function promptChat(input: {
  systemMessage: string;
  messages: readonly Message[];
  draft: string;
}): ChatText[] {
  const wire = toWireMessages({
    systemMessage: input.systemMessage,
    messages: [...input.messages],
  });
  const chat: ChatText[] = wire.map((w) => {
    const calls = (w.tool_calls ?? []).map((c) => `${c.function.name}\n${c.function.arguments}`);
    const content = [w.content ?? '', w.refusal ?? '', ...calls].filter((s) => s !== '').join('\n');
    const text: ChatText = { role: w.role, content };
    if (w.name) text.name = w.name;
    return text;
  });
  if (input.draft.trim() !== '') chat.push({ role: 'user', content: input.draft });
  return chat;
}
