// The library as the app runs it: conversations listed, renamed, forked,
// deleted and restored; files exported and imported; share links; and two
// tabs over one IndexedDB that must never overwrite each other silently.
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshIndexedDb } from '../builders/indexed-db';
import { encodeShare } from '../../src/lib/model/share';
import type { Conversation } from '../../src/lib/model/types';
import { AppState } from '../../src/lib/state/app.svelte';
import { slug, type ExportKind } from '../../src/lib/state/files.svelte';
import { nextRequest } from '../../src/lib/state/next-request';
import { createKv, idbBackend, Store } from '../../src/lib/store';
import { message, storedConversation } from '../builders/conversations';
import { settingsValues } from '../builders/settings';
import { memoryHash } from './helpers/hash';
import { tabStores } from './helpers/tabs';

beforeEach(() => {
  freshIndexedDb();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const noPersist = { storageManager: null };

/** The file an export makes (the test fails if it makes none). */
async function made(app: AppState, what: ExportKind) {
  const file = await app.files.build(what);
  if (!file.ok) throw new Error(file.error);
  return file.value;
}

async function appWith(
  convs: Conversation[],
  store = new Store(createKv({ backend: idbBackend() })),
) {
  for (const c of convs) await store.saveConversation(c);
  if (convs[0]) await store.setCurrentId(convs[0].id);
  const hash = memoryHash();
  return { app: await AppState.create(store, { ...noPersist, hash }), store, hash };
}

describe('the Conversations library', () => {
  it('lists every stored conversation newest first and opens one', async () => {
    const a = storedConversation('Alpha', 1000);
    const b = storedConversation('Beta', 3000);
    const c = storedConversation('Gamma', 2000);
    const { app } = await appWith([a, b, c]);
    expect(app.library.entries.map((e) => e.title)).toEqual(['Beta', 'Gamma', 'Alpha']);
    expect(app.open.session.id).toBe(a.id);
    await app.library.open(c.id);
    expect(app.open.session.messages.map((m) => m.content)).toEqual([
      'About Gamma',
      'Answer on Gamma',
    ]);
  });

  it('renames the open conversation and another one; an empty title goes back to the first message', async () => {
    const a = storedConversation('Alpha', 1000);
    const b = storedConversation('Beta', 2000);
    const { app, store } = await appWith([a, b]);
    await app.library.rename(a.id, 'Renamed open');
    await app.library.rename(b.id, 'Renamed other');
    expect(app.library.entries.map((e) => e.title).sort()).toEqual([
      'Renamed open',
      'Renamed other',
    ]);
    expect(await store.loadConversation(b.id)).toMatchObject({
      value: { conversation: { title: 'Renamed other' } },
    });
    await app.library.rename(b.id, '');
    expect(app.library.entries.find((e) => e.id === b.id)?.title).toBe('About Beta');
  });

  it('duplicates a conversation into an opened copy, leaving the original alone', async () => {
    const a = storedConversation('Alpha', 1000);
    const { app, store } = await appWith([a]);
    await app.library.duplicate(a.id);
    expect(app.open.session.id).not.toBe(a.id);
    expect(app.open.session.title).toBe('Alpha (fork)');
    expect(app.open.session.messages.map((m) => m.content)).toEqual([
      'About Alpha',
      'Answer on Alpha',
    ]);
    expect(app.library.entries).toHaveLength(2);
    expect((await store.loadConversation(a.id)).ok).toBe(true);
  });

  it('forks from a message: the branch ends there and the original keeps every message', async () => {
    const a = {
      ...storedConversation('Alpha', 1000),
      messages: [
        message('u1', 'user', 'one'),
        message('a1', 'assistant', 'two'),
        message('u2', 'user', 'three'),
        message('a2', 'assistant', 'four'),
      ],
    };
    const { app, store } = await appWith([a]);
    await app.library.forkFrom('a1');
    expect(app.open.session.id).not.toBe(a.id);
    expect(app.open.session.messages.map((m) => m.content)).toEqual(['one', 'two']);
    // Editing the branch leaves the original as it was.
    app.open.session.draft = 'a different follow-up';
    flushSync();
    await app.open.flush();
    const original = await store.loadConversation(a.id);
    expect(original.ok && original.value.conversation.messages).toHaveLength(4);
    expect(original.ok && original.value.conversation.draft).toBe('');
  });

  it('deletes the open conversation, opens the next, and undo brings it back open', async () => {
    const a = storedConversation('Alpha', 2000);
    const b = storedConversation('Beta', 1000);
    const { app, store } = await appWith([a, b]);
    await app.library.delete(a.id);
    expect(app.library.entries.map((e) => e.title)).toEqual(['Beta']);
    expect(app.open.session.id).toBe(b.id);
    expect((await store.loadConversation(a.id)).ok).toBe(false);
    expect(app.library.deleted?.title).toBe('Alpha');

    await app.library.undoDelete();
    expect(app.library.deleted).toBeNull();
    expect(app.open.session.id).toBe(a.id);
    expect(app.library.entries.map((e) => e.title)).toEqual(['Alpha', 'Beta']);
    expect((await store.loadConversation(a.id)).ok).toBe(true);
  });

  it('a new conversation is stored once something is typed, not before', async () => {
    const a = storedConversation('Alpha', 1000);
    const { app, store } = await appWith([a]);
    await app.library.create();
    await app.library.create();
    expect(app.library.entries).toHaveLength(1);
    app.open.session.draft = 'Now it counts';
    flushSync();
    await app.open.flush();
    expect(app.library.entries).toHaveLength(2);
    expect((await store.listConversations()).items).toHaveLength(2);
  });

  it('names a deleted conversation as the list did, title from its first message', async () => {
    const untitled = storedConversation('', 1000, 'Plan a trip to Lisbon');
    const other = storedConversation('Other', 2000);
    const { app } = await appWith([other, untitled]);
    await app.library.delete(untitled.id);
    expect(app.library.deleted?.title).toBe('Plan a trip to Lisbon');
  });

  it('deleting the only conversation leaves a new empty one open', async () => {
    const a = storedConversation('Alpha', 2000);
    const { app } = await appWith([a]);
    await app.library.delete(a.id);
    expect(app.open.session.id).not.toBe(a.id);
    expect(app.open.session.messages).toEqual([]);
  });

  it('skips a corrupt record and says so, loading the rest', async () => {
    const kv = createKv({ backend: idbBackend() });
    await kv.set('conv:broken', { id: 'broken', messages: 'not a list' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { app } = await appWith([storedConversation('Alpha', 1)], new Store(kv));
    expect(app.library.entries.map((e) => e.title)).toEqual(['Alpha']);
    expect(app.library.skipped.map((s) => s.id)).toEqual(['broken']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('broken'));
  });
});

describe('export and import', () => {
  it('exports without the API key, and the file imports elsewhere as the same conversation', async () => {
    const key = 'sk-proj-SECRET0123456789abcdef';
    const a = {
      ...storedConversation('Alpha', 1000),
      messages: [
        message('u1', 'user', `my key is ${key}`),
        message('a1', 'assistant', 'Do not share it'),
      ],
    };
    const { app } = await appWith([a]);
    const saved = await app.settings.save(
      settingsValues({
        apiKey: key,
        baseURL: 'https://proxy.example.com/v1',
        organization: 'org-x',
      }),
    );
    expect(saved.ok).toBe(true);
    const file = await made(app, 'current');
    expect(file.filename).toMatch(/^parley-alpha-\d{4}-\d{2}-\d{2}\.json$/);
    expect(file.text).not.toContain(key);
    expect(file.text).not.toContain('proxy.example.com');
    expect(file.text).not.toContain('org-x');

    // Another profile: an empty database.
    freshIndexedDb();
    const other = await AppState.create(new Store(createKv({ backend: idbBackend() })), noPersist);
    const result = await other.files.importText(file.text, file.filename);
    expect(result).toEqual({ ok: true, message: `Imported “Alpha” from ${file.filename}.` });
    expect(other.open.session.title).toBe('Alpha');
    expect(other.open.session.messages.map((m) => m.content)).toEqual([
      'my key is [redacted]',
      'Do not share it',
    ]);
    // Settings in a file are never applied.
    expect(other.settings.baseURL).toBe('https://api.openai.com/v1');
  });

  it('importing a conversation whose id exists adds a copy instead of replacing it', async () => {
    const a = storedConversation('Alpha', 1000);
    const { app, store } = await appWith([a]);
    const file = await made(app, 'current');
    app.open.session.draft = 'work in progress';
    const result = await app.files.importText(file.text, 'alpha.json');
    expect(result).toEqual({
      ok: true,
      message: 'Imported “Alpha” from alpha.json. It was already here, so it was added as a copy.',
    });
    expect(app.library.entries).toHaveLength(2);
    expect(app.open.session.id).not.toBe(a.id);
    const original = await store.loadConversation(a.id);
    // The open one was saved before the import, and not replaced by it.
    expect(original.ok && original.value.conversation.draft).toBe('work in progress');
  });

  it('a bad file changes nothing and names the problem', async () => {
    const a = storedConversation('Alpha', 1000);
    const { app } = await appWith([a]);
    const result = await app.files.importText(
      '{"format":"parley.conversations","version":1,',
      'bad.json',
    );
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      /^Could not import bad\.json: .*line 1, column \d+.*Nothing was changed\.$/s,
    );
    expect(app.library.entries.map((e) => e.id)).toEqual([a.id]);
    expect(app.open.session.id).toBe(a.id);
  });

  it('imports a bare request body as a new conversation and several conversations without opening them', async () => {
    const { app } = await appWith([storedConversation('Alpha', 1000)]);
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello from code' },
      ],
    });
    const one = await app.files.importText(body, 'pasted JSON');
    expect(one.ok).toBe(true);
    expect(app.open.session.model).toBe('gpt-4o-mini');
    expect(app.open.session.systemMessage).toBe('Be brief.');
    expect(app.open.session.params.temperature).toBe(0.2);

    const all = await made(app, 'all');
    const openBefore = app.open.session.id;
    const many = await app.files.importText(all.text, all.filename);
    expect(many).toMatchObject({
      ok: true,
      message: expect.stringContaining('Imported 2 conversations'),
    });
    expect(app.library.entries).toHaveLength(4);
    expect(app.open.session.id).toBe(openBefore);
  });

  it('exports the transcript as Markdown and the next request as a body', async () => {
    const { app } = await appWith([storedConversation('Alpha', 1000)]);
    const md = await made(app, 'markdown');
    const req = await made(app, 'request');
    expect(md.filename).toMatch(/\.md$/);
    expect(md.text).toContain('About Alpha');
    expect(JSON.parse(req.text)).toMatchObject({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'About Alpha' },
        { role: 'assistant', content: 'Answer on Alpha' },
      ],
    });
  });

  it('the next request body is exactly what Send would send now, the unsent draft included', async () => {
    const { app } = await appWith([storedConversation('Alpha', 1000)]);
    app.open.session.draft = 'A question not sent yet';
    const req = JSON.parse((await made(app, 'request')).text);
    expect(req.messages.at(-1)).toEqual({ role: 'user', content: 'A question not sent yet' });
    // The inspector's body, to the byte.
    expect(req).toEqual(
      JSON.parse(JSON.stringify(nextRequest(app.open.session, app.settings.config).body)),
    );
  });

  it('makes file names from titles', () => {
    expect(slug('Trip to Lisbon!')).toBe('trip-to-lisbon');
    expect(slug('Café ☕')).toBe('cafe');
    expect(slug('???')).toBe('conversation');
  });
});

describe('share links', () => {
  it('opens read-only, and forking saves a copy of its own', async () => {
    const a = storedConversation('Alpha', 1000);
    const { app, hash } = await appWith([a]);
    const shared = await encodeShare(storedConversation('Shared one', 5, 'Look at this'));
    if (!shared.ok) throw new Error(shared.error.message);
    hash.go(shared.value.fragment);
    await app.shared.read();
    expect(app.shared.conversation?.messages[0]?.content).toBe('Look at this');
    expect(app.library.entries).toHaveLength(1); // nothing saved yet
    expect(app.open.session.id).toBe(a.id);

    await app.shared.fork();
    expect(app.shared.conversation).toBeNull();
    expect(hash.read()).toBe(''); // the link's address is left behind
    expect(app.open.session.messages[0]?.content).toBe('Look at this');
    expect(app.library.entries).toHaveLength(2);
  });

  it('follows the address, and opening a conversation from the list leaves the link', async () => {
    const a = storedConversation('Alpha', 1000);
    const { app, hash } = await appWith([a, storedConversation('Beta', 2000)]);
    const stop = app.shared.watch();
    const shared = await encodeShare(storedConversation('Shared one', 5, 'Look at this'));
    if (!shared.ok) throw new Error(shared.error.message);
    hash.go(shared.value.fragment); // a link pasted into this tab's address bar
    await vi.waitFor(() => expect(app.shared.conversation).not.toBeNull());

    await app.library.open(a.id);
    expect(app.shared.conversation).toBeNull();
    expect(hash.read()).toBe('');
    stop();
    const read = vi.spyOn(app.shared, 'read');
    hash.go(shared.value.fragment);
    expect(read).not.toHaveBeenCalled(); // no longer watching
  });

  it('a damaged link says so and opens nothing', async () => {
    const { app, hash } = await appWith([storedConversation('Alpha', 1000)]);
    hash.go('#share=1.AAAA!!');
    await app.shared.read();
    expect(app.shared.conversation).toBeNull();
    expect(app.shared.error).toMatch(/share link/i);
    hash.go('#section-2');
    await app.shared.read();
    expect(app.shared.error).toBeNull();
  });
});

describe('storage persistence', () => {
  it('asks the browser to persist, and reports what it said', async () => {
    const ask = async (persisted: boolean, granted: boolean) => {
      const persist = vi.fn(async () => granted);
      const app = await AppState.create(new Store(createKv({ backend: null })), {
        storageManager: { persisted: async () => persisted, persist },
      });
      await vi.waitFor(() => expect(app.storage.persistence).not.toBe('unknown'));
      return { state: app.storage.persistence, asked: persist.mock.calls.length };
    };
    expect(await ask(true, false)).toEqual({ state: 'persisted', asked: 0 });
    expect(await ask(false, true)).toEqual({ state: 'persisted', asked: 1 });
    expect(await ask(false, false)).toEqual({ state: 'best-effort', asked: 1 });
    const none = await AppState.create(new Store(createKv({ backend: null })), {
      storageManager: null,
    });
    await vi.waitFor(() => expect(none.storage.persistence).toBe('unsupported'));
  });
});

describe('two tabs on one conversation', () => {
  async function twoTabs() {
    const [storeA, storeB] = tabStores(2);
    const conv = storedConversation('Shared', 1000);
    await storeA!.saveConversation(conv);
    await storeA!.setCurrentId(conv.id);
    const a = await AppState.create(storeA!, noPersist);
    const b = await AppState.create(storeB!, noPersist);
    expect(b.open.session.id).toBe(a.open.session.id);
    return { a, b, storeA: storeA!, conv };
  }

  async function edit(app: AppState, system: string) {
    app.open.session.systemMessage = system;
    flushSync();
    await app.open.flush();
  }

  it('an idle tab takes the other tab’s saved change and says so', async () => {
    const { a, b } = await twoTabs();
    await edit(a, 'Edited in A');
    await vi.waitFor(() => expect(b.open.session.systemMessage).toBe('Edited in A'));
    expect(b.notice.text).toMatch(/another tab/);
    expect(b.open.conflict).toBe(false);
    // Taking it does not echo a save back (no ping-pong between tabs).
    await b.open.flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(a.notice.text).toBeNull();
  });

  it('a tab with its own unsaved change gets a conflict, and its save does not overwrite', async () => {
    const { a, b, storeA, conv } = await twoTabs();
    b.open.session.systemMessage = 'Typed in B';
    flushSync(); // B's change is pending
    await edit(a, 'Saved in A');
    await vi.waitFor(() => expect(b.open.conflict).toBe(true));
    await b.open.flush();
    const now = await storeA.loadConversation(conv.id);
    expect(now.ok && now.value.conversation.systemMessage).toBe('Saved in A');
    expect(b.open.session.systemMessage).toBe('Typed in B');

    await b.open.keepMineAsCopy();
    expect(b.open.conflict).toBe(false);
    expect(b.open.session.id).not.toBe(conv.id);
    expect(b.open.session.title).toBe('Shared (copy)');
    const copy = await storeA.loadConversation(b.open.session.id);
    expect(copy.ok && copy.value.conversation.systemMessage).toBe('Typed in B');
    const theirs = await storeA.loadConversation(conv.id);
    expect(theirs.ok && theirs.value.conversation.systemMessage).toBe('Saved in A');
  });

  it('a stale save is caught even without the message (the conflict comes from the revision)', async () => {
    const { a, b, storeA, conv } = await twoTabs();
    // A's save lands, but B never hears of it (as if the message were lost).
    await storeA.saveConversation({ ...conv, systemMessage: 'Direct' }, 1);
    await edit(b, 'Late in B');
    expect(b.open.conflict).toBe(true);
    const now = await storeA.loadConversation(conv.id);
    expect(now.ok && now.value.conversation.systemMessage).toBe('Direct');

    await b.open.reloadTheirs();
    expect(b.open.conflict).toBe(false);
    expect(b.open.session.systemMessage).toBe('Direct');
    // From there B saves normally again.
    await edit(b, 'After reload');
    const later = await storeA.loadConversation(conv.id);
    expect(later.ok && later.value.conversation.systemMessage).toBe('After reload');
    void a;
  });

  it('what the user drops or keeps as a copy never lands on the other tab’s version later', async () => {
    const { b, storeA, conv } = await twoTabs();
    await storeA.saveConversation({ ...conv, systemMessage: 'From A' }, 1);
    await edit(b, 'B, first');
    expect(b.open.conflict).toBe(true);
    // More typing while in conflict: waiting to be saved when the user picks.
    b.open.session.systemMessage = 'B, second';
    flushSync();
    await b.open.reloadTheirs();
    await new Promise((r) => setTimeout(r, 500)); // past the autosave delay
    await b.open.flush();
    let theirs = await storeA.loadConversation(conv.id);
    expect(theirs.ok && theirs.value.conversation.systemMessage).toBe('From A');
    expect(b.open.session.systemMessage).toBe('From A');

    await storeA.saveConversation({ ...conv, systemMessage: 'From A again' }, 2);
    await edit(b, 'B, third');
    expect(b.open.conflict).toBe(true);
    b.open.session.systemMessage = 'B, fourth';
    flushSync();
    await b.open.keepMineAsCopy();
    await new Promise((r) => setTimeout(r, 500));
    await b.open.flush();
    theirs = await storeA.loadConversation(conv.id);
    expect(theirs.ok && theirs.value.conversation.systemMessage).toBe('From A again');
    const mine = await storeA.loadConversation(b.open.session.id);
    expect(mine.ok && mine.value.conversation.systemMessage).toBe('B, fourth');
  });

  it('the list follows saves and deletes made in the other tab', async () => {
    const { a, b } = await twoTabs();
    await a.library.create();
    await edit(a, 'A new one');
    await vi.waitFor(() => expect(b.library.entries).toHaveLength(2));
    await a.library.delete(a.open.session.id);
    await vi.waitFor(() => expect(b.library.entries).toHaveLength(1));
  });
});

describe('the key across tabs (audit, issue 16)', () => {
  const settings = (apiKey: string, rememberKey = true) => settingsValues({ apiKey, rememberKey });

  it('a key forgotten in one tab is forgotten in all; a new key reaches them', async () => {
    const [storeA, storeB] = tabStores(2);
    const a = await AppState.create(storeA!, noPersist);
    const b = await AppState.create(storeB!, noPersist);
    expect((await a.settings.save(settings('sk-first-key-0123456789'))).ok).toBe(true);
    await vi.waitFor(() => expect(b.settings.apiKey).toBe('sk-first-key-0123456789'));

    await a.settings.forgetKey();
    await vi.waitFor(() => expect(b.settings.apiKey).toBe(''));
    expect(b.settings.needsKey).toBe(true);
  });

  it('a key kept for this session only goes when another tab forgets the key', async () => {
    const [storeA, storeB] = tabStores(2);
    const a = await AppState.create(storeA!, noPersist);
    const b = await AppState.create(storeB!, noPersist);
    await b.settings.save(settings('sk-session-only-0123456789', false));
    expect(b.settings.apiKey).toBe('sk-session-only-0123456789');
    await a.settings.forgetKey();
    await vi.waitFor(() => expect(b.settings.apiKey).toBe(''));
  });
});

describe('Clear all data (issue 16)', () => {
  it('deletes everything, in every tab, and no tab writes its copy back', async () => {
    const [storeA, storeB] = tabStores(2);
    const conv = storedConversation('Private', 1000);
    await storeA!.saveConversation(conv);
    await storeA!.setCurrentId(conv.id);
    const restartA = vi.fn();
    const restartB = vi.fn();
    const a = await AppState.create(storeA!, { ...noPersist, restart: restartA });
    const b = await AppState.create(storeB!, { ...noPersist, restart: restartB });
    await a.settings.save(settingsValues({ apiKey: 'sk-clear-me-0123456789' }));
    // B has an edit of its own waiting to be saved when A clears.
    b.open.session.systemMessage = 'typed in B, not saved yet';
    flushSync();

    await a.files.clearAll();
    expect(restartA).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(restartB).toHaveBeenCalledOnce());
    // Whatever B still does writes nothing: a save (switching, exporting), the page closing.
    await b.open.flush();
    b.open.pageHidden();
    expect(await createKv({ backend: idbBackend() }).keys()).toEqual([]);
    const fresh = await AppState.create(new Store(createKv({ backend: idbBackend() })), noPersist);
    expect(fresh.library.entries).toEqual([]);
    expect(fresh.settings.apiKey).toBe('');
    expect(fresh.settings.firstRun).toBe(true);
  });
});
