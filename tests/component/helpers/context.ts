// Containers read their features from context; these render one under test-made ones.
import { render } from '@testing-library/svelte';
import type { Component } from 'svelte';
import { vi } from 'vitest';
import type { ExportedFile } from '../../../src/lib/model/exchange';
import { AppState } from '../../../src/lib/state/app.svelte';
import { ModelCatalog, setModels } from '../../../src/lib/state/models.svelte';
import { createKv, Store } from '../../../src/lib/store';
import { memoryHash } from './hash';
import Provide from './Provide.svelte';

/** Renders `component` with `props`, after `provide` has set the contexts it reads. */
function renderWith<Props extends object>(
  component: Component<Props>,
  props: Props,
  provide: () => void,
) {
  return render(Provide<Props>, { props: { provide, component, props } });
}

/** A model list for api.openai.com that never fetches (nothing cached, the fallback pair shown). */
function offlineCatalog(): ModelCatalog {
  return new ModelCatalog(
    { loadModelCache: async () => undefined, saveModelCache: async () => {} },
    () => ({ apiKey: '', baseURL: 'https://api.openai.com/v1' }),
    async () => ({ ok: false, error: { kind: 'network', message: 'offline', retryable: false } }),
  );
}

/** Renders a container that reads the model list (compare panes). */
export function renderWithModels<Props extends object>(component: Component<Props>, props: Props) {
  const models = offlineCatalog();
  return renderWith(component, props, () => setModels(models));
}

/**
 * Renders a container under a whole app over memory storage (no IndexedDB, no
 * network, no address bar, downloads caught), as <App> would provide it.
 */
export async function renderWithApp<Props extends object>(
  component: Component<Props>,
  props: Props | ((app: AppState) => Props),
) {
  const download = vi.fn<(file: ExportedFile) => void>();
  const app = await AppState.create(new Store(createKv({ backend: null })), {
    storageManager: null,
    hash: memoryHash(),
    download,
  });
  const made = typeof props === 'function' ? props(app) : props;
  const view = renderWith(component, made, () => app.provide());
  return { app, download, view };
}
