import { getContext, setContext } from 'svelte';
import type { AppState } from './app.svelte';
import { PricesState } from './prices.svelte';

// Typed context accessors: components never call raw getContext.
const APP = Symbol('parley.app');

export function setAppState(app: AppState): AppState {
  return setContext(APP, app);
}

export function getAppState(): AppState {
  const app = getContext<AppState | undefined>(APP);
  if (!app) throw new Error('getAppState() called outside <App>');
  return app;
}

// Components rendered on their own (tests, future embeds) still price answers.
const builtinPrices = new PricesState();

/** The app's price table, or the built-in list prices outside <App>. */
export function getPrices(): PricesState {
  return getContext<AppState | undefined>(APP)?.prices ?? builtinPrices;
}
