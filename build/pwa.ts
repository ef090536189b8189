import { VitePWA } from 'vite-plugin-pwa';
import type { PluginOption } from 'vite';

// Installable and offline (issue 18). The service worker is Workbox's, generated at
// build time: it precaches every file the app can load (the shell, each lazily
// loaded chunk, the token counter's worker and its vocabularies) and answers only
// same-origin GETs for those files and navigations inside its scope. It has no
// runtime caching: API requests (any origin, POST) pass it untouched and nothing of
// them is stored. A new version waits until the user chooses Reload
// (registerType 'prompt': Workbox's SW skips waiting only when asked; the app's
// src/lib/state/service-worker.ts registers it and asks).

/** The name the manifest gives the app; 404.html looks for it to find the app. */
export const APP_NAME = 'Parley';
export const MANIFEST_FILE = 'manifest.webmanifest';

/** The page's background (app.css `--bg`), light and dark: the title bar blends in. */
const THEME = { light: '#fbfbfc', dark: '#15171c' };

// The tokenizer vocabularies are one chunk each, o200k_base about 2 MB.
const LARGEST_FILE_BYTES = 4 * 1024 * 1024;

export function pwa(): PluginOption {
  return VitePWA({
    registerType: 'prompt',
    // Registered by the app itself, after first paint, with a Trusted Types URL
    // (the page's policy refuses a plain string; service-worker.ts).
    injectRegister: false,
    // The icons are precached with the other files (globPatterns), once.
    includeManifestIcons: false,
    manifestFilename: MANIFEST_FILE,
    manifest: {
      name: APP_NAME,
      short_name: APP_NAME,
      description: 'A playground for the OpenAI Chat Completions API that runs in your browser.',
      // Relative to the manifest: the same build works at / and at /<repo>/.
      id: './',
      start_url: './',
      scope: './',
      display: 'standalone',
      background_color: THEME.light,
      theme_color: THEME.light,
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        {
          src: 'icons/icon-maskable-512.png',
          sizes: '512x512',
          type: 'image/png',
          purpose: 'maskable',
        },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{html,js,css,svg,png,json,wasm}'],
      // 404.html is in: it is what a navigation to an unknown path gets, offline too.
      globIgnores: ['.vite/**', '**/*.map'],
      maximumFileSizeToCacheInBytes: LARGEST_FILE_BYTES,
      // A link with a query (`?utm_source=…`) still opens the precached page.
      ignoreURLParametersMatching: [/.*/],
      // A navigation to a path the app does not have gets 404.html, which routes to
      // the app's root (as GitHub Pages does online). Not index.html: its asset URLs
      // are relative, so from a deeper path they would point at nothing.
      navigateFallback: '404.html',
      navigateFallbackDenylist: [
        // An API path on the same origin (a proxy) is never answered with a page.
        /\/v1(?:\/|$)/,
        // Nor a file the app does not have.
        /\/[^/?]+\.[^/?]+(?:\?.*)?$/,
      ],
      // On the first visit the page that installed it is served by it at once (so a
      // chunk first needed offline, later, is there). A new version still waits for
      // Reload: without skipWaiting it never takes over a page on its own.
      clientsClaim: true,
      cleanupOutdatedCaches: true,
      runtimeCaching: [],
    },
  });
}
