import { createContext } from 'svelte';
import {
  findPrice,
  mergePrices,
  OPTIONAL_PRICES,
  type Price,
  type PriceTable,
} from '../model/pricing';
import type { Store } from '../store';

/** Built-in list prices with the user's own on top; the user's are stored. */
export class PricesState {
  #store: Store | undefined;
  #overrides = $state.raw<Record<string, Price>>({});
  #writing = $state(0);

  /** Without a store (a component rendered on its own) the built-ins are used. */
  constructor(store?: Store) {
    this.#store = store;
  }

  async load() {
    if (this.#store) this.#overrides = await this.#store.loadPrices();
  }

  /** A change is still being written. */
  get saving(): boolean {
    return this.#writing > 0;
  }

  /** The user's entries only. */
  get overrides(): Readonly<Record<string, Price>> {
    return this.#overrides;
  }

  get table(): PriceTable {
    return mergePrices(this.#overrides);
  }

  /** The price that applies to a model id, or undefined when none is known. */
  priceFor(model: string): { key: string; price: Price } | undefined {
    return findPrice(model, this.table);
  }

  async set(prefix: string, price: Price) {
    const key = prefix.trim();
    if (key === '') return;
    this.#overrides = { ...this.#overrides, [key]: { ...price } };
    await this.#write();
  }

  /**
   * One field of a model's price, as typed: a number of dollars per 1M
   * tokens, or blank (only the cached-input and audio prices may be left
   * blank: they then fall back to the text prices). Anything else is ignored.
   */
  async setField(prefix: string, field: keyof Price, typed: string) {
    const value = typed.trim() === '' ? undefined : Number(typed);
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) return;
    const optional = (OPTIONAL_PRICES as readonly string[]).includes(field);
    if (value === undefined && !optional) return;
    const current = this.table[prefix];
    if (!current) return;
    const next: Price = { ...current };
    if (value === undefined) delete next[field];
    else next[field] = value;
    await this.set(prefix, next);
  }

  /** A price of one's own for a new model id prefix (free until edited); false if it is taken. */
  async add(prefix: string): Promise<boolean> {
    const key = prefix.trim().toLowerCase();
    if (key === '' || this.table[key]) return false;
    await this.set(key, { input: 0, output: 0 });
    return true;
  }

  /** Forgets every price the user entered. */
  async reset() {
    this.#overrides = {};
    await this.#write();
  }

  async #write() {
    this.#writing += 1;
    try {
      await this.#store?.savePrices(this.#overrides);
    } finally {
      this.#writing -= 1;
    }
  }
}

const [getAppPrices, setPrices, hasPrices] = createContext<PricesState>();
export { setPrices };

// Components rendered on their own (tests, future embeds) still price answers.
const builtinPrices = new PricesState();

/** The app's price table, or the built-in list prices outside the app. */
export function getPrices(): PricesState {
  return hasPrices() ? getAppPrices() : builtinPrices;
}
