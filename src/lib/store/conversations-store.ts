// Conversations, one record per key. Every read goes through
// migrateConversation, so the rest of the app only ever sees current,
// well-typed records. Each record carries a revision, bumped on every save
// in the same transaction that checks it: two tabs cannot overwrite each
// other's work without noticing.

import { migrateConversation } from '../model/read-conversation';
import { isObject, own } from '../model/json';
import { toLibraryEntry, type LibraryEntry } from '../model/library';
import { fail, ok, type Result } from '../model/result';
import type { Conversation } from '../model/types';
import type { Kv } from './kv';

export interface ConversationList {
  /** Newest first. */
  items: LibraryEntry[];
  /** Records that could not be read (corrupt, or from a newer Parley), with why. */
  skipped: { id: string; error: string }[];
}

/** A conversation as stored, with the revision its next save must be based on. */
export interface StoredConversation {
  conversation: Conversation;
  revision: number;
}

export type LoadedConversation = Result<StoredConversation>;

/**
 * The revision the save wrote; or, when another tab saved since the revision
 * this save was based on, the revision it saved (nothing was written).
 */
export type SaveResult = Result<number, { conflictWith: number }>;

const PREFIX = 'conv:';
const CURRENT_KEY = 'currentId';
const convKey = (id: string) => PREFIX + id;

/** The revision a stored record carries; 0 for records saved before revisions. */
function revisionOf(raw: unknown): number {
  const r = isObject(raw) ? own(raw, 'revision') : undefined;
  return typeof r === 'number' && Number.isSafeInteger(r) && r >= 0 ? r : 0;
}

/**
 * Saves `conv` (a plain snapshot: IndexedDB clones it as is). With
 * `expected`, only if the stored record is still at that revision (or gone):
 * otherwise nothing is written and the conflict is returned.
 */
export async function saveConversation(
  kv: Kv,
  conv: Conversation,
  expected?: number,
): Promise<SaveResult> {
  let result: SaveResult = ok(1);
  await kv.update(convKey(conv.id), (old) => {
    const current = old === undefined ? 0 : revisionOf(old);
    if (expected !== undefined && old !== undefined && current !== expected) {
      result = fail({ conflictWith: current });
      return old;
    }
    result = ok(current + 1);
    return { ...conv, revision: current + 1 };
  });
  return result;
}

export async function loadConversation(kv: Kv, id: string): Promise<LoadedConversation> {
  const raw = await kv.get(convKey(id));
  if (raw === undefined) return fail(`No saved conversation with id ${id}.`);
  const result = migrateConversation(raw);
  if (!result.ok) return result;
  // A record filed under another id would be saved back under its own id and duplicate itself.
  if (result.value.id !== id) {
    return fail(`The record stored as ${id} has id ${result.value.id}.`);
  }
  return ok({ conversation: result.value, revision: revisionOf(raw) });
}

export async function listConversations(kv: Kv): Promise<ConversationList> {
  const ids = (await kv.keys())
    .filter((k) => k.startsWith(PREFIX))
    .map((k) => k.slice(PREFIX.length));
  const loaded = await Promise.all(ids.map((id) => loadConversation(kv, id)));
  const items: LibraryEntry[] = [];
  const skipped: ConversationList['skipped'] = [];
  loaded.forEach((r, i) => {
    if (r.ok) items.push(toLibraryEntry(r.value.conversation));
    else skipped.push({ id: ids[i]!, error: r.error });
  });
  items.sort((a, b) => b.updatedAt - a.updatedAt);
  return { items, skipped };
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
