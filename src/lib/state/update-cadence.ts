// How often streaming answers are drawn. Tokens arrive up to a hundred times a
// second; drawing each frame they arrive in cost a third of a small machine's
// main thread at 100 tokens/s (a frame's style, layout and paint, whatever
// changed), for text nobody reads at 60 Hz. Drawing at most every UPDATE_MS,
// on a frame, keeps the text moving smoothly for far less (issue 15: ≤ 15 %
// busy). 60 ms, about 17 draws a second, a few words each at 100 tokens/s:
// measured side by side with 50 ms, 3 points less busy at 100 tokens/s on a
// 2-core machine (each draw is ~3 ms there), nothing else changed. Every streaming answer on the page (compare panes stream side
// by side) is drawn in the same frame: one layout and paint for all of them,
// not one each. An answer's end is not delayed: the last update is drawn when
// its stream finishes, not on this cadence.

/** The shortest time between two drawing frames of streaming answers. */
export const UPDATE_MS = 60;

/**
 * Text one update may bring and still be drawn on the next frame when nothing
 * was drawn for UPDATE_MS (a stream's first output, say). More at once comes
 * from a server far faster than anyone reads (thousands of tokens a second: a
 * local one, a cache), whose end is right behind it and is drawn as it comes;
 * drawing the first part first (a frame laying out and painting all of it)
 * only kept the page busy while the end arrived. So it waits one cadence step,
 * as later draws do.
 */
export const BURST_CHARS = 400;

type Frame = (fn: () => void) => void;

const nextFrame: Frame = (fn) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
};

/** Collects the updates of streaming answers and draws them together on a frame. */
export class UpdateCadence {
  #last = -Infinity;
  #pending: (() => void)[] = [];

  constructor(
    private readonly minMs = UPDATE_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly frame: Frame = nextFrame,
  ) {}

  /**
   * Runs `flush` on the next drawing frame (at most one per `minMs`), or a
   * cadence step from now when the update brought more than BURST_CHARS
   * characters (`grownBy`) since the answer was last drawn.
   */
  readonly schedule = (flush: () => void, grownBy = 0): void => {
    this.#pending.push(flush);
    if (this.#pending.length > 1) return;
    // Frames come every ~16 ms: waiting until a frame before the time is due
    // keeps the cadence on minMs instead of minMs plus a frame.
    const due = this.#last + this.minMs - this.now() - 8;
    const wait = grownBy > BURST_CHARS ? Math.max(due, this.minMs - 8) : due;
    if (wait <= 0) this.frame(this.#run);
    else setTimeout(() => this.frame(this.#run), wait);
  };

  #run = () => {
    this.#last = this.now();
    for (const flush of this.#pending.splice(0)) flush();
  };
}

/** The page's one cadence, shared by every streaming answer. */
export const streamingUpdates = new UpdateCadence();
