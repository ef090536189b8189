// Tells the other tabs of this origin what changed in the store, so a list
// stays current, an open conversation is never overwritten silently, and a key
// forgotten in one tab is forgotten in all. Messages carry ids and revisions
// (and the list entry), never the API key or settings: a `settings` event only
// says "read them again".

import type { LibraryEntry } from '../model/library';

export type StoreEvent =
  | { type: 'saved'; id: string; revision: number; entry: LibraryEntry }
  | { type: 'deleted'; id: string }
  | { type: 'settings' }
  | { type: 'cleared' };

/** What a conversation list or an open conversation follows. */
export type ConversationEvent = Exclude<StoreEvent, { type: 'settings' } | { type: 'cleared' }>;

export interface Channel {
  post(event: StoreEvent): void;
  /** Calls `cb` for events posted by other tabs; returns the unsubscribe function. */
  subscribe(cb: (event: StoreEvent) => void): () => void;
}

const NAME = 'parley:conversations';

function isEvent(data: unknown): data is StoreEvent {
  if (typeof data !== 'object' || data === null) return false;
  const e = data as Record<string, unknown>;
  if (e.type === 'settings' || e.type === 'cleared') return true;
  if (typeof e.id !== 'string') return false;
  if (e.type === 'deleted') return true;
  return (
    e.type === 'saved' &&
    typeof e.revision === 'number' &&
    typeof e.entry === 'object' &&
    e.entry !== null
  );
}

/** The browser's BroadcastChannel; a silent one where the browser has none. */
export function browserChannel(): Channel {
  if (typeof BroadcastChannel !== 'function') return { post() {}, subscribe: () => () => {} };
  const channel = new BroadcastChannel(NAME);
  const listeners = new Set<(event: StoreEvent) => void>();
  channel.onmessage = (e: MessageEvent) => {
    if (!isEvent(e.data)) return;
    for (const cb of listeners) cb(e.data);
  };
  return {
    post(event) {
      try {
        channel.postMessage(event);
      } catch {
        // A closed channel (page unloading): the other tabs re-check on their next save.
      }
    },
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
