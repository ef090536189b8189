// Counting the tokens of a chat prompt, given a tokenizer. Pure: the tokenizer
// is passed in, so this runs the same on the main thread, in the worker and in tests.

import { toWireMessages } from '../model/request';
import { estimateToolTokens } from '../model/tools';
import type { Message, ToolFormat, ToolsConfig } from '../model/types';

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

/** Tool definitions as they will be sent, for the estimate. */
export interface ToolDefs {
  value: unknown[];
  format: ToolFormat;
}

export function countChatTokens(
  tokenizer: TextTokenizer,
  chat: readonly ChatText[],
  tools?: ToolDefs,
): number {
  let total = REPLY_PRIMING_TOKENS;
  if (tools)
    total += estimateToolTokens(tools.value, tools.format, (t) => tokenizer.countTokens(t, PLAIN));
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

/**
 * What one more user turn adds to a counted chat: the count is a sum over
 * messages, so the history is counted once and only the draft per keystroke.
 */
export function countDraftTokens(tokenizer: TextTokenizer, draft: string): number {
  if (draft.trim() === '') return 0;
  return (
    TOKENS_PER_MESSAGE + tokenizer.countTokens('user', PLAIN) + tokenizer.countTokens(draft, PLAIN)
  );
}

/** About four characters a token: shown, marked rough, until the tokenizer has loaded. */
export function roughTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Characters in the chat (and the definitions): what a rough estimate goes by. */
export function chatLength(chat: readonly ChatText[], tools?: ToolDefs): number {
  let n = 0;
  for (const m of chat) n += m.content.length;
  if (tools) n += JSON.stringify(tools.value).length;
  return n;
}

/** The definitions the next request would send, or undefined when none would go. */
export function promptTools(tools: ToolsConfig | undefined): ToolDefs | undefined {
  if (!tools || tools.json.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(tools.json);
    return Array.isArray(value) && value.length ? { value, format: tools.format } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the next request would send before the draft: system message and
 * transcript. Tool calls are counted as their name and argument text.
 */
export function promptChat(input: {
  systemMessage: string;
  messages: readonly Message[];
  tools?: ToolsConfig;
}): ChatText[] {
  const wire = toWireMessages(
    { systemMessage: input.systemMessage, messages: [...input.messages] },
    input.tools?.format,
  );
  const chat: ChatText[] = wire.map((w) => {
    const calls = (w.tool_calls ?? []).map((c) =>
      c.type === 'custom'
        ? `${c.custom.name}\n${c.custom.input}`
        : `${c.function.name}\n${c.function.arguments}`,
    );
    if (w.function_call) calls.push(`${w.function_call.name}\n${w.function_call.arguments}`);
    const content = [w.content ?? '', w.refusal ?? '', ...calls].filter((s) => s !== '').join('\n');
    const text: ChatText = { role: w.role, content };
    if (w.name) text.name = w.name;
    return text;
  });
  return chat;
}
