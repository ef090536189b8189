import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { createKv, Store, type KvBackend } from '../../src/lib/store';

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
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'kept in memory');
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('kept in memory');
    expect(app.session.draft).toBe('kept in memory');
  });

  it('when the quota runs out mid-session, warns and keeps everything in memory', async () => {
    const { backend, state } = fillableBackend();
    const app = await AppState.create(new Store(createKv({ backend })));
    render(App, { app });
    expect(screen.queryByText('Not saving.')).toBeNull();
    state.full = true;
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.type(screen.getByRole('textbox', { name: 'System message' }), 'Be brief.');
    await app.flush();
    expect(await screen.findByText(/Browser storage is full/)).toBeVisible();
    expect(screen.getByRole('textbox', { name: 'System message' })).toHaveValue('Be brief.');
    expect(app.session.systemMessage).toBe('Be brief.');
  });
});
