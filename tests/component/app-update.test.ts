import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import StatusToasts from '../../src/components/shell/StatusToasts.svelte';
import { AppUpdate } from '../../src/lib/state/app-update.svelte';
import { registerServiceWorker } from '../../src/lib/state/service-worker';
import { renderWithApp } from './helpers/context';

describe('Update available', () => {
  it('appears in the status line only once a newer version waits; Reload switches to it', async () => {
    const { app } = await renderWithApp(StatusToasts, {});
    const status = screen.getByRole('status');
    expect(status).not.toHaveTextContent('Update available');

    const apply = vi.fn();
    app.update.offer(apply);
    await vi.waitFor(() => expect(status).toHaveTextContent('Update available'));
    const reload = within(status).getByRole('button', { name: 'Reload' });
    expect(apply).not.toHaveBeenCalled(); // nothing switches on its own
    await userEvent.click(reload);
    expect(apply).toHaveBeenCalledOnce();
  });
});

/** A service worker in a given state, recording what it is told. */
function fakeWorker(state: ServiceWorkerState) {
  const worker = Object.assign(new EventTarget(), { state, postMessage: vi.fn() });
  return worker as unknown as ServiceWorker & { postMessage: ReturnType<typeof vi.fn> };
}

/** A registration as the browser hands it over, with `waiting`/`installing` workers. */
function fakeContainer({
  controller = null as ServiceWorker | null,
  waiting = null as ServiceWorker | null,
  installing = null as ServiceWorker | null,
} = {}) {
  const registration = Object.assign(new EventTarget(), {
    waiting,
    installing,
    update: vi.fn(async () => {}),
  });
  const container = Object.assign(new EventTarget(), {
    controller,
    register: vi.fn(async () => registration),
  });
  return {
    container: container as unknown as ServiceWorkerContainer,
    registration,
    register: container.register,
  };
}

describe('registerServiceWorker', () => {
  it('registers sw.js beside the page', async () => {
    const { container, register } = fakeContainer();
    await registerServiceWorker(new AppUpdate(), container);
    expect(register).toHaveBeenCalledWith(new URL('sw.js', document.baseURI).href);
  });

  it('offers a worker that waits while another serves the page, and tells it to take over on Reload', async () => {
    const waiting = fakeWorker('installed');
    const { container } = fakeContainer({ controller: fakeWorker('activated'), waiting });
    const update = new AppUpdate();
    await registerServiceWorker(update, container);
    expect(update.available).toBe(true);
    expect(waiting.postMessage).not.toHaveBeenCalled();
    update.reload();
    expect(waiting.postMessage).toHaveBeenCalledWith({ type: 'SKIP_WAITING' });
  });

  it('offers an update found later, once it has installed', async () => {
    const { container, registration } = fakeContainer({ controller: fakeWorker('activated') });
    const update = new AppUpdate();
    await registerServiceWorker(update, container);
    const next = fakeWorker('installing');
    registration.installing = next;
    registration.dispatchEvent(new Event('updatefound'));
    expect(update.available).toBe(false);
    Object.assign(next, { state: 'installed' });
    next.dispatchEvent(new Event('statechange'));
    expect(update.available).toBe(true);
  });

  it('offers nothing on the first install: there is no older version to replace', async () => {
    const installing = fakeWorker('installing');
    const { container } = fakeContainer({ installing });
    const update = new AppUpdate();
    await registerServiceWorker(update, container);
    Object.assign(installing, { state: 'installed' });
    installing.dispatchEvent(new Event('statechange'));
    // The new worker claims the page: not an update either.
    container.dispatchEvent(new Event('controllerchange'));
    expect(update.available).toBe(false);
  });

  it('without a registration (refused, or blocked), the app goes on without it', async () => {
    const { container, register } = fakeContainer();
    register.mockRejectedValueOnce(new TypeError('refused'));
    const update = new AppUpdate();
    await expect(registerServiceWorker(update, container)).resolves.toBeUndefined();
    await expect(registerServiceWorker(update, undefined)).resolves.toBeUndefined();
    expect(update.available).toBe(false);
  });
});
