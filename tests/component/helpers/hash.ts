import type { HashPort } from '../../../src/lib/state/shared-link.svelte';

/** An address bar in memory: `go` changes the fragment as a pasted link would. */
export function memoryHash(initial = ''): HashPort & { go(fragment: string): void } {
  let hash = initial;
  const listeners = new Set<() => void>();
  return {
    read: () => hash,
    clear: () => {
      hash = '';
    },
    listen: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    go: (fragment) => {
      hash = fragment;
      for (const cb of listeners) cb();
    },
  };
}
