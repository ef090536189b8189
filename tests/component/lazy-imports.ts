// The other half of build/track-lazy-imports.ts: every `import()` in the
// app's source reports here, so a test file can wait for the loads it set off
// before Vitest tears its environment down. Imported first by setup.ts, before
// any app module runs.
const pending = new Set<Promise<unknown>>();

(globalThis as { __lazyImports?: unknown }).__lazyImports = {
  track<T>(load: Promise<T>): Promise<T> {
    pending.add(load);
    const done = () => pending.delete(load);
    load.then(done, done);
    return load;
  },
};

/** Resolves once no lazy load is in flight, including loads that loads start. */
export async function settleLazyImports(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
