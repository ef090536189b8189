import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshIndexedDb } from '../builders/indexed-db';
import { deriveLock, seal } from '../../src/lib/model/key-crypto';
import { storedConversation } from '../builders/conversations';
import {
  createKv,
  createStore,
  idbBackend,
  Store,
  type KvBackend,
  type KvStatus,
  type StoredSettings,
} from '../../src/lib/store';

const SETTINGS: StoredSettings = {
  baseURL: 'http://localhost:11434/v1',
  organization: 'org_1',
  project: 'proj_1',
  stallTimeoutSec: 90,
  rememberKey: true,
  lockKey: true,
  autoLockMin: 5,
  keyOrigin: 'http://localhost:11434',
};

beforeEach(() => {
  // A fresh, empty IndexedDB for every test; idb-keyval opens the global one lazily.
  freshIndexedDb();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Store over IndexedDB', () => {
  it('saves, loads, lists and deletes conversations', async () => {
    const store = createStore();
    const older = storedConversation('older', 1000);
    const newer = storedConversation('newer', 2000);
    await store.saveConversation(older);
    await store.saveConversation(newer);

    expect(await store.loadConversation(older.id)).toEqual({
      ok: true,
      value: { conversation: older, revision: 1 },
    });
    const list = await store.listConversations();
    expect(list.skipped).toEqual([]);
    expect(
      list.items.map(({ id, title, updatedAt, model }) => ({ id, title, updatedAt, model })),
    ).toEqual([
      { id: newer.id, title: 'newer', updatedAt: 2000, model: 'gpt-4o' },
      { id: older.id, title: 'older', updatedAt: 1000, model: 'gpt-4o' },
    ]);
    // The list searches message text too.
    expect(list.items[1]?.text).toContain('about older');

    await store.deleteConversation(older.id);
    expect((await store.loadConversation(older.id)).ok).toBe(false);
    expect((await store.listConversations()).items.map((c) => c.id)).toEqual([newer.id]);
    expect(store.status).toEqual({ persistent: true });
  });

  it('persists across store instances (a reload)', async () => {
    const c = storedConversation('kept', 1);
    const first = createStore();
    await first.saveConversation(c);
    await first.setCurrentId(c.id);

    const second = createStore();
    expect(await second.getCurrentId()).toBe(c.id);
    expect(await second.loadConversation(c.id)).toEqual({
      ok: true,
      value: { conversation: c, revision: 1 },
    });
  });

  it('lists an untitled conversation under its derived title', async () => {
    const store = createStore();
    const untitled = {
      ...storedConversation('', 1),
      messages: [{ id: 'm', role: 'user' as const, content: 'Plan a trip' }],
    };
    await store.saveConversation(untitled);
    expect((await store.listConversations()).items[0]?.title).toBe('Plan a trip');
  });

  it('forgets the current id when that conversation is deleted', async () => {
    const store = createStore();
    const c = storedConversation('x', 1);
    await store.saveConversation(c);
    await store.setCurrentId(c.id);
    await store.deleteConversation(c.id);
    expect(await store.getCurrentId()).toBeUndefined();
  });

  it('keeps the API key apart from the settings', async () => {
    const kv = createKv();
    const store = new Store(kv);
    // The caller may hold a wider object; the key must not ride along.
    await store.saveSettings({ ...SETTINGS, apiKey: 'sk-secret' } as StoredSettings);
    await store.saveApiKey('sk-secret');

    expect(await kv.get('settings')).toStrictEqual(SETTINGS);
    expect(await store.loadSettings()).toStrictEqual(SETTINGS);
    expect(await store.loadApiKey()).toBe('sk-secret');

    await store.forgetApiKey();
    expect(await store.loadApiKey()).toBeUndefined();
    expect(await store.loadSettings()).toStrictEqual(SETTINGS);
  });

  it('stores a sealed key as its record, and reads back nothing that is not one', async () => {
    const kv = createKv();
    const store = new Store(kv);
    const record = await seal(await deriveLock('correct horse'), 'sk-sealed-0123456789');
    await store.saveApiKey(record);
    expect(await store.loadApiKey()).toStrictEqual(record);
    expect(JSON.stringify(await kv.get('apiKey'))).not.toContain('sk-sealed');
    // A record that is not one Parley writes is no key at all (not an error, not a crash).
    for (const bad of [
      { ...record, v: 2 },
      { ...record, iterations: 1 },
      { ...record, iv: 'not base64!' },
      { ...record, salt: btoa('short') },
      { v: 1 },
      42,
    ]) {
      await kv.set('apiKey', bad);
      expect(await store.loadApiKey()).toBeUndefined();
    }
  });

  it('falls back to defaults field by field when stored settings are bad', async () => {
    const kv = createKv();
    await kv.set('settings', {
      baseURL: 'ftp://example.com',
      organization: 'org_ok',
      project: 7,
      stallTimeoutSec: Number.NaN,
      rememberKey: 'no',
      lockKey: 1,
      autoLockMin: -5,
    });
    expect(await new Store(kv).loadSettings()).toStrictEqual({
      baseURL: 'https://api.openai.com/v1',
      organization: 'org_ok',
      project: '',
      stallTimeoutSec: 60,
      rememberKey: false,
      lockKey: false,
      autoLockMin: 30,
      keyOrigin: '',
    });
    await kv.set('settings', 'garbage');
    expect((await new Store(kv).loadSettings()).baseURL).toBe('https://api.openai.com/v1');
  });

  it('caches model lists per base URL', async () => {
    const store = createStore();
    await store.saveModelCache('https://api.openai.com/v1', ['gpt-4o', 'o3'], 123);
    expect(await store.loadModelCache('https://api.openai.com/v1')).toEqual({
      ids: ['gpt-4o', 'o3'],
      fetchedAt: 123,
    });
    expect(await store.loadModelCache('http://localhost:11434/v1')).toBeUndefined();
  });

  it('skips corrupt records in the list while the others load', async () => {
    const kv = createKv();
    const store = new Store(kv);
    const good = storedConversation('good', 5);
    await store.saveConversation(good);
    await kv.set('conv:bad', { id: 'bad', messages: [{ role: 'robot' }] });
    await kv.set('conv:future', { ...good, id: 'future', schemaVersion: 99 });
    await kv.set('conv:junk', 'not an object');

    const list = await store.listConversations();
    expect(list.items.map((c) => c.id)).toEqual([good.id]);
    expect(list.skipped).toHaveLength(3);
    expect(list.skipped.every((x) => x.error.length > 0)).toBe(true);

    const bad = await store.loadConversation('bad');
    expect(bad).toEqual({ ok: false, error: expect.stringContaining('messages[0].role') });
    const future = await store.loadConversation('future');
    expect(future).toEqual({ ok: false, error: expect.stringContaining('newer Parley') });
  });
});

describe('memory fallback', () => {
  it('works from memory when touching indexedDB throws (storage blocked), and says why', async () => {
    Object.defineProperty(globalThis, 'indexedDB', {
      configurable: true,
      get() {
        throw new DOMException('Access to storage is denied.', 'SecurityError');
      },
    });
    try {
      const store = createStore();
      expect(store.status).toEqual({
        persistent: false,
        reason: 'unavailable',
        detail: 'SecurityError: Access to storage is denied.',
      });
      await store.saveApiKey('sk-mem');
      expect(await store.loadApiKey()).toBe('sk-mem');
    } finally {
      freshIndexedDb();
    }
  });

  it('works from memory when indexedDB is undefined, and says so', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const store = createStore();
    expect(store.status).toMatchObject({ persistent: false, reason: 'unavailable' });

    const c = storedConversation('in memory', 1);
    await store.saveConversation(c);
    await store.setCurrentId(c.id);
    await store.saveApiKey('sk-mem');
    expect(await store.loadConversation(c.id)).toEqual({
      ok: true,
      value: { conversation: c, revision: 1 },
    });
    expect(await store.getCurrentId()).toBe(c.id);
    expect(await store.loadApiKey()).toBe('sk-mem');
    expect((await store.listConversations()).items.map((x) => x.id)).toEqual([c.id]);

    await store.deleteConversation(c.id);
    expect((await store.loadConversation(c.id)).ok).toBe(false);
  });

  it('does not let later changes to a saved object leak into memory', async () => {
    const store = createStore({ backend: null });
    const c = storedConversation('before', 1);
    await store.saveConversation(c);
    c.title = 'after';
    const loaded = await store.loadConversation(c.id);
    expect(loaded.ok && loaded.value.conversation.title).toBe('before');
  });

  it('switches to memory when the database cannot be opened', async () => {
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    const store = createStore();
    const seen: KvStatus[] = [];
    store.onStatus((s) => seen.push(s));

    expect(await store.getCurrentId()).toBeUndefined();
    expect(store.status).toEqual({
      persistent: false,
      reason: 'unavailable',
      detail: 'SecurityError: The operation is insecure.',
    });
    expect(seen).toEqual([store.status]);

    await store.setCurrentId('abc');
    expect(await store.getCurrentId()).toBe('abc');
  });

  it('keeps writes in memory once storage is full, and still reads what was saved before', async () => {
    const idb = idbBackend();
    let full = false;
    const quota = () =>
      Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const backend: KvBackend = {
      ...idb,
      set: (key, value) => (full ? quota() : idb.set(key, value)),
      update: (key, fn) => (full ? quota() : idb.update!(key, fn)),
      updateMany: (key, fn) => (full ? quota() : idb.updateMany!(key, fn)),
    };
    const store = createStore({ backend });
    const seen: KvStatus[] = [];
    store.onStatus((s) => seen.push(s));

    const saved = storedConversation('saved', 1);
    await store.saveConversation(saved);
    full = true;
    const unsaved = storedConversation('unsaved', 2);
    await store.saveConversation(unsaved);

    expect(store.status).toMatchObject({ persistent: false, reason: 'quota' });
    expect(seen).toHaveLength(1);
    expect(await store.loadConversation(unsaved.id)).toMatchObject({
      ok: true,
      value: { conversation: unsaved },
    });
    expect(await store.loadConversation(saved.id)).toMatchObject({
      ok: true,
      value: { conversation: saved },
    });
    expect((await store.listConversations()).items.map((c) => c.id)).toEqual([
      unsaved.id,
      saved.id,
    ]);

    // Nothing more reaches the full database; a delete hides the old record for this session.
    await store.deleteConversation(saved.id);
    expect((await store.listConversations()).items.map((c) => c.id)).toEqual([unsaved.id]);
    expect(await idb.get(`conv:${unsaved.id}`)).toBeUndefined();
  });
});

describe('clearing all data', () => {
  it('removes every record, the last-moment copy and what only memory held, and tells the other tabs', async () => {
    freshIndexedDb();
    const items = new Map<string, string>();
    const journal = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
    const posted: unknown[] = [];
    const channel = { post: (e: unknown) => void posted.push(e), subscribe: () => () => {} };
    const kv = createKv({ backend: idbBackend() });
    const store = new Store(kv, journal, channel);
    const c = storedConversation('to go', 1);
    await store.saveConversation(c);
    await store.saveApiKey('sk-to-go');
    store.stashPending(c);
    store.stashCurrentId(c.id);
    expect(items.size).toBe(2);

    await store.clearAll();
    expect(await kv.keys()).toEqual([]);
    expect(await createKv({ backend: idbBackend() }).keys()).toEqual([]);
    expect(items.size).toBe(0);
    expect(store.takePending()).toBeUndefined();
    expect(await store.getCurrentId()).toBeUndefined();
    expect(posted.at(-1)).toEqual({ type: 'cleared' });
  });

  it('where the backend refuses the delete, what it holds is hidden all the same', async () => {
    const records = new Map<string, unknown>([['apiKey', 'sk-stuck']]);
    const backend: KvBackend = {
      get: async (k) => records.get(k),
      set: async () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      del: async () => {
        throw new DOMException('broken', 'UnknownError');
      },
      keys: async () => [...records.keys()],
    };
    const kv = createKv({ backend });
    await kv.set('draft', 'only in memory');
    await kv.clear();
    expect(await kv.keys()).toEqual([]);
    expect(await kv.get('apiKey')).toBeUndefined();
    expect(await kv.get('draft')).toBeUndefined();
  });
});
