// The only module that touches IndexedDB (through idb-keyval). Every call is
// caught: when the browser refuses storage, the page keeps working from memory
// and says so through `status`, instead of losing what the user typed.

import {
  clear,
  createStore,
  del,
  get,
  getMany,
  keys,
  promisifyRequest,
  set,
  update,
  type UseStore,
} from 'idb-keyval';

export interface KvStatus {
  persistent: boolean;
  reason?: 'unavailable' | 'quota' | 'error';
  detail?: string;
}

/**
 * Computes a key's new value from its old one. Synchronous (it runs inside
 * one IndexedDB transaction) and free of side effects beyond recording its
 * decision: it may run more than once when a write falls back to memory.
 */
type Updater = (old: unknown) => unknown;

/** Records to write together: values to put and keys to delete. */
export interface WriteSet {
  puts: readonly (readonly [string, unknown])[];
  dels: readonly string[];
}

/**
 * Decides, from a key's old value, what to write (that key and others) in the
 * same transaction; null writes nothing. Same rules as an Updater.
 */
type MultiUpdater = (old: unknown) => WriteSet | null;

/** Where values are persisted. Tests pass a fake. */
export interface KvBackend {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /**
   * Read-modify-write in one transaction, so two tabs cannot interleave.
   * Optional: without it a get and a set are used (fine for one-tab fakes).
   */
  update?(key: string, fn: Updater): Promise<void>;
  /** `update` for several records at once; optional like it. */
  updateMany?(key: string, fn: MultiUpdater): Promise<void>;
  /** Several reads in one transaction; optional (one get each without it). */
  getMany?(keys: readonly string[]): Promise<unknown[]>;
  /** Every record whose key starts with `prefix`, in one read; optional (keys and getMany without it). */
  getPrefix?(prefix: string): Promise<[string, unknown][]>;
  /** Deletes every record; optional (one delete each without it). */
  clear?(): Promise<void>;
}

export interface Kv {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /** Atomic read-modify-write where the backend allows it (IndexedDB does). */
  update(key: string, fn: Updater): Promise<void>;
  /** Reads `key` and writes what `fn` makes of it, all in one transaction where the backend allows it. */
  updateMany(key: string, fn: MultiUpdater): Promise<void>;
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /**
   * Every record whose key starts with `prefix`. One range read in IndexedDB,
   * which for a thousand records is many times cheaper than a thousand gets.
   */
  getPrefix(prefix: string): Promise<Map<string, unknown>>;
  /** Deletes every record, stored or held in memory. */
  clear(): Promise<void>;
  readonly status: KvStatus;
  /** Calls `cb` on every status change; returns the unsubscribe function. */
  onStatus(cb: (status: KvStatus) => void): () => void;
}

export interface KvOptions {
  /** `null` means "no persistent storage"; omitted means IndexedDB when the browser has it. */
  backend?: KvBackend | null;
}

/** IndexedDB through idb-keyval, in a database of our own rather than idb-keyval's shared default. */
export function idbBackend(store: UseStore = createStore('parley', 'kv')): KvBackend {
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    keys: async () => (await keys(store)).filter((k): k is string => typeof k === 'string'),
    update: (key, fn) => update(key, fn, store),
    updateMany: (key, fn) =>
      store('readwrite', (s) => {
        // As idb-keyval's own update: the writes are queued in the get's
        // callback, so the read and the writes are one transaction.
        return new Promise<void>((resolve, reject) => {
          s.get(key).onsuccess = function () {
            try {
              const writes = fn(this.result);
              for (const [k, v] of writes?.puts ?? []) s.put(v, k);
              for (const k of writes?.dels ?? []) s.delete(k);
              resolve(promisifyRequest(s.transaction));
            } catch (err) {
              reject(err);
            }
          };
        });
      }),
    getMany: (list) => getMany([...list], store),
    clear: () => clear(store),
    getPrefix: (prefix) =>
      store('readonly', async (s) => {
        const range = IDBKeyRange.bound(prefix, prefix + '\uffff');
        const [found, values] = await Promise.all([
          promisifyRequest(s.getAllKeys(range)),
          promisifyRequest(s.getAll(range)),
        ]);
        return found.map((k, i): [string, unknown] => [String(k), values[i]]);
      }),
  };
}

/**
 * IndexedDB when the page may use it. Where storage is blocked, reading
 * `indexedDB` or opening a database can throw at once (a SecurityError): the
 * page then works from memory, as it does where there is no IndexedDB.
 */
function defaultBackend(): { backend: KvBackend | null; why?: string } {
  try {
    if (typeof indexedDB === 'undefined') return { backend: null };
    return { backend: idbBackend() };
  } catch (err) {
    return { backend: null, why: describe(err) };
  }
}

function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  // Older Firefox used its own name for the same condition.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

function describe(err: unknown): string {
  if (err instanceof Error || err instanceof DOMException) return `${err.name}: ${err.message}`;
  return String(err);
}

/** IndexedDB returns copies; the memory fallback does the same so callers cannot alias stored values. */
function copy<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

export function createKv(options: KvOptions = {}): Kv {
  const chosen = options.backend === undefined ? defaultBackend() : { backend: options.backend };
  const backend = chosen.backend;
  // Writes that could not reach the backend, and deletes that could not either
  // (tombstones hide the persisted value that is still there).
  const memory = new Map<string, unknown>();
  const deleted = new Set<string>();
  const listeners = new Set<(s: KvStatus) => void>();
  let readable = backend !== null;
  let writable = backend !== null;
  // Until one call succeeds, a failure means the database cannot even be opened.
  let opened = false;
  let status: KvStatus = backend
    ? { persistent: true }
    : {
        persistent: false,
        reason: 'unavailable',
        detail: chosen.why ?? 'IndexedDB is not available in this browser.',
      };

  function setStatus(next: KvStatus) {
    status = next;
    for (const cb of listeners) cb(next);
  }

  /**
   * The first failure decides: from then on nothing is written to the backend
   * (sticky, so the banner's "nothing will be saved" stays true), and reads
   * still come from it when it could be opened, so earlier work is not hidden.
   */
  function degrade(err: unknown) {
    if (!writable) return;
    const reason = isQuotaError(err) ? 'quota' : opened ? 'error' : 'unavailable';
    writable = false;
    if (reason === 'unavailable') readable = false;
    setStatus({ persistent: false, reason, detail: describe(err) });
  }

  async function attempt<T>(
    op: (b: KvBackend) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false }> {
    if (!backend) return { ok: false };
    try {
      const value = await op(backend);
      opened = true;
      return { ok: true, value };
    } catch (err) {
      degrade(err);
      return { ok: false };
    }
  }

  async function get(key: string): Promise<unknown> {
    if (deleted.has(key)) return undefined;
    if (memory.has(key)) return copy(memory.get(key));
    if (!readable) return undefined;
    const r = await attempt((b) => b.get(key));
    return r.ok ? r.value : undefined;
  }

  return {
    get status() {
      return status;
    },

    onStatus(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },

    get,

    async set(key, value) {
      deleted.delete(key);
      if (writable && (await attempt((b) => b.set(key, value))).ok) return;
      memory.set(key, copy(value));
    },

    async del(key) {
      memory.delete(key);
      if (writable && (await attempt((b) => b.del(key))).ok) return;
      if (readable) deleted.add(key);
    },

    async update(key, fn) {
      const inMemory = deleted.has(key) || memory.has(key) || !writable;
      if (!inMemory) {
        const r = await attempt(async (b) => {
          if (b.update) return b.update(key, fn);
          await b.set(key, fn(await b.get(key)));
        });
        if (r.ok) return;
      }
      // Memory holds the newest value (or the backend just refused the write).
      const old = await get(key);
      deleted.delete(key);
      memory.set(key, copy(fn(old)));
    },

    async updateMany(key, fn) {
      const inMemory = deleted.has(key) || memory.has(key) || !writable;
      if (!inMemory) {
        const r = await attempt(async (b) => {
          if (b.updateMany) return b.updateMany(key, fn);
          const writes = fn(await b.get(key));
          for (const [k, v] of writes?.puts ?? []) await b.set(k, v);
          for (const k of writes?.dels ?? []) await b.del(k);
        });
        if (r.ok) return;
      }
      const writes = fn(await get(key));
      for (const [k, v] of writes?.puts ?? []) {
        deleted.delete(k);
        memory.set(k, copy(v));
      }
      for (const k of writes?.dels ?? []) {
        memory.delete(k);
        if (readable) deleted.add(k);
      }
    },

    async getMany(list) {
      const local = list.some((k) => deleted.has(k) || memory.has(k));
      if (!local && readable) {
        const r = await attempt(async (b) => (b.getMany ? b.getMany(list) : undefined));
        if (r.ok && r.value) return r.value;
      }
      return Promise.all(list.map(get));
    },

    async getPrefix(prefix) {
      const found = new Map<string, unknown>();
      if (readable) {
        const r = await attempt(async (b) => {
          if (b.getPrefix) return b.getPrefix(prefix);
          const names = (await b.keys()).filter((k) => k.startsWith(prefix));
          const values = await (b.getMany ? b.getMany(names) : Promise.all(names.map(b.get)));
          return names.map((k, i): [string, unknown] => [k, values[i]]);
        });
        if (r.ok) for (const [k, v] of r.value) found.set(k, v);
      }
      for (const k of deleted) found.delete(k);
      for (const [k, v] of memory) if (k.startsWith(prefix)) found.set(k, copy(v));
      return found;
    },

    async clear() {
      const stored = readable ? await this.keys() : [];
      memory.clear();
      deleted.clear();
      const r = writable
        ? await attempt(async (b) => {
            if (b.clear) return b.clear();
            for (const k of await b.keys()) await b.del(k);
          })
        : { ok: false };
      // Where the backend cannot be written, what it still holds is hidden.
      if (!r.ok) for (const k of stored) deleted.add(k);
    },

    async keys() {
      const found = new Set<string>(memory.keys());
      if (readable) {
        const r = await attempt((b) => b.keys());
        if (r.ok) for (const k of r.value) found.add(k);
      }
      return [...found].filter((k) => !deleted.has(k));
    },
  };
}
