import { listModels, type ClientConfig } from '../api';
import type { AppError } from '../model/types';

/** Offered when the endpoint's model list cannot be fetched. */
export const FALLBACK_MODELS = ['gpt-4', 'gpt-3.5-turbo'];

export interface ModelCachePort {
  loadModelCache(baseURL: string): Promise<{ ids: string[]; fetchedAt: number } | undefined>;
  saveModelCache(baseURL: string, ids: string[], fetchedAt: number): Promise<void>;
}

/** What a model picker shows of the catalog, with its refresh action. */
export interface ModelChoices {
  suggestions: string[];
  loading: boolean;
  error: AppError | null;
  fetchedAt: number | null;
  host: string;
  onRefresh: () => void;
}

/** Model suggestions for the current endpoint: cached per base URL, refreshable. */
export class ModelCatalog {
  #ids = $state.raw<string[]>([]);
  #loading = $state(false);
  #error = $state.raw<AppError | null>(null);
  #fetchedAt = $state<number | null>(null);
  #baseURL = '';
  #port: ModelCachePort;
  #list: typeof listModels;

  constructor(port: ModelCachePort, list = listModels) {
    this.#port = port;
    this.#list = list;
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
  async load(config: ClientConfig) {
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

  async refresh(config: ClientConfig) {
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
