// How the remembered key is kept: plain, or sealed with a passphrase, and
// whether a sealed key is unlocked in this tab. The settings own the key in
// memory; this owns what is stored for it and the lock that opens it.

import type { KeyLock, LockedKey, StoredKey } from '../model/key-lock';

/** The cryptography, loaded the first time a key is locked or unlocked. */
const keyCrypto = () => import('../model/key-crypto');

/** What the vault needs from storage. */
export interface KeyPort {
  loadApiKey(): Promise<StoredKey | undefined>;
  saveApiKey(key: StoredKey): Promise<void>;
  forgetApiKey(): Promise<void>;
}

/** How a key is to be stored. */
export interface KeepOptions {
  remember: boolean;
  lock: boolean;
  /** A new passphrase; empty keeps the lock held now. */
  passphrase: string;
}

export class KeyVault {
  /** The sealed record, when the stored key has a passphrase. */
  #record = $state.raw<LockedKey | null>(null);
  #unlocked = $state(false);
  /** Held while unlocked, so a re-save needs no passphrase; dropped on lock. */
  #lock = $state.raw<KeyLock | null>(null);
  #port: KeyPort;

  constructor(port: KeyPort) {
    this.#port = port;
  }

  /** A key is stored sealed and not unlocked in this tab. */
  get locked(): boolean {
    return this.#record !== null && !this.#unlocked;
  }

  /** The stored key is sealed with a passphrase. */
  get sealed(): boolean {
    return this.#record !== null;
  }

  /** A save may seal the key again without asking for the passphrase. */
  get holdsLock(): boolean {
    return this.#lock !== null;
  }

  /** The stored key, when it can be used now: '' when there is none or it is locked. */
  async read(remember: boolean): Promise<string> {
    const stored = remember ? await this.#port.loadApiKey() : undefined;
    if (typeof stored !== 'object') {
      this.#drop();
      return stored ?? '';
    }
    this.#record = stored;
    // Another tab re-saved it (a fresh IV): the lock held here still opens it.
    const key = this.#lock ? await (await keyCrypto()).openWith(this.#lock, stored) : undefined;
    if (key === undefined) this.lock();
    return key ?? '';
  }

  /** Stores the key as asked: sealed, plain, or not at all. */
  async keep(apiKey: string, how: KeepOptions): Promise<void> {
    if (!how.remember || !apiKey) return this.forget();
    if (!how.lock) {
      this.#drop();
      return this.#port.saveApiKey(apiKey);
    }
    const { deriveLock, seal } = await keyCrypto();
    const lock = how.passphrase ? await deriveLock(how.passphrase) : this.#lock;
    if (!lock) throw new Error('A passphrase is needed to lock the key.');
    const record = await seal(lock, apiKey);
    await this.#port.saveApiKey(record);
    this.#lock = lock;
    this.#record = record;
    this.#unlocked = true;
  }

  /** The key, when the passphrase opens the stored record; undefined when it does not. */
  async unlock(passphrase: string): Promise<string | undefined> {
    const record = this.#record;
    if (!record) return undefined;
    const opened = await (await keyCrypto()).unlock(record, passphrase);
    if (!opened || this.#record !== record) return undefined;
    this.#lock = opened.lock;
    this.#unlocked = true;
    return opened.apiKey;
  }

  /** Drops the lock from memory: the passphrase is asked for again. */
  lock() {
    this.#lock = null;
    this.#unlocked = false;
  }

  async forget(): Promise<void> {
    this.#drop();
    await this.#port.forgetApiKey();
  }

  #drop() {
    this.#record = null;
    this.lock();
  }
}
