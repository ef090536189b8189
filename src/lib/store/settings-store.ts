// Endpoint settings, the API key and the cached model lists. Everything read
// back is checked again: storage is shared with devtools, extensions and older
// versions of Parley.

import { isObject } from '../model/json';
import { isLockedKey, type StoredKey } from '../model/key-lock';
import {
  checkAutoLock,
  checkBaseUrl,
  checkStallTimeout,
  DEFAULT_BASE_URL,
} from '../model/settings';
import type { Kv } from './kv';

export interface StoredSettings {
  baseURL: string;
  organization: string;
  project: string;
  stallTimeoutSec: number;
  rememberKey: boolean;
  /** The remembered key is sealed with a passphrase. */
  lockKey: boolean;
  /** Minutes of no use before an unlocked key locks again (0: never). */
  autoLockMin: number;
  /** The origin the stored key was saved for ('' when unknown). */
  keyOrigin: string;
}

const DEFAULT_SETTINGS: Readonly<StoredSettings> = {
  baseURL: DEFAULT_BASE_URL,
  organization: '',
  project: '',
  stallTimeoutSec: 60,
  // A first run keeps the key for this session only, unless the user asks
  // for it to be remembered (issue 16): nothing is written that was not chosen.
  rememberKey: false,
  lockKey: false,
  autoLockMin: 30,
  keyOrigin: '',
};

export interface ModelCache {
  ids: string[];
  fetchedAt: number;
}

const SETTINGS_KEY = 'settings';
// The key lives apart from the settings so "forget key" is one delete and no
// settings object (exported, logged, shown) can ever carry it.
const API_KEY = 'apiKey';
const modelsKey = (baseURL: string) => `models:${baseURL}`;

/** Each field on its own: one bad value falls back to its default without losing the others. */
function readSettings(raw: unknown): StoredSettings {
  const o = isObject(raw) ? raw : {};
  const url = typeof o.baseURL === 'string' ? checkBaseUrl(o.baseURL) : undefined;
  const stall =
    typeof o.stallTimeoutSec === 'number' ? checkStallTimeout(o.stallTimeoutSec) : undefined;
  const autoLock = typeof o.autoLockMin === 'number' ? checkAutoLock(o.autoLockMin) : undefined;
  return {
    baseURL: url?.ok ? url.value : DEFAULT_SETTINGS.baseURL,
    organization:
      typeof o.organization === 'string' ? o.organization : DEFAULT_SETTINGS.organization,
    project: typeof o.project === 'string' ? o.project : DEFAULT_SETTINGS.project,
    stallTimeoutSec: stall?.ok ? stall.value : DEFAULT_SETTINGS.stallTimeoutSec,
    rememberKey: typeof o.rememberKey === 'boolean' ? o.rememberKey : DEFAULT_SETTINGS.rememberKey,
    lockKey: typeof o.lockKey === 'boolean' ? o.lockKey : DEFAULT_SETTINGS.lockKey,
    autoLockMin: autoLock?.ok ? autoLock.value : DEFAULT_SETTINGS.autoLockMin,
    keyOrigin: typeof o.keyOrigin === 'string' ? o.keyOrigin : DEFAULT_SETTINGS.keyOrigin,
  };
}

export async function loadSettings(kv: Kv): Promise<StoredSettings> {
  return readSettings(await kv.get(SETTINGS_KEY));
}

export async function saveSettings(kv: Kv, s: StoredSettings): Promise<void> {
  // Copy the known fields only: callers may hold a wider object that includes the key.
  const { baseURL, organization, project, stallTimeoutSec, rememberKey, keyOrigin } = s;
  const { lockKey, autoLockMin } = s;
  await kv.set(SETTINGS_KEY, {
    baseURL,
    organization,
    project,
    stallTimeoutSec,
    rememberKey,
    lockKey,
    autoLockMin,
    keyOrigin,
  });
}

export async function loadApiKey(kv: Kv): Promise<StoredKey | undefined> {
  const key = await kv.get(API_KEY);
  if (typeof key === 'string') return key !== '' ? key : undefined;
  return isLockedKey(key) ? key : undefined;
}

export async function saveApiKey(kv: Kv, key: StoredKey): Promise<void> {
  await kv.set(API_KEY, key);
}

export async function forgetApiKey(kv: Kv): Promise<void> {
  await kv.del(API_KEY);
}

export async function loadModelCache(kv: Kv, baseURL: string): Promise<ModelCache | undefined> {
  const raw = await kv.get(modelsKey(baseURL));
  if (!isObject(raw)) return undefined;
  const { ids, fetchedAt } = raw;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return undefined;
  if (typeof fetchedAt !== 'number' || !Number.isFinite(fetchedAt)) return undefined;
  return { ids: [...ids], fetchedAt };
}

export async function saveModelCache(
  kv: Kv,
  baseURL: string,
  ids: string[],
  fetchedAt: number,
): Promise<void> {
  await kv.set(modelsKey(baseURL), { ids: [...ids], fetchedAt });
}
