// Several "tabs" of one origin for tests: stores over one IndexedDB (fake-indexeddb,
// real transactions) whose channels reach each other like BroadcastChannel.
import { createKv, idbBackend, Store } from '../../../src/lib/store';
import type { Channel, StoreEvent } from '../../../src/lib/store';

function linkedChannels(count: number): Channel[] {
  const all: Set<(event: StoreEvent) => void>[] = Array.from({ length: count }, () => new Set());
  return all.map((own) => ({
    post(event) {
      const copy = structuredClone(event);
      for (const other of all) {
        if (other === own) continue;
        for (const cb of other) setTimeout(() => cb(copy), 0);
      }
    },
    subscribe(cb) {
      own.add(cb);
      return () => own.delete(cb);
    },
  }));
}

/** `count` stores over the global (stubbed) indexedDB, linked to each other. */
export function tabStores(count: number): Store[] {
  return linkedChannels(count).map(
    (channel) => new Store(createKv({ backend: idbBackend() }), undefined, channel),
  );
}
