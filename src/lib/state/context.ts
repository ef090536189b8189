import { getContext, setContext } from 'svelte';
import type { AppState } from './app.svelte';

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
