import { createContext } from 'svelte';

/**
 * A newer deployed version of Parley, downloaded and waiting. It never replaces
 * the page on its own: the user switches when it suits them (`Update available`,
 * `Reload`). What switching takes (telling the waiting service worker to take
 * over, then reloading) is handed in by whoever found the update
 * (service-worker.ts), so this class knows nothing of service workers.
 */
export class AppUpdate {
  #apply = $state.raw<(() => void) | null>(null);

  /** Whether a newer version is ready. */
  get available(): boolean {
    return this.#apply !== null;
  }

  /** A newer version is ready; `apply` switches the page to it. */
  offer(apply: () => void) {
    this.#apply = apply;
  }

  /** Switches to the newer version (the page reloads). */
  reload() {
    this.#apply?.();
  }
}

export const [getAppUpdate, setAppUpdate] = createContext<AppUpdate>();
