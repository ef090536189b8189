import { readFileSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { notFoundPage } from './build/not-found-page.ts';
import { openaiChatOnly } from './build/openai-chat-only.ts';
import { APP_NAME, MANIFEST_FILE, pwa } from './build/pwa.ts';
import { trackLazyImports } from './build/track-lazy-imports.ts';

/**
 * Which build a page runs, in its index.html: the deployed commit where the Pages
 * workflow sets PARLEY_BUILD, else the package's version.
 */
function buildStamp(): Plugin {
  const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  const content = process.env.PARLEY_BUILD || String(pkg.version);
  return {
    name: 'parley:build-stamp',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { name: 'parley-build', content }, injectTo: 'head' },
    ],
  };
}

// `base: './'` makes every asset URL relative, so the same build works at `/`,
// at GitHub Pages' `/<repo>/`, or under any other sub-path.
export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    openaiChatOnly(),
    buildStamp(),
    notFoundPage({ appName: APP_NAME, manifestFile: MANIFEST_FILE }),
    pwa(),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    // Everything the first paint needs in one file beside the entry, not two
    // dozen small shared chunks: each is a request before the page can start.
    // The store apart (with what it imports, and src/read-ahead.ts that starts
    // it): index.html runs that small chunk first, as a script of its own, so the
    // stored conversation is read while the app's code downloads.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'store', test: /\/src\/(read-ahead|lib\/store\/index)\.ts$/, priority: 1 },
            { name: 'startup', tags: ['$initial'] },
          ],
        },
      },
    },
  },
  // ES workers can split: the token-count worker loads only the vocabulary it needs.
  worker: { format: 'es' },
  test: {
    expect: { requireAssertions: true },
    // No test may depend on the 5 s default being enough on a busy 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
          setupFiles: ['tests/unit/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'bench',
          environment: 'jsdom',
          include: [],
          benchmark: { include: ['tests/bench/**/*.bench.ts'] },
        },
      },
      {
        extends: true,
        // Browser builds of svelte, automatic cleanup between tests, and lazy loads
        // that a file waits for before it ends (build/track-lazy-imports.ts).
        plugins: [svelteTesting(), trackLazyImports()],
        test: {
          name: 'component',
          environment: 'jsdom',
          include: ['tests/component/**/*.test.ts'],
          setupFiles: ['tests/component/setup.ts'],
        },
      },
    ],
  },
});
