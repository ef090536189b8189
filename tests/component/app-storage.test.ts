import { flushSync } from 'svelte';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import App from '../../src/App.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { createKv, Store, type KvBackend } from '../../src/lib/store';
import { conversation, message } from '../builders/conversations';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

/** A backend that works until `full` is set, then throws QuotaExceededError on writes. */
function fillableBackend() {
  const data = new Map<string, unknown>();
  const state = { full: false };
  const backend: KvBackend = {
    get: async (k) => data.get(k),
    set: async (k, v) => {
      if (state.full) throw new DOMException('full', 'QuotaExceededError');
      data.set(k, v);
    },
    del: async (k) => void data.delete(k),
    keys: async () => [...data.keys()],
  };
  return { backend, state };
}

describe('App when storage fails', () => {
  it('says nothing will be saved when IndexedDB is unavailable, and still works', async () => {
    const app = await AppState.create(new Store(createKv({ backend: null })));
    render(App, { app });
    expect(screen.getByText('Not saving.')).toBeVisible();
    expect(screen.getByText(/does not allow storage here/)).toBeVisible();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'kept in memory');
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('kept in memory');
    expect(app.open.session.draft).toBe('kept in memory');
  });

  it('when the quota runs out mid-session, warns and keeps everything in memory', async () => {
    const { backend, state } = fillableBackend();
    const app = await AppState.create(new Store(createKv({ backend })));
    render(App, { app });
    expect(screen.queryByText('Not saving.')).toBeNull();
    state.full = true;
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    await user.type(screen.getByRole('textbox', { name: 'System message' }), 'Be brief.');
    await app.open.flush();
    expect(await screen.findByText(/Browser storage is full/)).toBeVisible();
    expect(screen.getByRole('textbox', { name: 'System message' })).toHaveValue('Be brief.');
    expect(app.open.session.systemMessage).toBe('Be brief.');
  });
});

describe('closing the page before a save finishes', () => {
  /** A backend shared by two "page loads"; writes can be made to hang, as when the page dies. */
  function sharedBackend() {
    const data = new Map<string, unknown>();
    const state = { hang: false, hangKey: '' };
    const backend: KvBackend = {
      get: async (k) => structuredClone(data.get(k)),
      set: (k, v) => {
        if (state.hang || k === state.hangKey) return new Promise(() => {}); // never lands
        data.set(k, structuredClone(v));
        return Promise.resolve();
      },
      del: async (k) => void data.delete(k),
      keys: async () => [...data.keys()],
    };
    return { backend, state };
  }
  function memoryStorage() {
    const items = new Map<string, string>();
    return {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
      items,
    };
  }

  it('keeps the tools text and draft typed just before the tab closed', async () => {
    const { backend, state } = sharedBackend();
    const journal = memoryStorage();
    const first = await AppState.create(new Store(createKv({ backend }), journal));
    await first.open.flush();
    state.hang = true;
    first.open.session.tools = { json: '[{"type":"function",', format: 'tools' };
    first.open.session.draft = 'typed at the last second';
    flushSync(); // the autosave effect sees the change
    first.open.pageHidden();
    expect(journal.items.size).toBe(1);

    state.hang = false;
    const second = await AppState.create(new Store(createKv({ backend }), journal));
    expect(second.open.session.tools.json).toBe('[{"type":"function",');
    expect(second.open.session.draft).toBe('typed at the last second');
    expect(second.open.session.id).toBe(first.open.session.id);
    // Taken back into IndexedDB, and the copy is gone.
    expect(journal.items.size).toBe(0);
    const third = await AppState.create(new Store(createKv({ backend }), journal));
    expect(third.open.session.draft).toBe('typed at the last second');
  });

  it('keeps a change whose save had already started when the page hid', async () => {
    const { backend, state } = sharedBackend();
    const journal = memoryStorage();
    const first = await AppState.create(new Store(createKv({ backend }), journal));
    await first.open.flush();
    state.hang = true;
    first.open.session.draft = 'being written';
    flushSync();
    void first.open.flush(); // the debounce fired: the write is under way, and never lands
    first.open.pageHidden();
    state.hang = false;
    const second = await AppState.create(new Store(createKv({ backend }), journal));
    expect(second.open.session.draft).toBe('being written');
  });

  it('reopens the conversation just imported when the page closed before that was written', async () => {
    const { backend, state } = sharedBackend();
    const journal = memoryStorage();
    const first = await AppState.create(new Store(createKv({ backend }), journal));
    const imported = conversation({
      title: 'Imported',
      messages: [message('m1', 'user', 'Hello from the file')],
    });
    // The conversation lands; which one to reopen does not before the page goes.
    state.hangKey = 'currentId';
    void first.library.adopt(imported);
    await vi.waitFor(() => expect(first.open.id).toBe(imported.id));
    first.open.pageHidden();

    state.hangKey = '';
    const second = await AppState.create(new Store(createKv({ backend }), journal));
    expect(second.open.id).toBe(imported.id);
    expect(second.open.session.messages.map((m) => m.content)).toEqual(['Hello from the file']);
    // Stored for good: the word left in localStorage is gone, the next load agrees.
    expect([...journal.items.keys()]).toEqual([]);
    const third = await AppState.create(new Store(createKv({ backend }), journal));
    expect(third.open.id).toBe(imported.id);
  });

  it('a word left by an earlier close gives way to the conversation opened since', async () => {
    const { backend, state } = sharedBackend();
    const journal = memoryStorage();
    const first = await AppState.create(new Store(createKv({ backend }), journal));
    const earlier = conversation({ title: 'Earlier', messages: [message('m1', 'user', 'one')] });
    const later = conversation({ title: 'Later', messages: [message('m2', 'user', 'two')] });
    state.hangKey = 'currentId';
    void first.library.adopt(earlier);
    await vi.waitFor(() => expect(first.open.id).toBe(earlier.id));
    first.open.pageHidden(); // hidden, not closed: the tab comes back
    state.hangKey = '';
    await first.library.adopt(later);
    first.open.pageHidden();

    const second = await AppState.create(new Store(createKv({ backend }), journal));
    expect(second.open.id).toBe(later.id);
  });

  it('clears the copy once the save did finish', async () => {
    const { backend } = sharedBackend();
    const journal = memoryStorage();
    const app = await AppState.create(new Store(createKv({ backend }), journal));
    app.open.session.draft = 'saved in time';
    flushSync();
    app.open.pageHidden();
    expect(journal.items.size).toBe(1);
    await vi.waitFor(() => expect(journal.items.size).toBe(0));
  });
});

describe('compare panes in storage', () => {
  it('are saved with the conversation, listed by their models, and a new conversation keeps their setup without turns', async () => {
    const { backend } = fillableBackend();
    const store = new Store(createKv({ backend }));
    const app = await AppState.create(store);
    app.open.compare.start();
    app.open.compare.panes[1]!.session.params = { temperature: 0.2 };
    app.open.compare.panes[0]!.session.replaceMessages([
      { id: 'u1', role: 'user', content: 'Hi panes' },
    ]);
    flushSync();
    await app.open.flush();

    const reopened = await AppState.create(new Store(createKv({ backend })));
    expect(reopened.open.compare.active).toBe(true);
    expect(reopened.open.compare.panes.map((p) => p.model)).toEqual(['gpt-4', 'gpt-3.5-turbo']);
    expect(reopened.open.compare.panes[1]!.overrides).toEqual({ temperature: 0.2 });
    expect(reopened.open.compare.panes[0]!.session.messages[0]?.content).toBe('Hi panes');
    expect(reopened.library.entries[0]).toMatchObject({
      model: 'gpt-4 vs gpt-3.5-turbo',
      title: 'Hi panes',
    });

    await reopened.library.create();
    expect(reopened.open.compare.active).toBe(true);
    expect(reopened.open.compare.panes[1]!.overrides).toEqual({ temperature: 0.2 });
    expect(reopened.open.compare.panes.every((p) => p.session.messages.length === 0)).toBe(true);
    // The first conversation's panes are untouched.
    await reopened.library.open(app.open.session.id);
    expect(reopened.open.compare.panes[0]!.session.messages[0]?.content).toBe('Hi panes');
  });
});
