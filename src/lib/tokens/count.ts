// Counting the tokens of a chat prompt, given a tokenizer. Pure: the tokenizer
// is passed in, so this runs the same on the main thread, in the worker and in tests.

import { imageTokens } from '../model/images';
import { toWireMessages, type WireContentPart } from '../model/request';
import { estimateToolTokens } from '../model/tools';
import type { Message, ToolFormat, ToolsConfig } from '../model/types';

/** One message as the tokenizer sees it. */
export interface ChatText {
  role: string;
  name?: string;
  content: string;
  /** Tokens of its images, estimated by their size (not text: the tokenizer does not see them). */
  imageTokens?: number;
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
    total += m.imageTokens ?? 0;
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
  // Four characters a token, so images count as what they cost.
  for (const m of chat) n += m.content.length + 4 * (m.imageTokens ?? 0);
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

type ImageDetail = 'auto' | 'low' | 'high' | undefined;

/** The text parts of a content array; audio and files are not text the tokenizer sees. */
const textOf = (parts: readonly WireContentPart[]) =>
  parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');

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
  // The wire's image parts carry no size: it is found by URL among the messages' images.
  const images = new Map(input.messages.flatMap((m) => m.images ?? []).map((i) => [i.url, i]));
  const chat: ChatText[] = wire.map((w) => {
    const calls = (w.tool_calls ?? []).map((c) =>
      c.type === 'custom'
        ? `${c.custom.name}\n${c.custom.input}`
        : `${c.function.name}\n${c.function.arguments}`,
    );
    if (w.function_call) calls.push(`${w.function_call.name}\n${w.function_call.arguments}`);
    const parts = typeof w.content === 'string' || w.content === null ? null : w.content;
    const body = parts ? textOf(parts) : (w.content ?? '');
    const content = [body, w.refusal ?? '', ...calls].filter((s) => s !== '').join('\n');
    const text: ChatText = { role: w.role, content };
    if (w.name) text.name = w.name;
    const pictures = parts?.flatMap((p) => (p.type === 'image_url' ? [p.image_url] : [])) ?? [];
    if (pictures.length) {
      text.imageTokens = pictures.reduce(
        (sum, p) => sum + imageTokens({ ...images.get(p.url), detail: p.detail as ImageDetail }),
        0,
      );
    }
    return text;
  });
  return chat;
}
