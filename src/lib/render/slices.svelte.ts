// Rendering Markdown in slices. An answer that arrives at full speed can bring
// dozens of new blocks in one frame, and rendering them all (parse, highlight,
// sanitize, then the DOM) would be one long task. So every message rendered in
// one go (one Svelte flush) shares one time budget; what does not fit shows as
// plain text and is rendered in the next frames.

/** Time for rendering blocks in one go, shared by every message on screen. */
export const SLICE_MS = 8;

let sliceStart = -1;
let rendered = 0;

/**
 * Whether one more block may be rendered now, with `budgetMs` for blocks in
 * this go. The first block of a go always may: rendering never stalls.
 */
export function mayRender(budgetMs: number): boolean {
  const now = performance.now();
  if (sliceStart < 0) {
    sliceStart = now;
    rendered = 0;
    // Svelte renders every message of an update in one synchronous flush; a
    // microtask runs after it, and the next update starts a new slice.
    queueMicrotask(() => (sliceStart = -1));
  }
  return rendered === 0 || now - sliceStart < budgetMs;
}

/** Counts a block rendered in this go. */
export function renderedOne(): void {
  rendered++;
}

let frame = $state(0);
let requested = false;

/** A number that changes at the next frame once asked for (reactive). */
export function currentFrame(): number {
  return frame;
}

/** Asks for another frame, so that messages with blocks left render more of them. */
export function requestFrame(): void {
  if (requested) return;
  requested = true;
  const next =
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame
      : (run: () => void) => setTimeout(run, 16);
  next(() => {
    requested = false;
    frame++;
  });
}
