import { createContext } from 'svelte';
import type { UiPrefs } from './ui-prefs.svelte';

/** The page-wide dialogs and panels any part of the shell can open. */
export type Overlay = 'inspector' | 'code' | 'paste' | 'shortcuts';

export interface ShellOptions {
  ui: UiPrefs;
  /** Compare mode: the panes get the width, so both side columns start collapsed. */
  comparing: () => boolean;
  /** A small screen: the side columns are drawers over the chat, one at a time. */
  narrow: () => boolean;
}

/**
 * The app frame: which side columns show (remembered on wide screens,
 * drawers on small ones, collapsed by default while comparing) and which
 * page-wide dialog or panel is open.
 */
export class Shell {
  #opts: ShellOptions;
  #drawer = $state<'list' | 'params' | null>(null);
  /** While comparing, the columns are shown only when asked for. */
  #compareList = $state(false);
  #compareParams = $state(false);
  #searchAsked = $state(0);
  #open = $state<Record<Overlay, boolean>>({
    inspector: false,
    code: false,
    paste: false,
    shortcuts: false,
  });

  constructor(opts: ShellOptions) {
    this.#opts = opts;
  }

  get narrow(): boolean {
    return this.#opts.narrow();
  }

  /** The conversation list is on screen (a column, or the open drawer). */
  get listShown(): boolean {
    if (this.narrow) return this.#drawer === 'list';
    return this.#opts.comparing() ? this.#compareList : this.#opts.ui.listOpen;
  }

  /** The parameters are on screen (a column, or the open drawer). */
  get paramsShown(): boolean {
    if (this.narrow) return this.#drawer === 'params';
    return this.#opts.comparing() ? this.#compareParams : this.#opts.ui.paramsOpen;
  }

  /** A drawer covers the chat (small screens only). */
  get drawerOpen(): boolean {
    return this.narrow && this.#drawer !== null;
  }

  toggleList() {
    const show = !this.listShown;
    if (this.narrow) this.#drawer = show ? 'list' : null;
    else if (this.#opts.comparing()) this.#compareList = show;
    else this.#opts.ui.setListOpen(show);
  }

  toggleParams() {
    const show = !this.paramsShown;
    if (this.narrow) this.#drawer = show ? 'params' : null;
    else if (this.#opts.comparing()) this.#compareParams = show;
    else this.#opts.ui.setParamsOpen(show);
  }

  /** How many times the conversation search was asked for (its box takes focus each time). */
  get searchAsked(): number {
    return this.#searchAsked;
  }

  /** Ctrl/Cmd+K: the conversation list is shown and its search box takes focus. */
  findConversation() {
    if (!this.listShown) this.toggleList();
    this.#searchAsked += 1;
  }

  closeDrawer() {
    this.#drawer = null;
  }

  /** Compare mode started: its columns start collapsed again. */
  compareStarted() {
    this.#compareList = false;
    this.#compareParams = false;
  }

  isOpen(overlay: Overlay): boolean {
    return this.#open[overlay];
  }

  open(overlay: Overlay) {
    this.#open[overlay] = true;
  }

  close(overlay: Overlay) {
    this.#open[overlay] = false;
  }

  toggle(overlay: Overlay) {
    this.#open[overlay] = !this.#open[overlay];
  }
}

export const [getShell, setShell] = createContext<Shell>();
