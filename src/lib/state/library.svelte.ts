import { createContext } from 'svelte';
import { createConversation, newId } from '../model/conversation';
import { forkConversation, forkPane, toLibraryEntry, type LibraryEntry } from '../model/library';
import type { CompareRecord, Conversation } from '../model/types';
import type { ConversationEvent, Store } from '../store';
import type { Notice } from './notice.svelte';
import type { OpenConversation } from './open-conversation.svelte';

/** What the library needs from storage. */
export type LibraryPort = Pick<
  Store,
  'loadConversation' | 'saveConversation' | 'deleteConversation' | 'listConversations'
>;

/** The conversation deleted last, kept until the next delete so it can be restored. */
export interface DeletedConversation {
  conversation: Conversation;
  /** As the list showed it (a stored title may be empty: made from the first message). */
  title: string;
  wasOpen: boolean;
}

export interface LibraryOptions {
  store: LibraryPort;
  open: OpenConversation;
  notice: Notice;
  /** Another conversation is now open (a shared view on screen closes). */
  onSwitch?: () => void;
}

/** The same panes (models, overrides, links) with no turns, for a new conversation. */
function emptyPanes(rec: CompareRecord): CompareRecord {
  return {
    active: rec.active,
    panes: rec.panes.map((p) => {
      const { messages: _messages, ...setup } = p;
      return { ...setup, id: newId(), linkedHistory: true, messages: [] };
    }),
  };
}

/** Every stored conversation, newest first, and what can be done to one. */
export class Library {
  #entries = $state.raw<LibraryEntry[]>([]);
  #skipped = $state.raw<{ id: string; error: string }[]>([]);
  #deleted = $state.raw<DeletedConversation | null>(null);
  #store: LibraryPort;
  #open: OpenConversation;
  #notice: Notice;
  #onSwitch: () => void;

  constructor(opts: LibraryOptions) {
    this.#store = opts.store;
    this.#open = opts.open;
    this.#notice = opts.notice;
    this.#onSwitch = opts.onSwitch ?? (() => {});
  }

  /** Newest first. */
  get entries(): readonly LibraryEntry[] {
    return this.#entries;
  }
  /** Stored records that could not be read, with why. */
  get skipped(): readonly { id: string; error: string }[] {
    return this.#skipped;
  }
  get deleted(): DeletedConversation | null {
    return this.#deleted;
  }

  async refresh() {
    const list = await this.#store.listConversations();
    this.#entries = list.items;
    this.#skipped = list.skipped;
    for (const s of list.skipped) console.warn(`Skipped stored conversation ${s.id}: ${s.error}`);
  }

  /** Keeps the list in step with a stored version, without re-reading every conversation. */
  put(conv: Conversation | LibraryEntry) {
    const entry = 'messages' in conv ? toLibraryEntry(conv) : conv;
    const others = this.#entries.filter((c) => c.id !== entry.id);
    this.#entries = [entry, ...others].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Another tab saved or deleted a conversation. */
  applyRemote(e: ConversationEvent) {
    if (e.type === 'saved') this.put(e.entry);
    else this.#entries = this.#entries.filter((x) => x.id !== e.id);
  }

  /** The open conversation as it is now, or a stored one. */
  async read(id: string): Promise<Conversation | undefined> {
    if (id === this.#open.id) return this.#open.whole();
    const loaded = await this.#store.loadConversation(id);
    return loaded.ok ? loaded.value.conversation : undefined;
  }

  /** Shows a stored conversation (revision 0: not stored yet). */
  async show(conv: Conversation, revision: number) {
    this.#onSwitch();
    await this.#open.show(conv, revision);
  }

  async open(id: string) {
    this.#onSwitch();
    if (id === this.#open.id) return;
    await this.#open.flush();
    const loaded = await this.#store.loadConversation(id);
    if (!loaded.ok) {
      this.#notice.show(`That conversation could not be opened: ${loaded.error}`);
      return;
    }
    await this.#open.show(loaded.value.conversation, loaded.value.revision);
  }

  /** A new conversation with the same setup: model, parameters, tools, and panes (empty). */
  async create() {
    await this.#open.flush();
    const { session, compare } = this.#open;
    const conv = createConversation({
      model: session.model,
      systemMessage: session.systemMessage,
      systemRole: session.systemRole,
      params: session.params,
      stream: session.stream,
      tools: session.tools,
    });
    const panes = compare.toRecord();
    if (panes) conv.compare = emptyPanes(panes);
    // Stored once something is typed: clicking New twice leaves no empty entries.
    await this.show(conv, 0);
  }

  /** A new title ('' goes back to the one made from the first user message). */
  async rename(id: string, title: string) {
    if (id === this.#open.id) {
      this.#open.session.title = title;
      return this.#open.flush();
    }
    // Re-read on a conflict: a title applies to whatever the other tab saved.
    for (let attempt = 0; attempt < 3; attempt++) {
      const loaded = await this.#store.loadConversation(id);
      if (!loaded.ok) return;
      const conv = { ...loaded.value.conversation, title };
      const saved = await this.#store.saveConversation(conv, loaded.value.revision);
      if (saved.ok) return this.put(conv);
    }
  }

  /** Stores `conv` as a new conversation and opens it. */
  async adopt(conv: Conversation) {
    this.#onSwitch();
    await this.#open.adopt(conv);
  }

  /** A copy of a stored conversation, opened. */
  async duplicate(id: string) {
    const source = await this.read(id);
    if (source) await this.adopt(forkConversation(source));
  }

  /** A branch of the open conversation that ends at `messageId`, opened. */
  async forkFrom(messageId: string) {
    await this.adopt(forkConversation(await this.#open.whole(), messageId));
  }

  /** A plain conversation of one compare pane (its model and setup), up to `messageId`, opened. */
  async forkFromPane(paneId: string, messageId: string) {
    await this.adopt(forkPane(await this.#open.whole(), paneId, messageId));
  }

  async delete(id: string) {
    const wasOpen = id === this.#open.id;
    if (wasOpen) {
      this.#open.stop();
      await this.#open.flush();
    }
    const conversation = await this.read(id);
    if (!conversation) return;
    await this.#store.deleteConversation(id);
    const title =
      this.#entries.find((e) => e.id === id)?.title ?? toLibraryEntry(conversation).title;
    this.#deleted = { conversation, title, wasOpen };
    this.#entries = this.#entries.filter((e) => e.id !== id);
    if (!wasOpen) return;
    const next = this.#entries[0];
    const loaded = next ? await this.#store.loadConversation(next.id) : undefined;
    if (loaded?.ok) await this.show(loaded.value.conversation, loaded.value.revision);
    else await this.show(createConversation({ model: conversation.model }), 0);
  }

  /** Puts back the conversation deleted last (and reopens it if it was open). */
  async undoDelete() {
    const d = this.#deleted;
    if (!d) return;
    this.#deleted = null;
    const saved = await this.#store.saveConversation(d.conversation);
    if (!saved.ok) return;
    this.put(d.conversation);
    if (d.wasOpen) {
      await this.#open.flush();
      await this.show(d.conversation, saved.value);
    }
  }
}

export const [getLibrary, setLibrary] = createContext<Library>();
