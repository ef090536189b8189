import { createContext } from 'svelte';
import type { KvStatus } from '../store';

/** What `navigator.storage` told us about eviction. */
export type Persistence = 'unknown' | 'persisted' | 'best-effort' | 'unsupported';

export type PersistApi = Pick<StorageManager, 'persist' | 'persisted'>;

/** Whether what is typed reaches disk, and whether the browser may clear it later. */
export class StorageHealth {
  #status = $state.raw<KvStatus>({ persistent: true });
  #persistence = $state<Persistence>('unknown');

  /** `watch` reports the store's status now and on every change. */
  constructor(initial: KvStatus, watch: (cb: (s: KvStatus) => void) => void) {
    this.#status = initial;
    watch((s) => (this.#status = s));
  }

  /** Saving works (false: memory only, quota, or errors; `reason` says which). */
  get status(): KvStatus {
    return this.#status;
  }

  get persistence(): Persistence {
    return this.#persistence;
  }

  /**
   * Asks the browser not to evict our data, and remembers what it said.
   * `manager`: navigator.storage when undefined; null: none (tests, old browsers).
   */
  async askPersistence(manager?: PersistApi | null) {
    const browser = typeof navigator === 'undefined' ? undefined : navigator.storage;
    const api = manager === undefined ? browser : manager;
    if (typeof api?.persist !== 'function') {
      this.#persistence = 'unsupported';
      return;
    }
    try {
      const already = await api.persisted();
      this.#persistence = already || (await api.persist()) ? 'persisted' : 'best-effort';
    } catch {
      this.#persistence = 'unsupported';
    }
  }
}

export const [getStorageHealth, setStorageHealth] = createContext<StorageHealth>();
