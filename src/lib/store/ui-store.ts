// How the page is laid out for this user: the colour theme and which side
// columns are open. Read back field by field, like the settings.

import { isObject } from '../model/json';
import type { Kv } from './kv';

export type Theme = 'system' | 'light' | 'dark';

export interface StoredUi {
  theme: Theme;
  /** The conversation list column is shown (wide screens). */
  listOpen: boolean;
  /** The parameters column is shown (wide screens). */
  paramsOpen: boolean;
}

const UI_KEY = 'ui';
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

const DEFAULT_UI: Readonly<StoredUi> = { theme: 'system', listOpen: true, paramsOpen: true };

export async function loadUi(kv: Kv): Promise<StoredUi> {
  const raw = await kv.get(UI_KEY);
  const o = isObject(raw) ? raw : {};
  const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
  return {
    theme: THEMES.find((t) => t === o.theme) ?? DEFAULT_UI.theme,
    listOpen: bool(o.listOpen, DEFAULT_UI.listOpen),
    paramsOpen: bool(o.paramsOpen, DEFAULT_UI.paramsOpen),
  };
}

export async function saveUi(kv: Kv, ui: StoredUi): Promise<void> {
  const { theme, listOpen, paramsOpen } = ui;
  await kv.set(UI_KEY, { theme, listOpen, paramsOpen });
}
