import { settleLazyImports } from './lazy-imports';
import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/svelte';
import { afterAll, vi } from 'vitest';
import { loadRunner } from '../../src/lib/api';
import { loadJsonLocator } from '../../src/lib/model/json';

// How long anything asynchronous may take is decided here, once, for a busy
// 2-core machine: the libraries' defaults (1 s for findBy*/waitFor and
// vi.waitFor) are tuned for an idle laptop. A wait still ends as soon as its
// condition holds, so a passing test is no slower.
export const ASYNC_TIMEOUT_MS = 10_000;

configure({ asyncUtilTimeout: ASYNC_TIMEOUT_MS });

const waitFor = vi.waitFor;
vi.waitFor = ((callback, options) => {
  const given = typeof options === 'number' ? { timeout: options } : (options ?? {});
  return waitFor(callback, { ...given, timeout: Math.max(given.timeout ?? 0, ASYNC_TIMEOUT_MS) });
}) as typeof vi.waitFor;

// The app loads its request code and the JSON error locator right after the first
// paint (main.ts); the components and states under test start from that point.
await Promise.all([loadRunner(), loadJsonLocator()]);

// A test may end while code it set off loading is still on its way; the file
// waits for it, or Vitest would tear the environment down under the load.
afterAll(settleLazyImports);
