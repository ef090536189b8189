// A large part drawn in steps: each step is a task of its own, so the part costs
// a few short tasks instead of one long one, and a key pressed meanwhile is
// handled between them.
import { nextTask } from './idle';

export class Steps {
  #reached = $state(0);
  #stopped = false;

  /** Counts from 0 up to `last`, a step per task. Made in a component: stops with it. */
  constructor(last: number) {
    $effect(() => () => {
      this.#stopped = true;
    });
    void this.#climb(last);
  }

  async #climb(last: number) {
    while (this.#reached < last) {
      await nextTask();
      if (this.#stopped) return;
      this.#reached += 1;
    }
  }

  /** Step `n` has come: what it draws is drawn. */
  reached(n: number): boolean {
    return this.#reached >= n;
  }
}
