import { untrack } from 'svelte';
import { sameItems as same } from '../model/same-items';

export interface AutosaveOptions {
  /**
   * Every saved field, by reference and without copying: it runs on every
   * change (each keystroke, each streamed frame), so it must stay cheap.
   * Values are replaced whole on change, so equal references mean unchanged.
   */
  track: () => readonly unknown[];
  /** Copies and writes what is there now: once per save, never per change. */
  write: () => Promise<void>;
  delayMs?: number;
  /** Even while changes keep coming (a stream), save at least this often. */
  maxWaitMs?: number;
}

/**
 * Saves after changes, debounced, with a ceiling so a long stream is saved as
 * it goes. A change costs a comparison of references; the copy and its JSON
 * are made when the write runs. `flush()` writes at once (before switching,
 * on pagehide).
 */
export class Autosave {
  #opts: Required<AutosaveOptions>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstChangeAt: number | null = null;
  /** The fields as last written (or loaded): a change is a difference from these. */
  #base: readonly unknown[];
  #pending = $state(false);
  #writing = $state(0);
  #inflight: Promise<void> = Promise.resolve();
  #stop: () => void;

  constructor(opts: AutosaveOptions) {
    this.#opts = { delayMs: 400, maxWaitMs: 2000, ...opts };
    this.#base = untrack(opts.track);
    this.#stop = $effect.root(() => {
      $effect(() => {
        const now = this.#opts.track();
        untrack(() => (same(now, this.#base) ? this.#unchanged() : this.#changed()));
      });
    });
  }

  #unchanged() {
    clearTimeout(this.#timer);
    this.#firstChangeAt = null;
    this.#pending = false;
  }

  #changed() {
    this.#pending = true;
    const now = Date.now();
    this.#firstChangeAt ??= now;
    clearTimeout(this.#timer);
    const waited = now - this.#firstChangeAt;
    const delay = Math.max(0, Math.min(this.#opts.delayMs, this.#opts.maxWaitMs - waited));
    this.#timer = setTimeout(() => void this.flush(), delay);
  }

  /** A change is waiting to be written, or being written: closing now could lose it. */
  get dirty(): boolean {
    return this.#pending || this.#writing > 0;
  }

  /** Writes now, after any write in flight; resolves when both landed. */
  async flush(): Promise<void> {
    this.rebase();
    this.#writing += 1;
    this.#inflight = this.#inflight
      .catch(() => {}) // a failed earlier write was reported to its own caller
      .then(() => this.#opts.write())
      .finally(() => (this.#writing -= 1));
    await this.#inflight;
  }

  /**
   * What is there now counts as saved: just loaded, or thrown away by the
   * user. Nothing is written for it.
   */
  rebase() {
    this.#unchanged();
    this.#base = untrack(this.#opts.track);
  }

  destroy() {
    this.#stop();
    clearTimeout(this.#timer);
  }

  /** Resolves once no write is in flight. */
  async settled(): Promise<void> {
    await this.#inflight.catch(() => {});
  }
}
