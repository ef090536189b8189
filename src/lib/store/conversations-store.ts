// Conversations, stored so that a save writes only what changed.
//
// Layout 2 (written now), for a conversation with id C:
//   conv:C        the conversation without its messages: every other field,
//                 `messages` (and each compare pane's) as the list of message
//                 ids, the library entry's title and model, and the revision;
//   msg:C:<id>    one record per message, shared history and panes alike;
//   text:C        the library's search text (up to 200k characters);
//   draft:C       the files attached to the unsent draft (images, audio, PDFs),
//                 absent when there are none.
// A keystroke in the composer rewrites conv:C only; a streamed answer adds its
// own message record; nothing else (an attached file least of all: megabytes
// of base64) is written again unless it changed.
// Layout 1 (one record holding everything) is still read, and becomes layout 2
// on its next save.
//
// Every read goes through migrateConversation, so the rest of the app only
// ever sees current, well-typed records. The revision is bumped on every save
// in the same transaction that checks it: two tabs cannot overwrite each
// other's work without noticing.

import { migrateConversation } from '../model/read-conversation';
import { isObject, own } from '../model/json';
import { toLibraryEntry, type LibraryEntry } from '../model/library';
import { fail, ok, type Result } from '../model/result';
import type { Conversation, Message } from '../model/types';
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

/** A conversation being opened: see ConversationRecords.open. */
export interface Opening {
  /** Its newest messages, when it is long; `earlier`: how many come before them. */
  head?: StoredConversation & { earlier: number };
  whole: Promise<LoadedConversation>;
}

/** What a conversation is read from. */
interface Read {
  raw: unknown;
  stored: Map<string, unknown>;
  searchText: unknown;
  draftParts: unknown;
}

/** How many of a long conversation's newest messages are read first when it opens. */
const HEAD = 40;

/**
 * The revision the save wrote; or, when another tab saved since the revision
 * this save was based on, the revision it saved (nothing was written).
 */
export type SaveResult = Result<number, { conflictWith: number }>;

const PREFIX = 'conv:';
const CURRENT_KEY = 'currentId';
const LAYOUT = 2;
const convKey = (id: string) => PREFIX + id;
const msgKey = (convId: string, msgId: string) => `msg:${convId}:${msgId}`;
const textKey = (convId: string) => `text:${convId}`;
const draftKey = (convId: string) => `draft:${convId}`;

/** The draft's attachments, kept in their own record. */
const DRAFT_PARTS = ['draftImages', 'draftFiles'] as const;

/** The revision a stored record carries; 0 for records saved before revisions. */
function revisionOf(raw: unknown): number {
  const r = isObject(raw) ? own(raw, 'revision') : undefined;
  return typeof r === 'number' && Number.isSafeInteger(r) && r >= 0 ? r : 0;
}

const isSplit = (raw: unknown) => isObject(raw) && own(raw, 'layout') === LAYOUT;

/** Every message of a conversation: the shared history, then each pane's. */
function messagesOf(conv: Conversation): Message[] {
  return [...conv.messages, ...(conv.compare?.panes.flatMap((p) => p.messages) ?? [])];
}

/** The message ids a layout-2 record lists (none for anything else). */
function idsIn(raw: unknown): string[] {
  if (!isSplit(raw) || !isObject(raw)) return [];
  const lists: unknown[] = [own(raw, 'messages')];
  const compare = own(raw, 'compare');
  const panes = isObject(compare) ? own(compare, 'panes') : undefined;
  if (Array.isArray(panes))
    for (const p of panes) lists.push(isObject(p) ? own(p, 'messages') : []);
  return lists.flatMap((l) => (Array.isArray(l) ? l.filter((x) => typeof x === 'string') : []));
}

/** The conversation with each message list swapped for a list of its records' ids. */
function toMeta(conv: Conversation, revision: number, entry: LibraryEntry) {
  const ids = (messages: readonly Message[]) => messages.map((m) => m.id);
  const compare = conv.compare && {
    ...conv.compare,
    panes: conv.compare.panes.map((p) => ({ ...p, messages: ids(p.messages) })),
  };
  const { draftImages: _images, draftFiles: _files, ...rest } = conv;
  return {
    ...rest,
    messages: ids(conv.messages),
    ...(compare ? { compare } : {}),
    layout: LAYOUT,
    revision,
    entry: { title: entry.title, model: entry.model },
  };
}

/** A layout-2 record with its message lists filled by `fill` (ids in, values out). */
function withMessages(raw: Record<string, unknown>, fill: (ids: unknown) => unknown[]) {
  const compare = own(raw, 'compare');
  const panes = isObject(compare) ? own(compare, 'panes') : undefined;
  return {
    ...raw,
    messages: fill(own(raw, 'messages')),
    ...(isObject(compare) && Array.isArray(panes)
      ? {
          compare: {
            ...compare,
            panes: panes.map((p) =>
              isObject(p) ? { ...p, messages: fill(own(p, 'messages')) } : p,
            ),
          },
        }
      : {}),
  };
}

/** What this page last wrote of a conversation: the message objects, search text and draft files, at a revision. */
interface Written {
  revision: number;
  messages: Map<string, Message>;
  text: string | undefined;
  /** The draft's attachment lists as written (compared by identity: the app replaces them to change them). */
  draft: readonly unknown[];
}

const draftOf = (conv: Conversation) => DRAFT_PARTS.map((k) => conv[k]);
const hasDraftParts = (conv: Conversation) => DRAFT_PARTS.some((k) => conv[k]?.length);

/**
 * The conversation records of one store. It remembers which message objects
 * it wrote (the app replaces a message to change it, never edits it in
 * place), so a save puts only the messages that are new or replaced.
 */
export class ConversationRecords {
  readonly #kv: Kv;
  readonly #written = new Map<string, Written>();

  constructor(kv: Kv) {
    this.#kv = kv;
  }

  /**
   * Saves `conv` (a plain snapshot: IndexedDB clones it as is). With
   * `expected`, only if the stored record is still at that revision (or gone):
   * otherwise nothing is written and the conflict is returned.
   */
  async save(
    conv: Conversation,
    expected?: number,
    entry = toLibraryEntry(conv),
  ): Promise<SaveResult> {
    const messages = messagesOf(conv);
    const unique = new Set(messages.map((m) => m.id)).size === messages.length;
    const known = this.#written.get(conv.id);
    let result: SaveResult = ok(1);
    await this.#kv.updateMany(convKey(conv.id), (old) => {
      const current = old === undefined ? 0 : revisionOf(old);
      if (expected !== undefined && old !== undefined && current !== expected) {
        result = fail({ conflictWith: current });
        return null;
      }
      result = ok(current + 1);
      const stale = idsIn(old).map((id) => msgKey(conv.id, id));
      if (!unique) {
        // Ids that repeat cannot key records: such a (hand-made) conversation stays whole.
        return {
          puts: [[convKey(conv.id), { ...conv, revision: current + 1 }]],
          dels: [...stale, textKey(conv.id), draftKey(conv.id)],
        };
      }
      // What this page wrote is still there only if nobody saved since.
      const same = known && known.revision === current && isSplit(old) ? known : undefined;
      const puts: [string, unknown][] = [[convKey(conv.id), toMeta(conv, current + 1, entry)]];
      for (const m of messages) {
        if (same?.messages.get(m.id) !== m) puts.push([msgKey(conv.id, m.id), m]);
      }
      if (same?.text !== entry.text) puts.push([textKey(conv.id), entry.text]);
      const kept = new Set(messages.map((m) => msgKey(conv.id, m.id)));
      const dels = stale.filter((k) => !kept.has(k));
      const draft = draftOf(conv);
      if (!same || draft.some((list, i) => list !== same.draft[i])) {
        if (hasDraftParts(conv)) {
          const parts = Object.fromEntries(DRAFT_PARTS.map((k) => [k, conv[k] ?? []]));
          puts.push([draftKey(conv.id), parts]);
        } else dels.push(draftKey(conv.id));
      }
      return { puts, dels };
    });
    if (result.ok && unique) {
      this.#written.set(conv.id, {
        revision: result.value,
        messages: new Map(messages.map((m) => [m.id, m])),
        text: entry.text,
        draft: draftOf(conv),
      });
    } else if (result.ok) {
      this.#written.delete(conv.id);
    }
    return result;
  }

  async load(id: string): Promise<LoadedConversation> {
    // The record, and with it (they need only the id, not the record) one range
    // read for all its messages (a get per message costs far more), its search
    // text and its draft's files. A record of layout 1 has none of the three.
    const [raw, stored, searchText, draftParts] = await Promise.all([
      this.#kv.get(convKey(id)),
      this.#kv.getPrefix(msgKey(id, '')),
      this.#kv.get(textKey(id)),
      this.#kv.get(draftKey(id)),
    ]);
    return this.#assemble(id, { raw, stored, searchText, draftParts }, true);
  }

  /**
   * Like `load`, for opening the conversation on screen: a long one (layout 2,
   * more than twice HEAD messages, no compare panes) also comes as its newest
   * HEAD messages and everything else of it (`head`, read in a few
   * milliseconds where all its messages take tens), to be shown while `whole`
   * is read. A head is for showing only: saving one would delete the messages
   * it lacks (`save` deletes the records its lists do not name).
   */
  async open(id: string): Promise<Opening> {
    const searchText = this.#kv.get(textKey(id));
    const draftParts = this.#kv.get(draftKey(id));
    const raw = await this.#kv.get(convKey(id));
    const ids =
      isSplit(raw) && isObject(raw) && own(raw, 'compare') === undefined ? idsIn(raw) : [];
    // The head's few reads go first: IndexedDB answers in order.
    const tailIds = ids.length > HEAD * 2 ? ids.slice(-HEAD) : [];
    const tail = tailIds.length ? this.#kv.getMany(tailIds.map((m) => msgKey(id, m))) : undefined;
    const whole = Promise.all([this.#kv.getPrefix(msgKey(id, '')), searchText, draftParts]).then(
      ([stored, text, draft]) =>
        this.#assemble(id, { raw, stored, searchText: text, draftParts: draft }, true),
    );
    if (!tail || !isObject(raw)) return { whole };
    whole.catch(() => {}); // whoever opens it sees the failure
    const values = await tail;
    const stored = new Map(tailIds.map((m, i) => [msgKey(id, m), values[i]]));
    const head = this.#assemble(
      id,
      {
        raw: { ...raw, messages: tailIds },
        stored,
        searchText: undefined,
        draftParts: await draftParts,
      },
      false,
    );
    return { whole, head: head.ok ? { ...head.value, earlier: ids.length - HEAD } : undefined };
  }

  /** A conversation from its records, checked; `remember`: what a save compares with. */
  #assemble(id: string, read: Read, remember: boolean): LoadedConversation {
    const { raw, stored, searchText, draftParts } = read;
    if (raw === undefined) return fail(`No saved conversation with id ${id}.`);
    let whole: unknown = raw;
    let text: string | undefined;
    if (isSplit(raw) && isObject(raw)) {
      const ids = idsIn(raw);
      const byId = new Map(ids.map((m) => [m, stored.get(msgKey(id, m))]));
      const missing = ids.filter((m) => byId.get(m) === undefined).length;
      if (missing > 0)
        return fail(`${missing} of its ${ids.length} messages are missing from storage.`);
      text = typeof searchText === 'string' ? searchText : undefined;
      const filled: Record<string, unknown> = withMessages(raw, (list) =>
        Array.isArray(list) ? list.map((m) => byId.get(m)) : [],
      );
      // The draft's files, read back through the same checks as the rest.
      if (isObject(draftParts)) for (const k of DRAFT_PARTS) filled[k] = own(draftParts, k);
      whole = filled;
    }
    const result = migrateConversation(whole);
    if (!result.ok) return result;
    const conversation = result.value;
    // A record filed under another id would be saved back under its own id and duplicate itself.
    if (conversation.id !== id)
      return fail(`The record stored as ${id} has id ${conversation.id}.`);
    const revision = revisionOf(raw);
    if (remember && isSplit(raw)) {
      const messages = new Map(messagesOf(conversation).map((m) => [m.id, m]));
      this.#written.set(id, { revision, messages, text, draft: draftOf(conversation) });
    }
    return ok({ conversation, revision });
  }

  /**
   * The library: read from the small records only, two range reads (no message
   * is read, and no key of one: a long conversation has thousands).
   */
  async list(): Promise<ConversationList> {
    const [metas, texts] = await Promise.all([
      this.#kv.getPrefix(PREFIX),
      this.#kv.getPrefix(textKey('')),
    ]);
    const items: LibraryEntry[] = [];
    const skipped: ConversationList['skipped'] = [];
    for (const [key, meta] of metas) {
      const id = key.slice(PREFIX.length);
      const entry = listEntry(id, meta, texts.get(textKey(id)));
      if (entry.ok) items.push(entry.value);
      else skipped.push({ id, error: entry.error });
    }
    items.sort((a, b) => b.updatedAt - a.updatedAt);
    return { items, skipped };
  }

  async delete(id: string): Promise<void> {
    await this.#kv.updateMany(convKey(id), (old) => ({
      puts: [],
      dels: [convKey(id), textKey(id), draftKey(id), ...idsIn(old).map((m) => msgKey(id, m))],
    }));
    this.#written.delete(id);
    // Do not leave the app pointing at a conversation that no longer exists.
    if ((await getCurrentId(this.#kv)) === id) await this.#kv.del(CURRENT_KEY);
  }
}

/** A library entry from a stored record, checked as a load would check it (messages aside). */
function listEntry(id: string, raw: unknown, text: unknown): Result<LibraryEntry> {
  if (!isSplit(raw) || !isObject(raw)) {
    const whole = migrateConversation(raw);
    if (!whole.ok) return whole;
    return whole.value.id === id
      ? ok(toLibraryEntry(whole.value))
      : fail(`The record stored as ${id} has id ${whole.value.id}.`);
  }
  const checked = migrateConversation(withMessages(raw, () => []));
  if (!checked.ok) return checked;
  const stored = own(raw, 'entry');
  const title = isObject(stored) ? own(stored, 'title') : undefined;
  const model = isObject(stored) ? own(stored, 'model') : undefined;
  const conv = checked.value;
  if (conv.id !== id) return fail(`The record stored as ${id} has id ${conv.id}.`);
  const made = toLibraryEntry(conv);
  return ok({
    ...made,
    title: typeof title === 'string' && title !== '' ? title : made.title,
    model: typeof model === 'string' ? model : made.model,
    text: typeof text === 'string' ? text : made.text,
  });
}

export async function getCurrentId(kv: Kv): Promise<string | undefined> {
  const id = await kv.get(CURRENT_KEY);
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export async function setCurrentId(kv: Kv, id: string): Promise<void> {
  await kv.set(CURRENT_KEY, id);
}
