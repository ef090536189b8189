import type { Conversation } from '../model/types';

export interface AutosaveOptions {
  /** Reads the value to save; every reactive read inside it is tracked. */
  read: () => Conversation;
  write: (conv: Conversation) => Promise<void>;
  delayMs?: number;
  /** Even while changes keep coming (a stream), save at least this often. */
  maxWaitMs?: number;
}

/**
 * Saves on every change, debounced, with a ceiling so a long stream is saved
 * as it goes; `flush()` writes at once (called on pagehide).
 */
export class Autosave {
  #opts: Required<AutosaveOptions>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstPendingAt: number | null = null;
  #pending: Conversation | null = null;
  /** The value being written now; a page closing mid-write may lose it. */
  #writing: Conversation | null = null;
  #inflight: Promise<void> = Promise.resolve();
  #stop: () => void;

  constructor(opts: AutosaveOptions) {
    this.#opts = { delayMs: 400, maxWaitMs: 2000, ...opts };
    this.#stop = $effect.root(() => {
      let first = true;
      $effect(() => {
        const value = this.#opts.read();
        // The initial read only subscribes; what was just loaded needs no save.
        if (first) {
          first = false;
          return;
        }
        this.#schedule(value);
      });
    });
  }

  #schedule(value: Conversation) {
    this.#pending = value;
    const now = Date.now();
    this.#firstPendingAt ??= now;
    clearTimeout(this.#timer);
    const waited = now - this.#firstPendingAt;
    const delay = Math.max(0, Math.min(this.#opts.delayMs, this.#opts.maxWaitMs - waited));
    this.#timer = setTimeout(() => void this.flush(), delay);
  }

  /** The change not safely written yet (waiting, or being written), if any. */
  get pending(): Conversation | null {
    return this.#pending ?? this.#writing;
  }

  /** Writes the pending change, after any write in flight; resolves when both landed. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    const value = this.#pending;
    this.#pending = null;
    this.#firstPendingAt = null;
    if (value) {
      this.#writing = value;
      this.#inflight = this.#inflight
        .catch(() => {}) // a failed earlier write was reported to its own caller
        .then(() => this.#opts.write(value))
        .finally(() => {
          if (this.#writing === value) this.#writing = null;
        });
    }
    await this.#inflight;
  }

  /** Drops the change waiting to be written (the user chose to throw it away). */
  discard() {
    clearTimeout(this.#timer);
    this.#pending = null;
    this.#firstPendingAt = null;
  }

  destroy() {
    this.#stop();
    clearTimeout(this.#timer);
  }
}
