// The composition root: builds each feature once, wires them to each other
// and to storage, and hands them to the components through typed context.
// No feature logic lives here.

import { createConversation } from '../model/conversation';
import { ok } from '../model/result';
import type { ExportedFile } from '../model/exchange';
import type { Conversation } from '../model/types';
import type { Store } from '../store';
import { AppUpdate, setAppUpdate } from './app-update.svelte';
import type { PaneDeps } from './compare-pane.svelte';
import { Files, setFiles } from './files.svelte';
import { afterFirstPaint } from './idle';
import { Library, setLibrary } from './library.svelte';
import { ModelCatalog, setModels } from './models.svelte';
import { Notice, setNotice } from './notice.svelte';
import { OpenConversation, setOpenConversation } from './open-conversation.svelte';
import { PresetsState, setPresets } from './presets.svelte';
import { PricesState, setPrices } from './prices.svelte';
import { AppSettings, setSettings } from './settings.svelte';
import { browserHash, setSharedLink, SharedLink, type HashPort } from './shared-link.svelte';
import { setStorageHealth, StorageHealth, type PersistApi } from './storage-health.svelte';
import { setShell, Shell } from './shell.svelte';
import { setUiPrefs, UiPrefs } from './ui-prefs.svelte';
import { MediaQuery } from 'svelte/reactivity';

export interface AppOptions {
  /** navigator.storage by default; null: none (tests, old browsers). */
  storageManager?: PersistApi | null;
  /** The address bar by default. */
  hash?: HashPort;
  /** A browser download by default. */
  download?: (file: ExportedFile) => void;
  /** The request runner and frame scheduler; the real ones by default. */
  runner?: Pick<PaneDeps, 'run' | 'schedule'>;
  /** A small screen (side columns become drawers); from the viewport by default. */
  narrow?: () => boolean;
  /** Starts the page again after all data is cleared; a reload by default. */
  restart?: () => void;
}

/** Below this width the side columns are drawers (the same breakpoint as the CSS). */
const NARROW = '(max-width: 900px)';

function viewportNarrow(): () => boolean {
  if (typeof matchMedia !== 'function') return () => false;
  const query = new MediaQuery(NARROW);
  return () => query.current;
}

/** Every feature of the page, built once in main.ts. */
export class AppState {
  readonly notice = new Notice();
  /** A newer deployed version, once one is downloaded (service-worker.ts finds it). */
  readonly update = new AppUpdate();
  readonly settings: AppSettings;
  readonly models: ModelCatalog;
  readonly presets: PresetsState;
  readonly prices: PricesState;
  readonly storage: StorageHealth;
  /** Theme and open columns, remembered on this device. */
  readonly ui: UiPrefs;
  /** The frame: which columns show, which page-wide dialog is open. */
  readonly shell: Shell;
  /** The conversation on screen, its compare panes, and keeping it saved. */
  readonly open: OpenConversation;
  readonly library: Library;
  readonly files: Files;
  readonly shared: SharedLink;

  private constructor(store: Store, conv: Conversation, revision: number, opts: AppOptions) {
    this.settings = new AppSettings(store, () => void this.models.load());
    this.models = new ModelCatalog(
      store,
      () => this.settings.config,
      undefined,
      () => this.settings.confirmKeyOrigin(),
    );
    this.presets = new PresetsState(store);
    this.prices = new PricesState(store);
    this.storage = new StorageHealth(store.status, (cb) => store.onStatus(cb));
    this.ui = new UiPrefs(store);
    this.shell = new Shell({
      ui: this.ui,
      comparing: () => this.open.compare.active,
      narrow: opts.narrow ?? viewportNarrow(),
    });
    this.open = new OpenConversation(conv, revision, {
      store,
      deps: {
        config: () => this.settings.config,
        idleTimeoutMs: () => this.settings.stallTimeoutSec * 1000,
        confirmKey: () => this.settings.confirmKeyOrigin(),
        ...opts.runner,
      },
      notice: this.notice,
      onStored: (c) => this.library.put(c),
    });
    this.shared = new SharedLink({
      hash: opts.hash ?? browserHash(),
      onFork: (conv) => this.library.adopt(conv),
    });
    this.library = new Library({
      store,
      open: this.open,
      notice: this.notice,
      onSwitch: () => this.shared.close(),
    });
    this.files = new Files({
      store,
      open: this.open,
      library: this.library,
      apiKey: () => this.settings.apiKey,
      download: opts.download,
      restart: opts.restart,
    });
    store.onRemoteChange((e) => {
      if (e.type === 'settings') return void this.settings.reload();
      if (e.type === 'cleared') return void this.files.clearedElsewhere();
      this.library.applyRemote(e);
      void this.open.remoteChange(e);
    });
  }

  static async create(store: Store, opts: AppOptions = {}): Promise<AppState> {
    const currentId = await store.getCurrentId();
    // A page closed before its last save finished left a copy: it is newer.
    const pending = store.takePending();
    const opening = currentId ? await store.openConversation(currentId) : undefined;
    // A long conversation opens with its newest messages; the rest are taken
    // once those are painted (the copy left by a closing page replaces it all).
    const head = pending ? undefined : opening?.head;
    const loaded = head ? ok(head) : await opening?.whole;
    const app = loaded?.ok
      ? new AppState(store, loaded.value.conversation, loaded.value.revision, opts)
      : new AppState(store, createConversation(), 0, opts);
    if (head && opening) {
      const painted = Promise.all([opening.whole, afterFirstPaint()]);
      app.open.readEarlier(
        head.earlier,
        painted.then(([whole]) => whole),
      );
    }
    if (pending) {
      await app.open.restorePending(pending.conversation, pending.baseRevision);
      store.clearPending();
    }
    await app.settings.load();
    // A first run asks for the key, unless it opens a shared conversation: reading
    // needs no key; it is asked for when the recipient sends.
    if (app.settings.firstRun && !app.shared.inAddress) app.settings.openDialog();
    await Promise.all([
      app.presets.load(),
      app.prices.load(),
      app.library.refresh(),
      app.ui.load(),
    ]);
    void app.storage.askPersistence(opts.storageManager);
    // Without a key the list request would only earn a 401; wait for Settings.
    if (!app.settings.needsKey) void app.models.load();
    return app;
  }

  /** Hands every feature to the components below; called while <App> initialises. */
  provide() {
    setNotice(this.notice);
    setAppUpdate(this.update);
    setSettings(this.settings);
    setModels(this.models);
    setPresets(this.presets);
    setPrices(this.prices);
    setStorageHealth(this.storage);
    setUiPrefs(this.ui);
    setShell(this.shell);
    setOpenConversation(this.open);
    setLibrary(this.library);
    setFiles(this.files);
    setSharedLink(this.shared);
  }
}
