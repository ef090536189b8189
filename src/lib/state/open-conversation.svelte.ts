import { createContext } from 'svelte';
import { createConversation, newId, withFreshIds } from '../model/conversation';
import { toLibraryEntry } from '../model/library';
import { sameItems } from '../model/same-items';
import type { Conversation } from '../model/types';
import { fail } from '../model/result';
import type { ConversationEvent, LoadedConversation, Store } from '../store';
import { Autosave } from './autosave.svelte';
import { ChatSession } from './chat-session.svelte';
import type { PaneDeps } from './compare-pane.svelte';
import { CompareState } from './compare.svelte';
import type { Notice } from './notice.svelte';

/** What the open conversation needs from storage. */
export type ConversationPort = Pick<
  Store,
  | 'saveConversation'
  | 'loadConversation'
  | 'setCurrentId'
  | 'stashCurrentId'
  | 'stashPending'
  | 'clearPending'
>;

/** Where the open conversation stands with storage, as the header shows it. */
export type SaveState = 'new' | 'saving' | 'saved' | 'conflict';

export interface OpenConversationOptions {
  store: ConversationPort;
  /** Endpoint, timeouts (and, in tests, the runner) for every session. */
  deps: PaneDeps;
  notice: Notice;
  /** A version of a conversation reached storage: the library's entry follows it. */
  onStored: (conv: Conversation) => void;
}

/**
 * The conversation on screen: its session and compare panes, and keeping it
 * stored. Every save carries the revision it was based on, so a change made
 * by another tab meanwhile is never overwritten: it is taken (when this tab
 * has nothing unsaved) or turned into a conflict the user resolves.
 */
export class OpenConversation {
  readonly session: ChatSession;
  /** The compare panes of the open conversation. */
  readonly compare: CompareState;
  #store: ConversationPort;
  #notice: Notice;
  #onStored: (conv: Conversation) => void;
  #autosave: Autosave;
  #discarded = false;
  /** The stored revision this tab's version is based on (0: never stored). */
  #revision = $state(0);
  /** The id and fields (by reference) of what was last loaded or stored: an unchanged copy is not written. */
  #baseId = '';
  #baseFields: readonly unknown[] = [];
  #conflict = $state(false);
  /** The conversation IndexedDB has as the one to reopen, as far as this tab has written. */
  #reopens: string | null;
  /** Settles once the conversation on screen is all there (see `readEarlier`). */
  #opened: Promise<void> = Promise.resolve();
  /** The read of earlier messages `readEarlier` waits for; null: none (or not for what is shown now). */
  #reading: object | null = null;

  constructor(conv: Conversation, revision: number, opts: OpenConversationOptions) {
    this.#store = opts.store;
    this.#notice = opts.notice;
    this.#onStored = opts.onStored;
    this.session = new ChatSession(conv, opts.deps);
    this.compare = new CompareState(this.session, opts.deps);
    this.compare.load(conv.compare);
    this.#autosave = new Autosave({ track: () => this.#fields(), write: () => this.#write() });
    this.#setBase(revision);
    // A stored conversation opened at start is the one the store had to reopen.
    this.#reopens = revision > 0 ? conv.id : null;
  }

  get id(): string {
    return this.session.id;
  }

  /**
   * The conversation shown was opened with its newest messages only
   * (Store.openConversation): `earlier` more are read by `whole`. Until they
   * are in, nothing is sent or changed in the messages, and nothing is saved:
   * a save waits for them (a save of part would delete the rest). The rest of
   * the conversation (the draft, the settings) can be changed meanwhile.
   */
  readEarlier(earlier: number, whole: Promise<LoadedConversation>) {
    const reading = {};
    this.#reading = reading;
    this.session.awaitEarlier(earlier);
    this.#opened = whole
      .catch((err: unknown) => fail(String(err)))
      .then((loaded) => {
        if (this.#reading === reading) this.#takeEarlier(loaded);
      });
  }

  #takeEarlier(loaded: LoadedConversation) {
    this.#reading = null;
    if (!loaded.ok) {
      // Nothing of it can be saved from here; a new conversation takes what was typed.
      this.#load({ ...createConversation(), draft: this.session.draft }, 0);
      this.#notice.show(`This conversation could not be read whole: ${loaded.error}`);
      return;
    }
    const { conversation, revision } = loaded.value;
    const untouched = sameItems(this.#fields(), this.#baseFields);
    if (revision !== this.#revision && untouched) return this.#load(conversation, revision);
    this.session.takeEarlier(conversation.messages);
    // Saved by another tab meanwhile, and changed here: the user picks.
    if (revision !== this.#revision) this.#conflict = true;
    else if (untouched) this.#setBase(revision);
  }

  /** The open conversation as stored, once it is all there (see `readEarlier`). */
  async whole(): Promise<Conversation> {
    await this.#opened;
    return this.#snapshot();
  }

  /**
   * Another tab saved this conversation while this one has changes of its
   * own: nothing is saved until the user picks (reload theirs or keep ours
   * as a copy).
   */
  get conflict(): boolean {
    return this.#conflict;
  }

  get saveState(): SaveState {
    if (this.#conflict) return 'conflict';
    if (this.#autosave.dirty) return 'saving';
    return this.#revision > 0 ? 'saved' : 'new';
  }

  /** A request runs in the conversation or one of its panes. */
  get busy(): boolean {
    return this.session.busy || this.compare.busy;
  }

  stop() {
    this.session.stop();
    this.compare.stopAll();
  }

  /** The open conversation as stored: the shared part and the compare panes. */
  #snapshot(): Conversation {
    const conv = this.session.toConversation();
    const compare = this.compare.toRecord();
    if (!compare) return conv;
    const paneTimes = this.compare.panes.map((p) => p.session.updatedAt);
    return { ...conv, updatedAt: Math.max(conv.updatedAt, ...paneTimes), compare };
  }

  /**
   * Shows `conv` (`revision` 0: not stored yet, so an untouched new
   * conversation is never stored) and remembers it as the one to reopen.
   */
  async show(conv: Conversation, revision: number) {
    this.#load(conv, revision);
    if (revision > 0) await this.#remember(conv.id);
  }

  /** Stores `conv` as a new conversation and shows it (a fork, a copy, an import). */
  async adopt(conv: Conversation) {
    await this.flush();
    const saved = await this.#store.saveConversation(conv);
    this.#load(conv, saved.ok ? saved.value : 0);
    await this.#remember(conv.id);
    this.#onStored(conv);
  }

  /** Stores which conversation to reopen on the next load. */
  async #remember(id: string) {
    await this.#store.setCurrentId(id);
    this.#reopens = id;
  }

  /**
   * Writes any change now (before switching conversations, exporting…),
   * including one the autosave has not seen yet.
   */
  flush(): Promise<void> {
    if (this.#discarded) return Promise.resolve();
    return this.#autosave.flush();
  }

  /**
   * The page is being hidden, maybe closed: unsaved work is copied
   * synchronously (an IndexedDB write may be cut short), then saved as usual.
   */
  pageHidden() {
    if (this.#discarded) return;
    // Shown but not yet stored as the one to reopen (just opened, just imported).
    if (this.#revision > 0 && this.#reopens !== this.id) this.#store.stashCurrentId(this.id);
    if (!this.#autosave.dirty) return;
    // Part of a conversation is never kept as its copy (see readEarlier).
    const stashed =
      !this.session.earlier && this.#store.stashPending(this.#snapshot(), this.#revision);
    void this.flush().then(() => {
      if (stashed) this.#store.clearPending();
    });
  }

  /**
   * Everything stored is being cleared: this tab stops, and nothing of it is
   * written again (no autosave, no last-moment copy). Resolves once a write
   * already in flight has landed, so it cannot land after the clearing.
   */
  async discard() {
    this.stop();
    this.#discarded = true;
    this.#autosave.destroy();
    await this.#autosave.settled();
  }

  /** Conflict resolution: drop this tab's changes and show what the other tab saved. */
  async reloadTheirs() {
    this.stop();
    // This tab's unsaved version is what the user chose to drop: it must not land later.
    this.#autosave.rebase();
    const loaded = await this.#store.loadConversation(this.id);
    this.#conflict = false;
    if (loaded.ok) this.#load(loaded.value.conversation, loaded.value.revision);
    else this.#revision = 0; // deleted there: what is here will be saved anew
  }

  /**
   * Conflict resolution: this tab's version becomes a new conversation (even
   * mid-stream: the answer keeps arriving into the copy); the other tab's
   * version stays under the old id.
   */
  async keepMineAsCopy() {
    const theirsId = this.id;
    const title = this.session.title.trim() || toLibraryEntry(this.#snapshot()).title;
    this.session.rekey(newId(), `${title} (copy)`);
    this.#baseId = this.id;
    this.#baseFields = [];
    this.#revision = 0;
    this.#conflict = false;
    await this.flush();
    // The old entry shows the other tab's version (its message may not have come).
    const theirs = await this.#store.loadConversation(theirsId);
    if (theirs.ok) this.#onStored(theirs.value.conversation);
  }

  /** Another tab saved or deleted a conversation. */
  async remoteChange(e: ConversationEvent) {
    if (e.id !== this.id) return;
    await this.#opened; // what it is compared with is all there (see readEarlier)
    if (e.id !== this.id) return;
    if (e.type === 'deleted') {
      this.#revision = 0;
      this.#notice.show(
        'This conversation was deleted in another tab. It stays open here; editing it saves it again.',
      );
      return;
    }
    if (e.revision <= this.#revision) return;
    if (this.#hasLocalWork()) {
      this.#conflict = true;
      return;
    }
    const loaded = await this.#store.loadConversation(e.id);
    // Checked again: the user may have typed or switched while this was read.
    if (!loaded.ok) return;
    const { conversation, revision } = loaded.value;
    if (conversation.id !== this.id || revision <= this.#revision) return;
    if (this.#hasLocalWork()) {
      this.#conflict = true;
      return;
    }
    this.#load(conversation, revision);
    this.#notice.show('Updated with changes saved in another tab.');
  }

  /** A page closed mid-save left this copy: saved unless another tab saved since, then kept as a copy. */
  async restorePending(conv: Conversation, baseRevision: number | undefined) {
    const saved = await this.#store.saveConversation(conv, baseRevision);
    let revision = saved.ok ? saved.value : undefined;
    if (!saved.ok) {
      // The save may have landed after all, only the copy was not cleared.
      const stored = await this.#store.loadConversation(conv.id);
      if (stored.ok && JSON.stringify(stored.value.conversation) === JSON.stringify(conv)) {
        revision = stored.value.revision;
      }
    }
    // It is the newest work, so it is what opens.
    if (revision !== undefined) return this.show(conv, revision);
    const title = `${toLibraryEntry(conv).title} (unsaved copy)`;
    await this.adopt({ ...withFreshIds(conv), title });
    this.#notice.show(
      'Changes not saved when this page last closed were changed in another tab meanwhile; they are kept here as a copy.',
    );
  }

  /** Changes not saved yet, or an answer still arriving: taking another tab's version would lose them. */
  #hasLocalWork(): boolean {
    return this.#autosave.dirty || this.busy;
  }

  #load(conv: Conversation, revision: number) {
    this.#reading = null;
    this.session.load(conv);
    this.compare.load(conv.compare);
    this.#conflict = false;
    this.#setBase(revision);
  }

  #setBase(revision: number) {
    this.#autosave.rebase();
    this.#revision = revision;
    this.#baseId = this.id;
    this.#baseFields = this.#fields();
  }

  /** Every stored field by reference: cheap enough for every keystroke. */
  #fields(): readonly unknown[] {
    return [...this.session.track(), ...this.compare.track()];
  }

  async #write() {
    await this.#opened;
    if (this.session.earlier) return; // never part of it (see readEarlier)
    const fields = this.#fields();
    const conv = this.#snapshot();
    // An unchanged conversation is not written (nor announced). Held while in
    // conflict, until the user resolves it; the work stays on screen.
    if (conv.id !== this.#baseId || sameItems(fields, this.#baseFields) || this.#conflict) return;
    const saved = await this.#store.saveConversation(conv, this.#revision);
    // The user may have switched conversations while it was written.
    const stillOpen = conv.id === this.#baseId;
    if (!saved.ok) {
      if (stillOpen) this.#conflict = true;
      return;
    }
    this.#onStored(conv);
    if (!stillOpen) return;
    this.#revision = saved.value;
    this.#baseFields = fields;
    await this.#remember(conv.id);
  }
}

export const [getOpenConversation, setOpenConversation] = createContext<OpenConversation>();
