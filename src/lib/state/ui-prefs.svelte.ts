import { createContext } from 'svelte';
import type { Store, StoredUi, Theme } from '../store';

export type { Theme };

/** How the page is laid out for this user, remembered on this device. */
export class UiPrefs {
  #theme = $state<Theme>('system');
  #listOpen = $state(true);
  #paramsOpen = $state(true);
  #port: Pick<Store, 'loadUi' | 'saveUi'> | undefined;

  /** Without a port (a component rendered on its own) nothing is remembered. */
  constructor(port?: Pick<Store, 'loadUi' | 'saveUi'>) {
    this.#port = port;
  }

  async load() {
    if (!this.#port) return;
    const ui = await this.#port.loadUi();
    this.#theme = ui.theme;
    this.#listOpen = ui.listOpen;
    this.#paramsOpen = ui.paramsOpen;
  }

  /** System (follow the operating system), Light or Dark. */
  get theme(): Theme {
    return this.#theme;
  }
  /** The conversation list column is shown on wide screens. */
  get listOpen(): boolean {
    return this.#listOpen;
  }
  /** The parameters column is shown on wide screens. */
  get paramsOpen(): boolean {
    return this.#paramsOpen;
  }

  setTheme(theme: Theme) {
    this.#theme = theme;
    void this.#save();
  }

  setListOpen(open: boolean) {
    this.#listOpen = open;
    void this.#save();
  }

  setParamsOpen(open: boolean) {
    this.#paramsOpen = open;
    void this.#save();
  }

  #save(): Promise<void> {
    const value: StoredUi = {
      theme: this.#theme,
      listOpen: this.#listOpen,
      paramsOpen: this.#paramsOpen,
    };
    return this.#port?.saveUi(value) ?? Promise.resolve();
  }
}

export const [getUiPrefs, setUiPrefs] = createContext<UiPrefs>();
