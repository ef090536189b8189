// Shared builders for the data tests make: messages and conversations, with
// only what a test cares about written out.
import { createConversation } from '../../src/lib/model/conversation';
import type { Conversation, Message } from '../../src/lib/model/types';

/** A message with a fixed id (tests refer to messages by id). */
export function message(
  id: string,
  role: Message['role'],
  content: string,
  more: Partial<Message> = {},
): Message {
  return { id, role, content, ...more };
}

/** A new conversation (gpt-4o unless told) with `more` on top. */
export function conversation(more: Partial<Conversation> = {}): Conversation {
  return { ...createConversation({ model: more.model ?? 'gpt-4o' }), ...more };
}

/**
 * A conversation as the library holds it: a title, a time, one exchange
 * ("About <title>" / "Answer on <title>" unless the question is given).
 */
export function storedConversation(
  title: string,
  updatedAt: number,
  question = `About ${title}`,
): Conversation {
  return conversation({
    title,
    updatedAt,
    messages: [message('u1', 'user', question), message('a1', 'assistant', `Answer on ${title}`)],
  });
}
