// Work the first paint and the first Send do not need (the request code, the
// SDK, the tokenizer vocabulary, the Tools editor) waits until the page is
// idle, so it does not compete with them for a small machine's cores.

/** The longest wait: on a page that is never idle, the work still happens. */
const AT_MOST_MS = 2000;

/** Runs `fn` once the browser is idle (or after a short timeout where it cannot tell). */
export function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(() => fn(), { timeout: AT_MOST_MS });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(fn, 50);
  return () => clearTimeout(timer);
}
