import { mount } from 'svelte';
import { loadRunner, preloadSdk } from './lib/api';
import App from './App.svelte';
import './app.css';
import { AppState } from './lib/state/app.svelte';
import { whenIdle } from './lib/state/idle';
import { createStore } from './lib/store';

const app = await AppState.create(createStore());
mount(App, { target: document.getElementById('app')!, props: { app } });
// Fetch the request code and the SDK while the user reads the page, so the first
// Send does not wait for them. A failure here is said by the Send that needs them.
whenIdle(() => {
  loadRunner().catch(() => {});
  preloadSdk().catch(() => {});
});
