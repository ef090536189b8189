// Conversations, one record per key. Every read goes through
// migrateConversation, so the rest of the app only ever sees current,
// well-typed records.

import { deriveTitle, migrateConversation, modelsOf } from '../model/conversation';
import type { Checked } from '../model/settings';
import type { Conversation } from '../model/types';
import type { Kv } from './kv';

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  model: string;
}

export interface ConversationList {
  /** Newest first. */
  items: ConversationSummary[];
  /** Records that could not be read (corrupt, or from a newer Parley). */
  skipped: number;
}

const PREFIX = 'conv:';
const CURRENT_KEY = 'currentId';
const convKey = (id: string) => PREFIX + id;

/** `conv` must be a plain snapshot (no Svelte proxies): IndexedDB clones it as is. */
export async function saveConversation(kv: Kv, conv: Conversation): Promise<void> {
  await kv.set(convKey(conv.id), conv);
}

export async function loadConversation(kv: Kv, id: string): Promise<Checked<Conversation>> {
  const raw = await kv.get(convKey(id));
  if (raw === undefined) return { ok: false, error: `No saved conversation with id ${id}.` };
  const result = migrateConversation(raw);
  // A record filed under another id would be saved back under its own id and duplicate itself.
  if (result.ok && result.value.id !== id) {
    return { ok: false, error: `The record stored as ${id} has id ${result.value.id}.` };
  }
  return result;
}

export async function listConversations(kv: Kv): Promise<ConversationList> {
  const ids = (await kv.keys())
    .filter((k) => k.startsWith(PREFIX))
    .map((k) => k.slice(PREFIX.length));
  const loaded = await Promise.all(ids.map((id) => loadConversation(kv, id)));
  const items: ConversationSummary[] = [];
  for (const r of loaded) {
    if (!r.ok) continue;
    const { id, title, updatedAt } = r.value;
    items.push({ id, title: title || deriveTitle(r.value), updatedAt, model: modelsOf(r.value) });
  }
  items.sort((a, b) => b.updatedAt - a.updatedAt);
  return { items, skipped: loaded.length - items.length };
}

export async function deleteConversation(kv: Kv, id: string): Promise<void> {
  await kv.del(convKey(id));
  // Do not leave the app pointing at a conversation that no longer exists.
  if ((await getCurrentId(kv)) === id) await kv.del(CURRENT_KEY);
}

export async function getCurrentId(kv: Kv): Promise<string | undefined> {
  const id = await kv.get(CURRENT_KEY);
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export async function setCurrentId(kv: Kv, id: string): Promise<void> {
  await kv.set(CURRENT_KEY, id);
}
