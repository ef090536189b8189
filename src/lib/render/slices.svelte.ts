// Rendering Markdown in slices. An answer that arrives at full speed can bring
// dozens of new blocks in one frame, and rendering them all (parse, highlight,
// sanitize, then the DOM) would be one long task. So every message rendered in
// one frame shares one time budget (four compare panes flush one after the
// other in the same frame: together, not each, get the slice); what does not
// fit shows as plain text and is rendered in the next frames.

/** Time for rendering blocks in one frame, shared by every message on screen. */
export const SLICE_MS = 8;
/** A slice older than a frame is over, even where no frame callback runs. */
const FRAME_MS = 16;

let sliceStart = -1;
let inFlush = false;
let renderedInFlush = 0;

/**
 * Whether one more block may be rendered now, with `budgetMs` for blocks in
 * this frame. The first block of each flush always may: no message stalls
 * behind another.
 */
export function mayRender(budgetMs: number): boolean {
  const now = performance.now();
  if (sliceStart < 0 || now - sliceStart > FRAME_MS) {
    sliceStart = now;
    // Over once this task is: in a frame callback, that is after the frame's
    // rendering. (Asking for the next frame instead would draw one more frame
    // after every streaming update, for nothing.)
    setTimeout(() => (sliceStart = -1), 0);
  }
  if (!inFlush) {
    inFlush = true;
    renderedInFlush = 0;
    // Svelte renders every message of an update in one synchronous flush; a
    // microtask runs after it.
    queueMicrotask(() => (inFlush = false));
  }
  return renderedInFlush === 0 || now - sliceStart < budgetMs;
}

/** Counts a block rendered in this flush. */
export function renderedOne(): void {
  renderedInFlush++;
}

const nextFrame = (run: () => void) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  else setTimeout(run, FRAME_MS);
};

let frame = $state(0);
let requested = false;

/** A number that changes at the next frame once asked for (reactive). */
export function currentFrame(): number {
  return frame;
}

/**
 * Asks for another frame (the first one `delayMs` from now), so that messages
 * with blocks left render more of them.
 */
export function requestFrame(delayMs = 0): void {
  if (requested) return;
  requested = true;
  const tick = () =>
    nextFrame(() => {
      requested = false;
      frame++;
    });
  if (delayMs > 0) setTimeout(tick, delayMs);
  else tick();
}
