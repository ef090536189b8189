import { createContext } from 'svelte';
import { SHARE_PREFIX } from '../model/share-prefix';
import type { Conversation } from '../model/types';

/** The page address's `#` fragment, where a share link carries its conversation. */
export interface HashPort {
  read(): string;
  /** Removes the fragment from the address, without a navigation or a history entry. */
  clear(): void;
  /** Calls `cb` when the fragment changes; returns the unsubscribe function. */
  listen(cb: () => void): () => void;
}

/** The browser's address bar. */
export function browserHash(): HashPort {
  return {
    read: () => location.hash,
    clear: () => {
      if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    },
    listen: (cb) => {
      addEventListener('hashchange', cb);
      return () => removeEventListener('hashchange', cb);
    },
  };
}

export interface SharedLinkOptions {
  hash: HashPort;
  /** Makes the shared conversation one of the user's own, and opens it. */
  onFork: (conv: Conversation) => Promise<void>;
}

/**
 * Share links both ways: a `#share=` link opened here shows its conversation
 * read-only until forked; "Share link…" turns the open conversation into one.
 */
export class SharedLink {
  #conversation = $state.raw<Conversation | null>(null);
  #error = $state<string | null>(null);
  #outgoing = $state.raw<Conversation | null>(null);
  #opts: SharedLinkOptions;

  constructor(opts: SharedLinkOptions) {
    this.#opts = opts;
  }

  /** The conversation a link opened, shown read-only; null when none is. */
  get conversation(): Conversation | null {
    return this.#conversation;
  }
  /** Why the link in the address could not be read. */
  get error(): string | null {
    return this.#error;
  }
  /** The conversation being shared, as it was when sharing began (a stream keeps changing it). */
  get outgoing(): Conversation | null {
    return this.#outgoing;
  }

  /** The address holds a share link (read or not yet). */
  get inAddress(): boolean {
    return this.#opts.hash.read().startsWith(SHARE_PREFIX);
  }

  /** Reads the address: a `#share=` fragment opens read-only; any other fragment is ignored. */
  async read() {
    const hash = this.#opts.hash.read();
    if (!hash.startsWith(SHARE_PREFIX)) {
      this.#conversation = null;
      this.#error = null;
      return;
    }
    const { decodeShare } = await import('../model/share');
    const decoded = await decodeShare(hash);
    this.#conversation = decoded.ok ? decoded.value : null;
    this.#error = decoded.ok ? null : decoded.error;
  }

  /** Follows the address from now on; returns the function that stops. */
  watch(): () => void {
    return this.#opts.hash.listen(() => void this.read());
  }

  /** Leaves the shared view (and the link's address). */
  close() {
    if (this.#conversation === null && this.#error === null) return;
    this.#conversation = null;
    this.#error = null;
    this.#opts.hash.clear();
  }

  /** The shared conversation becomes one of the user's own, opened for editing. */
  async fork() {
    const conv = this.#conversation;
    if (!conv) return;
    this.close();
    await this.#opts.onFork({ ...conv, updatedAt: Date.now() });
  }

  /** Starts sharing `conv` (the share dialog opens on it). */
  share(conv: Conversation) {
    this.#outgoing = conv;
  }

  endShare() {
    this.#outgoing = null;
  }
}

export const [getSharedLink, setSharedLink] = createContext<SharedLink>();
