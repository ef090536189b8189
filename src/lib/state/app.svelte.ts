import { hostOf } from '../api';
import { createConversation, newId } from '../model/conversation';
import {
  type ExportResult,
  type ImportOutcome,
  parseImport,
  toExportFile,
  toMarkdown,
  turnAsRequestBody,
  withFreshIds,
} from '../model/exchange';
import { forkConversation, forkPane, toLibraryEntry, type LibraryEntry } from '../model/library';
import { decodeShare, SHARE_PREFIX } from '../model/share';
import type { CompareRecord, Conversation } from '../model/types';
import type { StoreEvent, Store } from '../store';
import { Autosave } from './autosave.svelte';
import { ChatSession } from './chat-session.svelte';
import { CompareState } from './compare.svelte';
import { ModelCatalog } from './models.svelte';
import { PresetsState } from './presets.svelte';
import { PricesState } from './prices.svelte';
import { AppSettings, type SettingsValues } from './settings.svelte';

export interface StorageState {
  persistent: boolean;
  reason?: 'unavailable' | 'quota' | 'error';
  detail?: string;
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

/** What `navigator.storage` told us about eviction. */
export type Persistence = 'unknown' | 'persisted' | 'best-effort' | 'unsupported';

type PersistApi = Pick<StorageManager, 'persist' | 'persisted'>;

export interface AppOptions {
  /** navigator.storage by default; null: none (tests, old browsers). */
  storageManager?: PersistApi | null;
}

/** "Trip to Lisbon!" -> "trip-to-lisbon"; never empty. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return s || 'conversation';
}

const day = (now: number) => new Date(now).toISOString().slice(0, 10);

/** Everything the page holds, built once in main.ts and handed down by context. */
export class AppState {
  readonly settings: AppSettings;
  readonly models: ModelCatalog;
  readonly session: ChatSession;
  /** The compare panes of the open conversation. */
  readonly compare: CompareState;
  readonly presets: PresetsState;
  readonly prices: PricesState;
  settingsOpen = $state(false);
  /** True until the user has saved settings once with no key stored. */
  firstRun = $state(false);
  storage = $state.raw<StorageState>({ persistent: true });
  /** Every stored conversation, newest first. */
  library = $state.raw<LibraryEntry[]>([]);
  /** Stored records that could not be read, with why. */
  skipped = $state.raw<{ id: string; error: string }[]>([]);
  /** The conversation deleted last, kept until the next delete so it can be restored. */
  deleted = $state.raw<{ conversation: Conversation; title: string; wasOpen: boolean } | null>(
    null,
  );
  /**
   * Another tab saved the open conversation while this one has changes of
   * its own: nothing is saved until the user picks (reload theirs or keep
   * ours as a copy).
   */
  conflict = $state(false);
  /** A short message about something that happened on its own (another tab). */
  notice = $state<string | null>(null);
  /** A conversation opened from a share link, shown read-only until forked. */
  shared = $state.raw<Conversation | null>(null);
  sharedError = $state<string | null>(null);
  persistence = $state<Persistence>('unknown');
  #store: Store;
  #autosave: Autosave;
  /** The open conversation as last stored or loaded: its revision and content. */
  #base = { id: '', revision: 0, json: '' };

  private constructor(store: Store, conv: Conversation, revision: number) {
    this.#store = store;
    this.settings = new AppSettings(store);
    this.models = new ModelCatalog(store);
    this.presets = new PresetsState(store);
    this.prices = new PricesState(store);
    const deps = {
      config: () => this.settings.config,
      idleTimeoutMs: () => this.settings.stallTimeoutSec * 1000,
    };
    this.session = new ChatSession(conv, deps);
    this.compare = new CompareState(this.session, deps);
    this.compare.load(conv.compare);
    this.#setBase(revision);
    this.storage = store.status;
    store.onStatus((s) => (this.storage = s));
    store.onRemoteChange((e) => void this.#remoteChange(e));
    this.#autosave = new Autosave({
      read: () => this.snapshot(),
      write: (c) => this.#save(c),
    });
  }

  static async create(store: Store, options: AppOptions = {}): Promise<AppState> {
    const currentId = await store.getCurrentId();
    // A page closed before its last save finished left a copy: it is newer.
    const pending = store.takePending();
    const loaded = currentId ? await store.loadConversation(currentId) : undefined;
    const app = loaded?.ok
      ? new AppState(store, loaded.value, loaded.revision)
      : new AppState(store, createConversation(), 0);
    if (pending) {
      await app.#restorePending(pending.conversation, pending.baseRevision);
      store.clearPending();
    }
    await app.settings.load();
    await Promise.all([app.presets.load(), app.prices.load()]);
    app.firstRun = app.settings.needsKey;
    app.settingsOpen = app.settings.needsKey;
    await app.#refreshLibrary();
    void app.#askPersistence(options.storageManager);
    // Without a key the list request would only earn a 401; wait for Settings.
    if (!app.settings.needsKey) void app.models.load(app.settings.config);
    return app;
  }

  get host(): string {
    return hostOf(this.settings.baseURL);
  }

  openSettings() {
    this.settingsOpen = true;
  }

  closeSettings() {
    this.settingsOpen = false;
  }

  async saveSettings(values: SettingsValues) {
    const before = this.settings.config;
    const result = await this.settings.save(values);
    if (result.ok) {
      this.firstRun = false;
      const after = this.settings.config;
      const changed = after.baseURL !== before.baseURL || after.apiKey !== before.apiKey;
      if (changed && !this.settings.needsKey) void this.models.load(after);
    }
    return result;
  }

  refreshModels() {
    return this.models.refresh(this.settings.config);
  }

  /**
   * The open conversation as stored: the shared part and the compare panes.
   * Reading it tracks every field (autosave runs on it).
   */
  snapshot(): Conversation {
    const conv = this.session.toConversation();
    const compare = this.compare.toRecord();
    if (!compare) return conv;
    const paneTimes = this.compare.panes.map((p) => p.session.updatedAt);
    return { ...conv, updatedAt: Math.max(conv.updatedAt, ...paneTimes), compare };
  }

  // -------------------------------------------------------------------------
  // The library

  /** A new conversation with the same setup: model, parameters, tools, and panes (empty). */
  async newConversation() {
    await this.flush();
    const conv = createConversation({
      model: this.session.model,
      systemMessage: this.session.systemMessage,
      params: this.session.params,
      stream: this.session.stream,
      tools: this.session.tools,
    });
    const panes = this.compare.toRecord();
    if (panes) conv.compare = emptyPanes(panes);
    // Stored once something is typed: clicking New twice leaves no empty entries.
    this.#load(conv, 0);
  }

  async openConversation(id: string) {
    this.shared = null;
    if (id === this.session.id) return;
    await this.flush();
    const loaded = await this.#store.loadConversation(id);
    if (!loaded.ok) {
      this.notice = `That conversation could not be opened: ${loaded.error}`;
      return;
    }
    this.#load(loaded.value, loaded.revision);
    await this.#store.setCurrentId(id);
  }

  /** A new title ('' goes back to the one made from the first user message). */
  async rename(id: string, title: string) {
    if (id === this.session.id) {
      this.session.title = title;
      return this.flush();
    }

    // Re-read on a conflict: a title applies to whatever the other tab saved.
    for (let attempt = 0; attempt < 3; attempt++) {
      const loaded = await this.#store.loadConversation(id);
      if (!loaded.ok) return;
      const conv = { ...loaded.value, title };
      const saved = await this.#store.saveConversation(conv, loaded.revision);
      if (saved.ok) return this.#putEntry(conv);
    }
  }

  /** A copy of a stored conversation, opened. */
  async duplicate(id: string) {
    const source = await this.#read(id);
    if (source) await this.#openFork(forkConversation(source));
  }

  /** A branch of the open conversation that ends at `messageId`, opened. */
  async forkFrom(messageId: string) {
    await this.#openFork(forkConversation(this.snapshot(), messageId));
  }

  /** A plain conversation of one compare pane (its model and setup), up to `messageId`, opened. */
  async forkFromPane(paneId: string, messageId: string) {
    await this.#openFork(forkPane(this.snapshot(), paneId, messageId));
  }

  async delete(id: string) {
    const wasOpen = id === this.session.id;
    if (wasOpen) {
      this.session.stop();
      this.compare.stopAll();
      await this.flush();
    }
    const conversation = await this.#read(id);
    if (!conversation) return;
    await this.#store.deleteConversation(id);
    // The title as listed: a stored title may be empty (made from the first message).
    const title =
      this.library.find((e) => e.id === id)?.title ?? toLibraryEntry(conversation).title;
    this.deleted = { conversation, title, wasOpen };
    this.library = this.library.filter((e) => e.id !== id);
    if (!wasOpen) return;
    const next = this.library[0];
    const loaded = next ? await this.#store.loadConversation(next.id) : undefined;
    if (loaded?.ok) {
      this.#load(loaded.value, loaded.revision);
      await this.#store.setCurrentId(loaded.value.id);
    } else {
      this.#load(createConversation({ model: conversation.model }), 0);
    }
  }

  /** Puts back the conversation deleted last (and reopens it if it was open). */
  async undoDelete() {
    const d = this.deleted;
    if (!d) return;
    this.deleted = null;
    const saved = await this.#store.saveConversation(d.conversation);
    if (!saved.ok) return;
    this.#putEntry(d.conversation);
    if (d.wasOpen) {
      await this.flush();
      this.#load(d.conversation, saved.revision);
      await this.#store.setCurrentId(d.conversation.id);
    }
  }

  dismissNotice() {
    this.notice = null;
  }

  // -------------------------------------------------------------------------
  // Two tabs

  /** Conflict resolution: drop this tab's changes and show what the other tab saved. */
  async reloadFromOtherTab() {
    this.session.stop();
    this.compare.stopAll();
    // This tab's unsaved version is what the user chose to drop: it must not land later.
    this.#autosave.discard();
    const loaded = await this.#store.loadConversation(this.session.id);
    this.conflict = false;
    if (loaded.ok) this.#load(loaded.value, loaded.revision);
    else this.#base.revision = 0; // deleted there: what is here will be saved anew
  }

  /**
   * Conflict resolution: this tab's version becomes a new conversation (even
   * mid-stream: the answer keeps arriving into the copy); the other tab's
   * version stays under the old id.
   */
  async keepMineAsCopy() {
    const theirsId = this.session.id;
    const title = this.session.title.trim() || toLibraryEntry(this.snapshot()).title;
    this.session.id = newId();
    this.session.title = `${title} (copy)`;
    this.#base = { id: this.session.id, revision: 0, json: '' };
    this.conflict = false;
    await this.#save(this.snapshot());
    // The old entry shows the other tab's version (its message may not have come).
    const theirs = await this.#store.loadConversation(theirsId);
    if (theirs.ok) this.#putEntry(theirs.value);
  }

  /** Changes not saved yet, or an answer still arriving: taking another tab's version would lose them. */
  #hasLocalWork(): boolean {
    return this.#autosave.pending !== null || this.session.busy || this.compare.busy;
  }

  async #remoteChange(e: StoreEvent) {
    if (e.type === 'deleted') {
      this.library = this.library.filter((x) => x.id !== e.id);
      if (e.id === this.session.id) {
        this.#base.revision = 0;
        this.notice =
          'This conversation was deleted in another tab. It stays open here; editing it saves it again.';
      }
      return;
    }
    this.#putEntry(e.entry);
    if (e.id !== this.session.id || e.revision <= this.#base.revision) return;
    if (this.#hasLocalWork()) {
      this.conflict = true;
      return;
    }
    const loaded = await this.#store.loadConversation(e.id);
    // Checked again: the user may have typed or switched while this was read.
    if (!loaded.ok || loaded.value.id !== this.session.id) return;
    if (loaded.revision <= this.#base.revision) return;
    if (this.#hasLocalWork()) {
      this.conflict = true;
      return;
    }
    this.#load(loaded.value, loaded.revision);
    this.notice = 'Updated with changes saved in another tab.';
  }

  // -------------------------------------------------------------------------
  // Files and links

  /** The open conversation as a Parley export file. */
  exportCurrent(): ExportResult {
    const conv = this.snapshot();
    return this.#exportFile([conv], `parley-${slug(toLibraryEntry(conv).title)}`);
  }

  /** Every stored conversation (the open one as it is now). */
  async exportAll(): Promise<ExportResult> {
    return this.exportSelected(
      this.library.map((e) => e.id),
      'parley-conversations',
    );
  }

  async exportSelected(ids: string[], name = 'parley-selection'): Promise<ExportResult> {
    await this.flush();
    const convs: Conversation[] = [];
    for (const id of ids) {
      const conv = await this.#read(id);
      if (conv) convs.push(conv);
    }
    if (convs.length === 0) return { error: 'There is no saved conversation to export yet.' };
    return this.#exportFile(convs, name);
  }

  exportMarkdown(): ExportResult {
    const conv = this.snapshot();
    const now = Date.now();
    return {
      filename: `parley-${slug(toLibraryEntry(conv).title)}-${day(now)}.md`,
      text: toMarkdown(conv),
      mime: 'text/markdown',
    };
  }

  /** The next request of the open conversation as the JSON body Parley would send. */
  exportRequest(): ExportResult {
    const conv = this.snapshot();
    try {
      return {
        filename: `parley-request-${slug(toLibraryEntry(conv).title)}.json`,
        text: turnAsRequestBody(conv),
        mime: 'application/json',
      };
    } catch (err) {
      return { error: `Could not build the request body: ${String(err)}` };
    }
  }

  #exportFile(convs: Conversation[], name: string): ExportResult {
    const now = Date.now();
    const key = this.settings.config.apiKey;
    try {
      return {
        filename: `${name}-${day(now)}.json`,
        text: toExportFile(convs, now, key ? [key] : []),
        mime: 'application/json',
      };
    } catch (err) {
      return { error: `Export failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  /**
   * Imports a file's text: all of it or nothing. Ids already in use get fresh
   * ones (an import never replaces a stored conversation); a single imported
   * conversation is opened.
   */
  async importText(text: string, source: string): Promise<ImportOutcome> {
    const parsed = parseImport(text);
    if (!parsed.ok) {
      return {
        ok: false,
        message: `Could not import ${source}: ${parsed.error} Nothing was changed.`,
      };
    }
    const { conversations, warnings } = parsed.value;
    if (conversations.length === 0) {
      return { ok: false, message: `${source} holds no conversation. Nothing was changed.` };
    }
    await this.flush();
    // A local within one call, not state: nothing renders from it.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const taken = new Set([this.session.id, ...this.library.map((e) => e.id)]);
    const imported: Conversation[] = [];
    let copies = 0;
    for (const original of conversations) {
      let conv = taken.has(original.id) ? withFreshIds(original) : original;
      // Expecting revision 0 refuses to replace a record this tab did not know of.
      let saved = await this.#store.saveConversation(conv, 0);
      if (!saved.ok) {
        conv = withFreshIds(original);
        saved = await this.#store.saveConversation(conv, 0);
      }
      if (!saved.ok) continue;
      if (conv.id !== original.id) copies++;
      taken.add(conv.id);
      imported.push(conv);
      this.#putEntry(conv);
    }
    const only = imported.length === 1 ? imported[0] : undefined;
    if (only) {
      this.shared = null;
      this.#load(only, 1);
      await this.#store.setCurrentId(only.id);
    }
    const what =
      only !== undefined ? `“${toLibraryEntry(only).title}”` : `${imported.length} conversations`;
    const kept =
      copies === 0
        ? ''
        : copies === 1 && imported.length === 1
          ? ' It was already here, so it was added as a copy.'
          : ` ${copies} were already here and were added as copies.`;
    const notes = kept + (warnings.length ? ` ${warnings.join(' ')}` : '');
    return { ok: true, message: `Imported ${what} from ${source}.${notes}` };
  }

  /** Reads a `#share=` fragment into the read-only shared view; other fragments are ignored. */
  async openShareLink(hash: string) {
    if (!hash.startsWith(SHARE_PREFIX)) {
      this.shared = null;
      this.sharedError = null;
      return;
    }
    const decoded = await decodeShare(hash);
    if (decoded.ok) {
      this.shared = decoded.value;
      this.sharedError = null;
    } else {
      this.shared = null;
      this.sharedError = decoded.error;
    }
  }

  closeShared() {
    this.shared = null;
    this.sharedError = null;
  }

  /** The shared conversation becomes one of the user's own, opened for editing. */
  async forkShared() {
    const conv = this.shared;
    if (!conv) return;
    this.shared = null;
    await this.#openFork({ ...conv, updatedAt: Date.now() });
  }

  // -------------------------------------------------------------------------
  // Saving

  /**
   * Writes any change now (before switching conversations, exporting…),
   * including one the autosave has not seen yet.
   */
  async flush() {
    await this.#autosave.flush();
    await this.#save(this.snapshot());
  }

  /**
   * The page is being hidden, maybe closed: the pending change is copied
   * synchronously (an IndexedDB write may be cut short), then saved as usual.
   */
  pageHidden() {
    const pending = this.#autosave.pending;
    if (!pending) return;
    const stashed = this.#store.stashPending(pending, this.#base.revision);
    void this.flush().then(() => {
      if (stashed) this.#store.clearPending();
    });
  }

  /**
   * What was just loaded: saved again only once it changes (`revision` 0:
   * not stored yet, so an untouched new conversation is never stored).
   */
  #setBase(revision: number) {
    this.#base = { id: this.session.id, revision, json: JSON.stringify(this.snapshot()) };
  }

  #load(conv: Conversation, revision: number) {
    this.session.load(conv);
    this.compare.load(conv.compare);
    this.conflict = false;
    this.#setBase(revision);
  }

  async #save(conv: Conversation) {
    // A snapshot of a conversation no longer open (kept as a copy since) is
    // never written: it could only overwrite what another tab saved.
    if (conv.id !== this.#base.id) return;
    const json = JSON.stringify(conv);
    // Loading a conversation re-reads it: an unchanged one is not written (nor announced).
    if (json === this.#base.json) return;
    // Held until the user resolves the conflict; the work stays on screen.
    if (this.conflict) return;
    const saved = await this.#store.saveConversation(conv, this.#base.revision);
    if (!saved.ok) {
      if (conv.id === this.#base.id) this.conflict = true;
      return;
    }
    if (conv.id === this.#base.id) this.#base = { id: conv.id, revision: saved.revision, json };
    await this.#store.setCurrentId(conv.id);
    this.#putEntry(conv);
  }

  /** The open conversation as it is now, or a stored one. */
  async #read(id: string): Promise<Conversation | undefined> {
    if (id === this.session.id) return this.snapshot();
    const loaded = await this.#store.loadConversation(id);
    return loaded.ok ? loaded.value : undefined;
  }

  async #openFork(fork: Conversation) {
    await this.flush();
    const saved = await this.#store.saveConversation(fork);
    this.#load(fork, saved.ok ? saved.revision : 0);
    await this.#store.setCurrentId(fork.id);
    this.#putEntry(fork);
  }

  /** A page closed mid-save left this copy: saved unless another tab saved since, then kept as a copy. */
  async #restorePending(conv: Conversation, baseRevision: number | undefined) {
    const saved = await this.#store.saveConversation(conv, baseRevision);
    let revision = saved.ok ? saved.revision : undefined;
    if (!saved.ok) {
      // The save may have landed after all, only the copy was not cleared.
      const stored = await this.#store.loadConversation(conv.id);
      if (stored.ok && JSON.stringify(stored.value) === JSON.stringify(conv)) {
        revision = stored.revision;
      }
    }
    if (revision !== undefined) {
      // It is the newest work, so it is what opens.
      this.#load(conv, revision);
      await this.#store.setCurrentId(conv.id);
      return;
    }
    const copy = {
      ...withFreshIds(conv),
      title: `${toLibraryEntry(conv).title} (unsaved copy)`,
    };
    await this.#openFork(copy);
    this.notice =
      'Changes not saved when this page last closed were changed in another tab meanwhile; they are kept here as a copy.';
  }

  /** Keeps the list in step without re-reading every stored conversation. */
  #putEntry(conv: Conversation | LibraryEntry) {
    const entry = 'messages' in conv ? toLibraryEntry(conv) : conv;
    const others = this.library.filter((c) => c.id !== entry.id);
    this.library = [entry, ...others].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async #refreshLibrary() {
    const list = await this.#store.listConversations();
    this.library = list.items;
    this.skipped = list.skipped;
    for (const s of list.skipped) console.warn(`Skipped stored conversation ${s.id}: ${s.error}`);
  }

  /** Asks the browser not to evict our data, and remembers what it said. */
  async #askPersistence(manager: PersistApi | null | undefined) {
    const browser = typeof navigator === 'undefined' ? undefined : navigator.storage;
    const api = manager === undefined ? browser : manager;
    if (typeof api?.persist !== 'function') {
      this.persistence = 'unsupported';
      return;
    }
    try {
      const already = await api.persisted();
      this.persistence = already || (await api.persist()) ? 'persisted' : 'best-effort';
    } catch {
      this.persistence = 'unsupported';
    }
  }
}
