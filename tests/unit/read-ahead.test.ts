import { beforeEach, describe, expect, it, vi } from 'vitest';
import { freshIndexedDb } from '../builders/indexed-db';
import { storedConversation } from '../builders/conversations';
import {
  createKv,
  idbBackend,
  Store,
  type Channel,
  type KvBackend,
  type StoreEvent,
} from '../../src/lib/store';

beforeEach(() => {
  freshIndexedDb();
});

/** IndexedDB, counting the reads that reach it. */
function counted() {
  const idb = idbBackend();
  const reads: string[] = [];
  const backend: KvBackend = {
    ...idb,
    get: (key) => (reads.push(key), idb.get(key)),
    getPrefix: (prefix) => (reads.push(`${prefix}*`), idb.getPrefix!(prefix)),
    getMany: (keys) => (reads.push(...keys), idb.getMany!(keys)),
    keys: () => (reads.push('(keys)'), idb.keys()),
  };
  return { backend, reads };
}

/** A channel whose "other tab" the test plays. */
function otherTab() {
  const listeners = new Set<(e: StoreEvent) => void>();
  const channel: Channel = {
    post() {},
    subscribe: (cb) => (listeners.add(cb), () => listeners.delete(cb)),
  };
  return { channel, says: (e: StoreEvent) => listeners.forEach((cb) => cb(e)) };
}

/** A store with a saved conversation (the one to reopen) and settings, as a returning user has. */
async function returning() {
  const { backend, reads } = counted();
  const tab = otherTab();
  const setup = new Store(createKv({ backend }));
  const conv = storedConversation('Reopened', 1000);
  await setup.saveConversation(conv);
  await setup.setCurrentId(conv.id);
  await setup.saveSettings({
    baseURL: 'http://localhost:11434/v1',
    organization: '',
    project: '',
    stallTimeoutSec: 60,
    rememberKey: true,
    lockKey: false,
    autoLockMin: 30,
    keyOrigin: 'http://localhost:11434',
  });
  await setup.saveApiKey('sk-stored');
  const store = new Store(createKv({ backend }), undefined, tab.channel);
  reads.length = 0;
  return { store, conv, reads, tab, backend };
}

/** What the app reads as it opens (AppState.create), in its order. */
async function openApp(store: Store) {
  const id = await store.getCurrentId();
  const opening = id ? await store.openConversation(id) : undefined;
  const loaded = await opening?.whole;
  const settings = await store.loadSettings();
  const key = await store.loadApiKey();
  const [presets, prices, list, ui] = await Promise.all([
    store.listPresets(),
    store.loadPrices(),
    store.listConversations(),
    store.loadUi(),
  ]);
  const models = await store.loadModelCache(settings.baseURL);
  return { id, loaded, settings, key, presets, prices, list, ui, models };
}

describe('Store read-ahead (the page starts reading before the app asks)', () => {
  it('hands the app the reads it started, without reading anything twice', async () => {
    const { store, conv, reads, backend } = await returning();
    store.readAhead();
    const opened = await openApp(store);
    expect(opened.id).toBe(conv.id);
    expect(opened.loaded).toMatchObject({ ok: true, value: { conversation: conv } });
    expect(opened.settings.baseURL).toBe('http://localhost:11434/v1');
    expect(opened.key).toBe('sk-stored');
    expect(opened.list.items.map((c) => c.id)).toEqual([conv.id]);
    // Storage was read exactly as much as when the app reads it all itself.
    const withReadAhead = reads.splice(0).sort();
    await openApp(new Store(createKv({ backend })));
    expect(withReadAhead).toEqual(reads.splice(0).sort());

    // Each read is handed out once: asking again reads storage again.
    await store.loadSettings();
    expect(reads).toEqual(['settings']);
  });

  it('gives the same answers as a store that reads as it is asked', async () => {
    const { store: ahead } = await returning();
    ahead.readAhead();
    const fromAhead = await openApp(ahead);
    const asked = new Store(createKv({ backend: idbBackend() }));
    expect(await openApp(asked)).toEqual(fromAhead);
  });

  it('drops what it read once anything is written, so no answer is older than a write', async () => {
    const { store, conv, reads } = await returning();
    store.readAhead();
    // The conversation and the list read, and kept, before the write.
    await vi.waitFor(() => expect(reads).toContain(`text:${conv.id}`));
    await vi.waitFor(() => expect(reads).toContain(`msg:${conv.id}:*`));
    await store.saveConversation({ ...conv, title: 'Renamed' });
    const loaded = await (await store.openConversation(conv.id)).whole;
    expect(loaded.ok && loaded.value.conversation.title).toBe('Renamed');
    expect((await store.listConversations()).items[0]?.title).toBe('Renamed');
  });

  it('drops what it read when another tab changes something', async () => {
    const { store, reads, tab } = await returning();
    store.readAhead();
    tab.says({ type: 'settings' });
    await store.loadSettings();
    expect(reads.filter((k) => k === 'settings')).toHaveLength(2);
  });

  it('hands a failed read to the caller, who sees the error', async () => {
    const failing: KvBackend = {
      ...idbBackend(),
      get: () => Promise.reject(new Error('disk gone')),
    };
    const store = new Store(createKv({ backend: failing }));
    store.readAhead();
    // The kv falls back to memory on a failed read and says so: the app opens empty, not broken.
    expect(await store.getCurrentId()).toBeUndefined();
    expect(store.status).toMatchObject({ persistent: false });
  });
});
