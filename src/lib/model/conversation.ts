// Conversations: ids, creation and titles. Reading stored or imported
// records is read-conversation.ts's job.

import { migrateParams, readTools } from './read-params';
import { SCHEMA_VERSION, type Conversation, type Message, type ToolsConfig } from './types';

export const DEFAULT_MODEL = 'gpt-4';
export const UNTITLED = 'New conversation';
const TITLE_MAX = 60;

/** A random id; UUID v4 formatted either way. */
export function newId(): string {
  const c = globalThis.crypto;
  // randomUUID only exists in secure contexts; a page served over plain http
  // on a LAN address still has getRandomValues.
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** No tools: nothing sent. */
export function emptyTools(): ToolsConfig {
  return { json: '', format: 'tools' };
}

export function createConversation(
  init: Partial<
    Pick<Conversation, 'model' | 'systemMessage' | 'systemRole' | 'params' | 'stream' | 'tools'>
  > = {},
): Conversation {
  const now = Date.now();
  const conv: Conversation = {
    schemaVersion: SCHEMA_VERSION,
    id: newId(),
    title: '',
    createdAt: now,
    updatedAt: now,
    systemMessage: init.systemMessage ?? '',
    model: init.model ?? DEFAULT_MODEL,
    stream: init.stream ?? true,
    // A fresh copy, so the new conversation never shares a stop array with the old one.
    params: migrateParams(init.params),
    tools: init.tools ? readTools(init.tools, 'tools') : emptyTools(),
    messages: [],
    draft: '',
  };
  if (init.systemRole) conv.systemRole = init.systemRole;
  return conv;
}

/** The model a conversation uses, or its panes' models while comparing. */
export function modelsOf(conv: Pick<Conversation, 'model' | 'compare'>): string {
  if (!conv.compare?.active || conv.compare.panes.length === 0) return conv.model;
  return [...new Set(conv.compare.panes.map((p) => p.model))].join(' vs ');
}

/** A title from the first user message, without asking the model for one. */
export function deriveTitle(conv: Pick<Conversation, 'messages' | 'compare'>): string {
  const isText = (m: Message) => m.role === 'user' && m.content.trim() !== '';
  // A conversation that began in compare mode has its first turns in the panes.
  const first = conv.messages.find(isText) ?? conv.compare?.panes[0]?.messages.find(isText);
  if (!first) return UNTITLED;
  const line = (first.content.trim().split('\n')[0] ?? '').trim().replace(/\s+/g, ' ');
  // Count code points so an emoji is never cut in half.
  const chars = Array.from(line);
  if (chars.length <= TITLE_MAX) return line;
  return (
    chars
      .slice(0, TITLE_MAX - 1)
      .join('')
      .trimEnd() + '…'
  );
}

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

/** The turn a transcript waits to have answered: it ends with a user turn or results. */
export function awaitsAnswer(history: readonly Message[]): boolean {
  const last = history.at(-1);
  return last !== undefined && last.role !== 'assistant';
}
