import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// The layer boundaries of ARCHITECTURE.md, enforced. Each heavy dependency has
// one home; everything outside that home may not import it.
const HOMES = {
  openai: 'src/lib/api',
  'idb-keyval': 'src/lib/store',
  dompurify: 'src/lib/render',
  marked: 'src/lib/render',
  'highlight.js': 'src/lib/render',
};

/** @param {string} layer folder whose own dependencies are allowed */
const forbidAllBut = (layer) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: Object.entries(HOMES)
        .filter(([, home]) => home !== layer)
        .map(([name, home]) => ({
          group: [name, `${name}/*`],
          message: `${name} may only be imported in ${home}.`,
        })),
    },
  ],
});

export default ts.config(
  { ignores: ['dist/', 'dist-e2e*/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  { files: ['src/**'], rules: forbidAllBut('') },
  { files: ['src/lib/api/**'], rules: forbidAllBut('src/lib/api') },
  { files: ['src/lib/store/**'], rules: forbidAllBut('src/lib/store') },
  { files: ['src/lib/render/**'], rules: forbidAllBut('src/lib/render') },
  {
    // The model layer is pure TypeScript: no framework, SDK, storage or other layer.
    files: ['src/lib/model/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...Object.keys(HOMES), 'svelte', 'svelte/*', '../*', '!../model'],
              message: 'src/lib/model is pure TypeScript: no svelte, SDK, storage or other layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // Components get data through props and context: no network, no storage, no DOM queries.
    files: ['src/components/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Components do not fetch; go through state/api.' },
        { name: 'indexedDB', message: 'Components do not store; go through state/store.' },
        { name: 'localStorage', message: 'Components do not store; go through state/store.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'document', property: 'getElementById', message: 'Use bind:this.' },
        { object: 'document', property: 'querySelector', message: 'Use bind:this.' },
        { object: 'document', property: 'querySelectorAll', message: 'Use bind:this.' },
      ],
    },
  },
  {
    // {@html} is allowed in exactly one component, which only renders lib/render output.
    files: ['src/components/RenderedMarkdown.svelte'],
    rules: { 'svelte/no-at-html-tags': 'off' },
  },
);
