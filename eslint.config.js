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
  'jsonc-parser': 'src/lib/model/json',
  '@codemirror': 'src/lib/editor',
  // CodeMirror's highlighting tags come from Lezer.
  '@lezer': 'src/lib/editor',
  'gpt-tokenizer': 'src/lib/tokens',
};

// Components reach the network and storage only through state: they never
// import the api or store layers (not even a type; state re-exports what they need).
const BELOW_STATE = {
  group: ['**/lib/api', '**/lib/api/*', '**/lib/store', '**/lib/store/*'],
  message: 'Components go through lib/state, never lib/api or lib/store.',
};

// Folders in src/lib/model whose index.ts is the only way in: their inner
// files may change shape without anyone outside noticing.
const FOLDER_MODULES = ['tools', 'exchange', 'json'];
const folders = FOLDER_MODULES.join('|');
// A folder's second way in: what its index leaves out so that the page's startup
// path does without it (json/syntax brings jsonc-parser; see json/parse.ts).
const SECOND_DOORS = ['json/syntax'];
const notADoor = `(?!(?:${SECOND_DOORS.join('|')})$)`;

/**
 * Import paths that reach past a folder module's index. A relative path only
 * says where it leads together with the importing file's place, hence one
 * pattern per place: outside the model layer, in src/lib/model, one folder down.
 */
const INNER_FILES = {
  outside: `(?:^|/)model/${notADoor}(?:${folders})/.`,
  model: `^\\./${notADoor}(?:${folders})/.`,
  modelFolder: `^\\.\\./${notADoor}(?:${folders})/.`,
};

/** @param {string} where a key of INNER_FILES */
const innerFiles = (where) => ({
  regex: INNER_FILES[where],
  message: `src/lib/model/{${FOLDER_MODULES.join(',')}} are folder modules: import the folder (its index.ts) or ${SECOND_DOORS.join(', ')}, not a file inside it.`,
});

/** @param {string} layer folder whose own dependencies are allowed */
const homes = (layer) =>
  Object.entries(HOMES)
    .filter(([, home]) => home !== layer)
    .map(([name, home]) => ({
      group: [name, `${name}/*`],
      message: `${name} may only be imported in ${home}.`,
    }));

/** @param {string} layer @param {object[]} more further patterns */
const forbidAllBut = (layer, more = [innerFiles('outside')]) => ({
  'no-restricted-imports': ['error', { patterns: [...homes(layer), ...more] }],
});

/**
 * The model layer is pure TypeScript: no framework, SDK, storage or other layer.
 * @param {string} up the relative path that leaves src/lib/model from these files
 */
const pure = (up) => ({
  group: ['svelte', 'svelte/*', `${up}*`, `!${up}model`],
  message: 'src/lib/model is pure TypeScript: no svelte, SDK, storage or other layer.',
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
  {
    files: ['tests/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [innerFiles('outside')] }] },
  },
  { files: ['src/lib/api/**'], rules: forbidAllBut('src/lib/api') },
  { files: ['src/lib/store/**'], rules: forbidAllBut('src/lib/store') },
  { files: ['src/lib/render/**'], rules: forbidAllBut('src/lib/render') },
  { files: ['src/lib/editor/**'], rules: forbidAllBut('src/lib/editor') },
  { files: ['src/lib/tokens/**'], rules: forbidAllBut('src/lib/tokens') },
  { files: ['src/components/**'], rules: forbidAllBut('', [innerFiles('outside'), BELOW_STATE]) },
  {
    files: ['src/lib/model/**'],
    rules: forbidAllBut('src/lib/model', [pure('../'), innerFiles('model')]),
  },
  {
    files: ['src/lib/model/*/**/*'],
    rules: forbidAllBut('src/lib/model', [pure('../../'), innerFiles('modelFolder')]),
  },
  {
    files: ['src/lib/model/json/**'],
    rules: forbidAllBut('src/lib/model/json', [pure('../../'), innerFiles('modelFolder')]),
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
    // Trusted Types policies are made in two places: sanitize.ts (DOMPurify's
    // output, for {@html}) and script-url.ts (one script URL per policy: the
    // counter worker's, the service worker's). The CSP's `trusted-types` list
    // names just those policies.
    files: ['src/**'],
    ignores: ['src/lib/render/sanitize.ts', 'src/lib/render/script-url.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Identifier[name='trustedTypes']",
          message:
            'Trusted Types policies live in lib/render/sanitize.ts and lib/render/script-url.ts.',
        },
      ],
    },
  },
  {
    // {@html} is allowed in exactly one component, which only renders lib/render output.
    files: ['src/components/RenderedMarkdown.svelte'],
    rules: { 'svelte/no-at-html-tags': 'off' },
  },
);
