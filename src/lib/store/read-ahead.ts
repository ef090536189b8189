// Reads started before anyone asks for them. The page's first script starts the
// reads the app opens with (Store.readAhead), so IndexedDB works while the
// app's code is still downloading; each read is then handed, once, to the first
// call that asks for the same thing. A write drops every read kept (and so does
// another tab's change): nobody is handed a value older than a write it follows.

import type { Kv } from './kv';

export class ReadAhead {
  readonly #kept = new Map<string, Promise<unknown>>();
  #recording = false;

  /**
   * Runs `start`, and keeps each read it asks for through `take` for the next
   * caller that asks for the same thing (the reads are named in one place: there).
   */
  record(start: () => void): void {
    this.#recording = true;
    try {
      start();
    } finally {
      this.#recording = false;
    }
  }

  /** While recording, `read()` kept for later; else the read kept for `key` (handed out once), or `read()`. */
  take<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (this.#recording) {
      const started = read();
      started.catch(() => {}); // whoever takes it sees the failure
      this.#kept.set(key, started);
      return started;
    }
    const kept = this.#kept.get(key);
    if (!kept) return read();
    this.#kept.delete(key);
    return kept as Promise<T>;
  }

  /** Forgets every read kept: what they read may have changed. */
  drop(): void {
    this.#kept.clear();
  }

  /** `kv`, with every write dropping the kept reads before it starts. */
  watching(kv: Kv): Kv {
    const drop = () => this.drop();
    return {
      get status() {
        return kv.status;
      },
      onStatus: (cb) => kv.onStatus(cb),
      get: (key) => kv.get(key),
      keys: () => kv.keys(),
      getMany: (keys) => kv.getMany(keys),
      getPrefix: (prefix) => kv.getPrefix(prefix),
      set: (key, value) => (drop(), kv.set(key, value)),
      del: (key) => (drop(), kv.del(key)),
      update: (key, fn) => (drop(), kv.update(key, fn)),
      updateMany: (key, fn) => (drop(), kv.updateMany(key, fn)),
      clear: () => (drop(), kv.clear()),
    };
  }
}
