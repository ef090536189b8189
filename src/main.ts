// First: it starts reading the stored state (see the file).
import './read-ahead';
import { mount } from 'svelte';
import { loadRunner, preloadSdk } from './lib/api';
import App from './App.svelte';
import './app.css';
import { loadJsonLocator } from './lib/model/json';
import { AppState } from './lib/state/app.svelte';
import { loadHighlighter, loadRenderer, warmRenderer } from './lib/render';
import { whenIdle } from './lib/state/idle';
import { pageStore } from './lib/store';

const app = await AppState.create(pageStore());
mount(App, { target: document.getElementById('app')!, props: { app } });
// Fetch the request code, the SDK and the renderer while the user reads the
// page, so the first Send does not wait for them, and the first answer is drawn
// as Markdown as it streams (not all at once, when the renderer arrives at its
// end). A failure here is said by what needs them. With them, the parser that
// places a syntax error in JSON someone typed (until then an error says why, not
// where).
// Then, in a production build, the service worker that keeps the app for offline
// use: its install downloads every file, so it waits for those five.
whenIdle(() => {
  const firstSend = Promise.allSettled([
    loadRunner(),
    preloadSdk(),
    loadRenderer(),
    loadHighlighter(),
    loadJsonLocator(),
  ]);
  // Warm the renderer, a pass per idle period.
  void firstSend.then(() => whenIdle(() => warmRenderer(3, whenIdle)));
  if (!import.meta.env.PROD) return;
  void firstSend
    .then(() => import('./lib/state/service-worker'))
    .then((sw) => sw.registerServiceWorker(app.update))
    .catch(() => {}); // without it the app works online, as before
});
