import { createContext } from 'svelte';
import { hostOf, loadRunner, type ClientConfig, type ModelListResult } from '../api';
import { fail } from '../model/result';
import { originOf } from '../model/settings';
import type { AppError } from '../model/types';

/** Offered when the endpoint's model list cannot be fetched. */
const FALLBACK_MODELS = ['gpt-4', 'gpt-3.5-turbo'];

export interface ModelCachePort {
  loadModelCache(baseURL: string): Promise<{ ids: string[]; fetchedAt: number } | undefined>;
  saveModelCache(baseURL: string, ids: string[], fetchedAt: number): Promise<void>;
}

/** Model suggestions for the current endpoint: cached per base URL, refreshable. */
export class ModelCatalog {
  #ids = $state.raw<string[]>([]);
  #loading = $state(false);
  #error = $state.raw<AppError | null>(null);
  #fetchedAt = $state<number | null>(null);
  #baseURL = '';
  #port: ModelCachePort;
  #config: () => ClientConfig;
  #list: (config: ClientConfig) => Promise<ModelListResult>;

  /** `config`: the endpoint (and key) as set now. */
  constructor(
    port: ModelCachePort,
    config: () => ClientConfig,
    list = async (c: ClientConfig) => (await loadRunner()).listModels(c),
    /** The list is fetched with the key: asked first where it may not go (settings). */
    mayUseKey: () => true | Promise<boolean> = () => true,
  ) {
    this.#port = port;
    this.#config = config;
    this.#list = async (c) => {
      const may = mayUseKey();
      if (may !== true && !(await may)) return keyNotSent(c);
      return list(c);
    };
  }

  /** The endpoint's host, for "fetched from <host>". */
  get host(): string {
    return hostOf(this.#config().baseURL);
  }

  /** Suggestions to show: the fetched list, or the fallback pair when there is none. */
  get ids(): string[] {
    return this.#ids.length ? this.#ids : FALLBACK_MODELS;
  }
  get loading() {
    return this.#loading;
  }
  get error() {
    return this.#error;
  }
  get fetchedAt() {
    return this.#fetchedAt;
  }

  /** Uses the cache for this endpoint when there is one; fetches otherwise. */
  async load(config = this.#config()) {
    this.#baseURL = config.baseURL;
    this.#error = null;
    const cached = await this.#port.loadModelCache(config.baseURL);
    if (this.#baseURL !== config.baseURL) return;
    if (cached?.ids.length) {
      this.#ids = cached.ids;
      this.#fetchedAt = cached.fetchedAt;
      return;
    }
    this.#ids = [];
    this.#fetchedAt = null;
    await this.refresh(config);
  }

  async refresh(config = this.#config()) {
    this.#baseURL = config.baseURL;
    this.#loading = true;
    const result = await this.#list(config);
    // The endpoint may have changed while the list was on its way.
    if (this.#baseURL !== config.baseURL) return;
    this.#loading = false;
    if (!result.ok) {
      this.#error = result.error;
      return;
    }
    this.#error = null;
    this.#ids = result.value;
    this.#fetchedAt = Date.now();
    await this.#port.saveModelCache(config.baseURL, result.value, this.#fetchedAt);
  }
}

export const [getModels, setModels] = createContext<ModelCatalog>();

/** The model list not fetched: the user kept the key from the base URL's new origin. */
function keyNotSent(config: ClientConfig): ModelListResult {
  return fail({
    kind: 'config',
    message: `The key was not sent to ${originOf(config.baseURL)}, so its models were not listed. Change the base URL or the key in Settings.`,
    fixInSettings: true,
    retryable: true,
  });
}
