// One Store per page (pageStore: made by src/read-ahead.ts, taken by main.ts)
// and passed down; tests build one over a fake backend. Methods are thin: the
// logic lives in the modules below.

import { migrateConversation } from '../model/read-conversation';
import { toLibraryEntry } from '../model/library';
import type { Conversation } from '../model/types';
import type { Price } from '../model/pricing';
import type { Preset } from '../model/presets';
import * as conversations from './conversations-store';
import { ConversationRecords } from './conversations-store';
import type {
  ConversationList,
  LoadedConversation,
  Opening,
  SaveResult,
} from './conversations-store';
import { browserChannel, type Channel, type StoreEvent } from './broadcast';
import { browserStorage, Journal, type SyncStorage } from './journal';
import { createKv, type Kv, type KvOptions, type KvStatus } from './kv';
import * as presets from './presets-store';
import { ReadAhead } from './read-ahead';
import type { StoredKey } from '../model/key-lock';
import * as settings from './settings-store';
import * as ui from './ui-store';
import type { StoredUi } from './ui-store';
import type { ModelCache, StoredSettings } from './settings-store';

export type {
  ConversationList,
  LoadedConversation,
  Opening,
  SaveResult,
} from './conversations-store';
export type { Channel, ConversationEvent, StoreEvent } from './broadcast';
export { createKv, idbBackend } from './kv';
export type { Kv, KvBackend, KvOptions, KvStatus } from './kv';
export type { SyncStorage } from './journal';
export type { ModelCache, StoredSettings } from './settings-store';
export type { StoredUi, Theme } from './ui-store';

export class Store {
  readonly #kv: Kv;
  readonly #journal: Journal;
  /** Which conversation to reopen, kept synchronously by a closing page (see stashCurrentId). */
  readonly #reopen: Journal;
  readonly #channel: Channel;
  readonly #conversations: ConversationRecords;
  readonly #ahead = new ReadAhead();

  /**
   * `journal`: synchronous storage for the last-moment copy (none: no copy).
   * `channel`: reaches the other tabs (none: this tab is alone).
   */
  constructor(kv: Kv, journal?: SyncStorage, channel?: Channel) {
    this.#kv = this.#ahead.watching(kv);
    this.#conversations = new ConversationRecords(this.#kv);
    this.#journal = new Journal(journal);
    this.#reopen = new Journal(journal, 'parley:reopen-conversation');
    this.#channel = channel ?? { post() {}, subscribe: () => () => {} };
    this.#channel.subscribe(() => this.#ahead.drop());
  }

  /**
   * Starts every read the app opens with (AppState.create), so they run while the
   * app's code downloads (src/read-ahead.ts); the app's own calls are then handed
   * these reads instead of starting their own.
   */
  readAhead(): void {
    const ahead = this.#ahead;
    const skip = () => {};
    ahead.record(() => {
      this.getCurrentId().then((id) => {
        if (id) ahead.record(() => void this.openConversation(id));
      }, skip);
      this.loadSettings().then((s) => {
        ahead.record(() => {
          if (s.rememberKey) void this.loadApiKey();
          void this.loadModelCache(s.baseURL);
        });
      }, skip);
      void this.listPresets();
      void this.loadPrices();
      void this.listConversations();
      void this.loadUi();
    });
  }

  /**
   * Keeps a synchronous copy of a conversation whose save may not finish
   * (the page is closing), with the revision it was based on. Cleared by
   * `clearPending` once the save is done.
   */
  stashPending(conv: Conversation, baseRevision?: number): boolean {
    this.#ahead.drop();
    return this.#journal.write({ conversation: conv, baseRevision });
  }

  /** The copy a closing page left, validated; undefined when there is none or it is unreadable. */
  takePending(): { conversation: Conversation; baseRevision?: number } | undefined {
    const raw = this.#journal.read();
    if (typeof raw !== 'object' || raw === null) return undefined;
    // Older pages stashed the bare conversation.
    const wrapped = 'conversation' in raw;
    const checked = migrateConversation(wrapped ? raw.conversation : raw);
    if (!checked.ok) return undefined;
    const base = wrapped && 'baseRevision' in raw ? raw.baseRevision : undefined;
    return {
      conversation: checked.value,
      baseRevision: typeof base === 'number' && Number.isSafeInteger(base) ? base : undefined,
    };
  }

  clearPending() {
    this.#journal.clear();
  }

  /**
   * Deletes everything Parley keeps in this browser: conversations, presets,
   * prices, settings, the key and the last-moment copies. The other tabs are
   * told, so that none writes its copy back.
   */
  async clearAll(): Promise<void> {
    await this.#kv.clear();
    this.#journal.clear();
    this.#reopen.clear();
    this.#channel.post({ type: 'cleared' });
  }

  /** Whether anything is being persisted, and if not, why. */
  get status(): KvStatus {
    return this.#kv.status;
  }

  onStatus(cb: (status: KvStatus) => void): () => void {
    return this.#kv.onStatus(cb);
  }

  loadSettings(): Promise<StoredSettings> {
    return this.#ahead.take('settings', () => settings.loadSettings(this.#kv));
  }

  async saveSettings(s: StoredSettings): Promise<void> {
    await settings.saveSettings(this.#kv, s);
    this.#channel.post({ type: 'settings' });
  }

  loadApiKey(): Promise<StoredKey | undefined> {
    return this.#ahead.take('apiKey', () => settings.loadApiKey(this.#kv));
  }

  async saveApiKey(key: StoredKey): Promise<void> {
    await settings.saveApiKey(this.#kv, key);
    this.#channel.post({ type: 'settings' });
  }

  /** Forgets the stored key; the other tabs forget theirs too (their `settings` event). */
  async forgetApiKey(): Promise<void> {
    await settings.forgetApiKey(this.#kv);
    this.#channel.post({ type: 'settings' });
  }

  /** The theme and which columns are open. */
  loadUi(): Promise<StoredUi> {
    return this.#ahead.take('ui', () => ui.loadUi(this.#kv));
  }

  saveUi(value: StoredUi): Promise<void> {
    return ui.saveUi(this.#kv, value);
  }

  loadModelCache(baseURL: string): Promise<ModelCache | undefined> {
    return this.#ahead.take(`models:${baseURL}`, () => settings.loadModelCache(this.#kv, baseURL));
  }

  saveModelCache(baseURL: string, ids: string[], fetchedAt: number): Promise<void> {
    return settings.saveModelCache(this.#kv, baseURL, ids, fetchedAt);
  }

  /**
   * Saves a conversation; with `expected`, only if no other tab saved it
   * since that revision. The other tabs are told.
   */
  async saveConversation(conv: Conversation, expected?: number): Promise<SaveResult> {
    const entry = toLibraryEntry(conv);
    const result = await this.#conversations.save(conv, expected, entry);
    if (result.ok)
      this.#channel.post({ type: 'saved', id: conv.id, revision: result.value, entry });
    return result;
  }

  /** A stored conversation, whole (the one the page opens with: openConversation). */
  loadConversation(id: string): Promise<LoadedConversation> {
    return this.#conversations.load(id);
  }

  /**
   * A conversation to show (at start): a long one's newest messages come
   * first, read while the rest is (see ConversationRecords.open).
   */
  openConversation(id: string): Promise<Opening> {
    return this.#ahead.take(`open:${id}`, () => this.#conversations.open(id));
  }

  listConversations(): Promise<ConversationList> {
    return this.#ahead.take('list', () => this.#conversations.list());
  }

  async deleteConversation(id: string): Promise<void> {
    await this.#conversations.delete(id);
    this.#channel.post({ type: 'deleted', id });
  }

  /** Conversations saved or deleted, or settings changed, by other tabs. Returns the unsubscribe function. */
  onRemoteChange(cb: (event: StoreEvent) => void): () => void {
    return this.#channel.subscribe(cb);
  }

  /** The conversation to reopen: the one a closing page left word of, else the stored one. */
  getCurrentId(): Promise<string | undefined> {
    return this.#ahead.take('currentId', () => this.#readCurrentId());
  }

  async #readCurrentId(): Promise<string | undefined> {
    const left = this.#reopen.read();
    if (typeof left !== 'string' || left === '') return conversations.getCurrentId(this.#kv);
    await this.setCurrentId(left).catch(() => {}); // (kept in localStorage until it is stored)
    return left;
  }

  async setCurrentId(id: string): Promise<void> {
    await conversations.setCurrentId(this.#kv, id);
    this.#reopen.clear(); // a word left earlier is out of date now
  }

  /**
   * Keeps synchronously which conversation to reopen, for a page that closes
   * before its IndexedDB write of that lands (just opened, just imported).
   */
  stashCurrentId(id: string): void {
    this.#ahead.drop();
    this.#reopen.write(id);
  }

  /** The user's own presets; built-ins are not stored. */
  listPresets(): Promise<Preset[]> {
    return this.#ahead.take('presets', () => presets.listPresets(this.#kv));
  }

  savePreset(preset: Preset): Promise<void> {
    return presets.savePreset(this.#kv, preset);
  }

  deletePreset(id: string): Promise<void> {
    return presets.deletePreset(this.#kv, id);
  }

  /** The user's price overrides, by model id prefix. */
  loadPrices(): Promise<Record<string, Price>> {
    return this.#ahead.take('prices', () => presets.loadPrices(this.#kv));
  }

  savePrices(prices: Record<string, Price>): Promise<void> {
    return presets.savePrices(this.#kv, prices);
  }
}

/** The app's store: IndexedDB when the browser allows it, memory otherwise. */
export function createStore(options?: KvOptions): Store {
  return new Store(createKv(options), browserStorage(), browserChannel());
}

let page: Store | undefined;

/**
 * The page's one store. The first call, from the page's first script
 * (src/read-ahead.ts), creates it and starts its read-ahead.
 */
export function pageStore(): Store {
  if (!page) {
    page = createStore();
    page.readAhead();
  }
  return page;
}
