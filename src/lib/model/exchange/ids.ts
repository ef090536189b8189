// New ids for a copy of a conversation, so it can sit beside the original.

import { newId } from '../conversation';
import type { Conversation, Message } from '../types';

/**
 * A copy with a new conversation id, new message ids and new pane ids;
 * everything else (tool call ids included: they are the API's) is unchanged.
 */
export function withFreshIds(conv: Conversation): Conversation {
  const copy = JSON.parse(JSON.stringify(conv)) as Conversation;
  const renumber = (messages: Message[]) => messages.map((m) => ({ ...m, id: newId() }));
  copy.id = newId();
  copy.messages = renumber(copy.messages);
  if (copy.compare) {
    copy.compare.panes = copy.compare.panes.map((p) => ({
      ...p,
      id: newId(),
      messages: renumber(p.messages),
    }));
  }
  return copy;
}
