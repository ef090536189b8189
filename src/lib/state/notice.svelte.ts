import { createContext } from 'svelte';

/**
 * One line about something that happened on its own (another tab saved, a
 * conversation could not be opened). Shown until dismissed or replaced.
 */
export class Notice {
  #text = $state<string | null>(null);

  get text(): string | null {
    return this.#text;
  }

  show(text: string) {
    this.#text = text;
  }

  dismiss() {
    this.#text = null;
  }
}

export const [getNotice, setNotice] = createContext<Notice>();
