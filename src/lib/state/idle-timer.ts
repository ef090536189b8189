// Auto-lock: calls back once nothing was done on the page for a while. One
// timer, re-armed only when it fires, so a keystroke costs a Date.now().

export class IdleTimer {
  #last = 0;
  #ms = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onIdle: () => void;

  constructor(onIdle: () => void) {
    this.#onIdle = onIdle;
  }

  /** Counts from now; 0 or less stops counting. */
  start(ms: number) {
    this.stop();
    if (!(ms > 0)) return;
    this.#ms = ms;
    this.#last = Date.now();
    this.#schedule(ms);
  }

  /** Something was done: the idle time starts again. */
  touch() {
    this.#last = Date.now();
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delay: number) {
    this.#timer = setTimeout(() => {
      const idle = Date.now() - this.#last;
      if (idle < this.#ms) return this.#schedule(this.#ms - idle);
      this.#timer = undefined;
      this.#onIdle();
    }, delay);
  }
}
