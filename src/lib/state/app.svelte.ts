import { hostOf } from '../api';
import { createConversation, deriveTitle, modelsOf, newId } from '../model/conversation';
import type { CompareRecord, Conversation } from '../model/types';
import type { Store } from '../store';
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

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  model: string;
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
  library = $state.raw<ConversationSummary[]>([]);
  #store: Store;
  #autosave: Autosave;

  private constructor(store: Store, conv: Conversation) {
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
    this.storage = store.status;
    store.onStatus((s) => (this.storage = s));
    this.#autosave = new Autosave({
      read: () => this.snapshot(),
      write: (c) => this.#save(c),
    });
  }

  static async create(store: Store): Promise<AppState> {
    const currentId = await store.getCurrentId();
    // A page closed before its last save finished left a copy: it is newer.
    const pending = store.takePending();
    const loaded = currentId ? await store.loadConversation(currentId) : undefined;
    const conv = pending ?? (loaded?.ok ? loaded.value : createConversation());
    const app = new AppState(store, conv);
    if (pending) {
      await app.#save(pending);
      store.clearPending();
    }
    await app.settings.load();
    await Promise.all([app.presets.load(), app.prices.load()]);
    app.firstRun = app.settings.needsKey;
    app.settingsOpen = app.settings.needsKey;
    await app.#refreshLibrary();
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
    this.#load(conv);
    await this.#save(this.snapshot());
  }

  async openConversation(id: string) {
    if (id === this.session.id) return;
    await this.flush();
    const loaded = await this.#store.loadConversation(id);
    if (!loaded.ok) return;
    this.#load(loaded.value);
    await this.#store.setCurrentId(id);
  }

  #load(conv: Conversation) {
    this.session.load(conv);
    this.compare.load(conv.compare);
  }

  /** Writes any pending change now (before switching conversations). */
  flush() {
    return this.#autosave.flush();
  }

  /**
   * The page is being hidden, maybe closed: the pending change is copied
   * synchronously (an IndexedDB write may be cut short), then saved as usual.
   */
  pageHidden() {
    const pending = this.#autosave.pending;
    if (!pending) return;
    const stashed = this.#store.stashPending({
      ...pending,
      title: pending.title || deriveTitle(pending),
    });
    void this.flush().then(() => {
      if (stashed) this.#store.clearPending();
    });
  }

  async #save(conv: Conversation) {
    const record = { ...conv, title: conv.title || deriveTitle(conv) };
    await this.#store.saveConversation(record);
    await this.#store.setCurrentId(conv.id);
    // Keep the list in step without re-reading every stored conversation.
    const summary = {
      id: record.id,
      title: record.title,
      updatedAt: record.updatedAt,
      model: modelsOf(record),
    };
    const others = this.library.filter((c) => c.id !== record.id);
    this.library = [summary, ...others].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async #refreshLibrary() {
    const list = await this.#store.listConversations();
    this.library = list.items;
  }
}
