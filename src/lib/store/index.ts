// One Store per page, built in main.ts and passed down; tests build one over a
// fake backend. Methods are thin: the logic lives in the modules below.

import { migrateConversation } from '../model/conversation';
import type { Checked } from '../model/settings';
import type { Conversation } from '../model/types';
import type { Price } from '../model/pricing';
import type { Preset } from '../model/presets';
import * as conversations from './conversations-store';
import type { ConversationList } from './conversations-store';
import { browserStorage, Journal, type SyncStorage } from './journal';
import { createKv, type Kv, type KvOptions, type KvStatus } from './kv';
import * as presets from './presets-store';
import * as settings from './settings-store';
import type { ModelCache, StoredSettings } from './settings-store';

export type { ConversationList, ConversationSummary } from './conversations-store';
export { createKv, idbBackend } from './kv';
export type { Kv, KvBackend, KvOptions, KvStatus } from './kv';
export { DEFAULT_SETTINGS } from './settings-store';
export type { SyncStorage } from './journal';
export type { ModelCache, StoredSettings } from './settings-store';

export class Store {
  readonly #kv: Kv;
  readonly #journal: Journal;

  /** `journal`: synchronous storage for the last-moment copy (none: no copy). */
  constructor(kv: Kv, journal?: SyncStorage) {
    this.#kv = kv;
    this.#journal = new Journal(journal);
  }

  /**
   * Keeps a synchronous copy of a conversation whose save may not finish
   * (the page is closing). Cleared by `clearPending` once the save is done.
   */
  stashPending(conv: Conversation): boolean {
    return this.#journal.write(conv);
  }

  /** The copy a closing page left, validated; undefined when there is none or it is unreadable. */
  takePending(): Conversation | undefined {
    const raw = this.#journal.read();
    if (raw === undefined) return undefined;
    const checked = migrateConversation(raw);
    return checked.ok ? checked.value : undefined;
  }

  clearPending() {
    this.#journal.clear();
  }

  /** Whether anything is being persisted, and if not, why. */
  get status(): KvStatus {
    return this.#kv.status;
  }

  onStatus(cb: (status: KvStatus) => void): () => void {
    return this.#kv.onStatus(cb);
  }

  loadSettings(): Promise<StoredSettings> {
    return settings.loadSettings(this.#kv);
  }

  saveSettings(s: StoredSettings): Promise<void> {
    return settings.saveSettings(this.#kv, s);
  }

  loadApiKey(): Promise<string | undefined> {
    return settings.loadApiKey(this.#kv);
  }

  saveApiKey(key: string): Promise<void> {
    return settings.saveApiKey(this.#kv, key);
  }

  forgetApiKey(): Promise<void> {
    return settings.forgetApiKey(this.#kv);
  }

  loadModelCache(baseURL: string): Promise<ModelCache | undefined> {
    return settings.loadModelCache(this.#kv, baseURL);
  }

  saveModelCache(baseURL: string, ids: string[], fetchedAt: number): Promise<void> {
    return settings.saveModelCache(this.#kv, baseURL, ids, fetchedAt);
  }

  saveConversation(conv: Conversation): Promise<void> {
    return conversations.saveConversation(this.#kv, conv);
  }

  loadConversation(id: string): Promise<Checked<Conversation>> {
    return conversations.loadConversation(this.#kv, id);
  }

  listConversations(): Promise<ConversationList> {
    return conversations.listConversations(this.#kv);
  }

  deleteConversation(id: string): Promise<void> {
    return conversations.deleteConversation(this.#kv, id);
  }

  getCurrentId(): Promise<string | undefined> {
    return conversations.getCurrentId(this.#kv);
  }

  setCurrentId(id: string): Promise<void> {
    return conversations.setCurrentId(this.#kv, id);
  }

  /** The user's own presets; built-ins are not stored. */
  listPresets(): Promise<Preset[]> {
    return presets.listPresets(this.#kv);
  }

  savePreset(preset: Preset): Promise<void> {
    return presets.savePreset(this.#kv, preset);
  }

  deletePreset(id: string): Promise<void> {
    return presets.deletePreset(this.#kv, id);
  }

  /** The user's price overrides, by model id prefix. */
  loadPrices(): Promise<Record<string, Price>> {
    return presets.loadPrices(this.#kv);
  }

  savePrices(prices: Record<string, Price>): Promise<void> {
    return presets.savePrices(this.#kv, prices);
  }
}

/** The app's store: IndexedDB when the browser allows it, memory otherwise. */
export function createStore(options?: KvOptions): Store {
  return new Store(createKv(options), browserStorage());
}
