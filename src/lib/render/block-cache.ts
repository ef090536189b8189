// Rendered blocks shared by every message, by their source: a message that
// scrolls back into view, or a text edited back to what it was, finds its
// blocks here instead of rendering them again. Both the number of entries and
// the total size of the cached HTML are capped; the least recently used go.

import type { RenderedBlock } from './incremental';

export interface CachedBlock {
  readonly block: RenderedBlock | null;
  /** Rendered before highlight.js had loaded, with a code block that wants it. */
  readonly plainCode: boolean;
}

const MAX_ENTRIES = 1000;
const MAX_CHARS = 4_000_000;
const cache = new Map<string, CachedBlock>();
let cachedChars = 0;

const size = (key: string, value: CachedBlock) =>
  key.length + (value.block ? String(value.block.html).length : 0);

export function cacheGet(key: string): CachedBlock | undefined {
  const hit = cache.get(key);
  if (hit) {
    // Re-insert to mark as most recently used (a Map keeps insertion order).
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

export function cacheSet(key: string, value: CachedBlock): void {
  if (cache.has(key)) return;
  cache.set(key, value);
  cachedChars += size(key, value);
  for (const [oldKey, old] of cache) {
    if (cache.size <= MAX_ENTRIES && cachedChars <= MAX_CHARS) break;
    cache.delete(oldKey);
    cachedChars -= size(oldKey, old);
  }
}

/** Empties the block cache (for tests and memory pressure). */
export function clearRenderCache(): void {
  cache.clear();
  cachedChars = 0;
}
