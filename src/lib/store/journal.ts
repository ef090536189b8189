// A last-moment copy of unsaved work. IndexedDB writes are asynchronous, and
// one started while the page is being closed may never finish; localStorage
// writes synchronously, so the page-hide handler leaves the pending
// conversation here and the next load takes it back.

/** The part of the Web Storage API the journal uses. */
export interface SyncStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'parley:pending-conversation';

export class Journal {
  readonly #storage: SyncStorage | undefined;
  readonly #key: string;

  constructor(storage: SyncStorage | undefined, key = KEY) {
    this.#storage = storage;
    this.#key = key;
  }

  /** Keeps a copy; false when it could not (no storage, or it is full). */
  write(value: unknown): boolean {
    if (!this.#storage) return false;
    try {
      this.#storage.setItem(this.#key, JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  }

  /** The copy left by a page that closed before its save finished, parsed but unchecked. */
  read(): unknown {
    try {
      const text = this.#storage?.getItem(this.#key);
      return text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      return undefined;
    }
  }

  clear() {
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      // Nothing to do: a copy left behind is checked and superseded on the next load.
    }
  }
}

/** The page's localStorage, when the browser lets the page use it. */
export function browserStorage(): SyncStorage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled: reading the property throws
  }
}
