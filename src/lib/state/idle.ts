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

let painted: Promise<void> | undefined;
/**
 * Resolves once the page has drawn its first frame (the first call asks for it; where
 * there are no frames, at once). A part loaded later than this costs the first paint
 * nothing: not even the link tags and requests its import() starts. Each caller is
 * resolved in a task of its own: what waits for the first paint does not start all in
 * one long task, and a key pressed meanwhile is handled between them.
 */
export function afterFirstPaint(): Promise<void> {
  painted ??= new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') return resolve();
    // A page opened in a background tab draws no frame until it is shown: nothing to wait for.
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return resolve();
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
  return painted.then(nextTask);
}

/** Resolves in a task of its own, after what is queued now (input first, in Chromium). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
