// One turn as the exact Chat Completions body Parley sends (the "request
// body" download and the next-request view).

import { paneHistory, paneSetup, type RequestSetup } from '../compare';
import { buildRequest } from '../request';
import type { Conversation, Message } from '../types';

interface TurnSource {
  config: RequestSetup;
  messages: Message[];
}

/**
 * The request body Parley sends for one turn, as pretty JSON (stream and
 * stream_options included: what you see is what is sent). Without
 * `upToMessageId`: the next request of the conversation. With the id of an
 * assistant answer: the request that produced it (the history before it).
 * With any other message: the history up to and including it. A message of a
 * compare pane gives that pane's request (its model, overrides, system
 * message, tools and history). Throws when no message has that id.
 */
export function turnAsRequestBody(conv: Conversation, upToMessageId?: string): string {
  let source: TurnSource = { config: conv, messages: conv.messages };
  if (upToMessageId !== undefined && !conv.messages.some((m) => m.id === upToMessageId)) {
    const pane = conv.compare?.panes.find((p) => p.messages.some((m) => m.id === upToMessageId));
    if (!pane) throw new Error(`No message with id ${upToMessageId} in this conversation.`);
    source = { config: paneSetup(conv, pane), messages: paneHistory(conv, pane) };
  }
  let messages = source.messages;
  if (upToMessageId !== undefined) {
    const index = messages.findIndex((m) => m.id === upToMessageId);
    const target = messages[index]!;
    messages = messages.slice(0, target.role === 'assistant' ? index : index + 1);
  }
  const { body } = buildRequest({ ...source.config, messages });
  return JSON.stringify(body, null, 2) + '\n';
}
