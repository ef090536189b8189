import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

// Parley calls two endpoints of the OpenAI SDK: `chat.completions.create` and
// `models.list`. The SDK's client class constructs every other resource too
// (admin, beta, realtime, responses, vector stores, …) and the completions
// resource imports the runners of `stream()`, `parse()` and `runTools()`, so a
// bundler must keep all of it: 90 KB gzip, half of what the first answer may
// download (issue 15 budget: 180 KB for everything up to a painted answer).
//
// In a production build this plugin answers those imports with classes of the
// same names and no code: a stubbed resource constructs (the client needs that)
// and has no methods; a stubbed runner throws if anything constructs it. What
// Parley calls runs the SDK's own code untouched: request building, SSE parsing,
// errors, pagination. If a kept module imports a stubbed one by any name other
// than its classes, the build fails ("missing export"), so a stub never hides
// silently; the e2e suite drives the built SDK against a real server.

interface Stubbed {
  /** Importer inside the SDK, relative to its folder. */
  importer: RegExp;
  /** Whether an imported file (relative to the SDK's folder) is stubbed. */
  stub: (file: string) => boolean;
  /** The stub of one exported class. */
  body: (name: string) => string;
}

const KEPT_RESOURCES = new Set([
  'resources/index.mjs',
  'resources/chat/chat.mjs',
  'resources/chat/index.mjs',
  'resources/models.mjs',
  'resources/shared.mjs',
]);

const RULES: Stubbed[] = [
  {
    importer: /^(client|resources\/index)\.mjs$/,
    stub: (file) => file.startsWith('resources/') && !KEPT_RESOURCES.has(file),
    body: (name) => `export class ${name} extends APIResource {}`,
  },
  {
    importer: /^resources\/chat\/completions\/completions\.mjs$/,
    stub: (file) => /^lib\/ChatCompletion(Runner|StreamingRunner|Stream)\.mjs$/.test(file),
    body: (name) =>
      `export class ${name} { constructor() { throw new Error('${name} is not in this build'); } }`,
  },
];

const PREFIX = '\0openai-stub:';
const SDK = /^(.*[\\/]node_modules[\\/]openai)[\\/](.+)$/;

const posix = (path: string) => path.split(sep).join('/');

export function openaiChatOnly(): Plugin {
  let sdkRoot = '';
  return {
    name: 'parley:openai-chat-only',
    apply: 'build',
    enforce: 'pre',
    resolveId: {
      filter: { id: /^\.\.?\/.*\.mjs$/ },
      handler(source, importer) {
        const inSdk = importer && SDK.exec(importer);
        if (!inSdk?.[1] || !inSdk[2]) return null;
        const from = posix(inSdk[2]);
        const file = posix(relative(inSdk[1], resolve(dirname(importer as string), source)));
        const rule = RULES.findIndex((r) => r.importer.test(from) && r.stub(file));
        if (rule < 0) return null;
        sdkRoot = inSdk[1];
        return `${PREFIX}${rule}:${file}`;
      },
    },
    load: {
      filter: { id: /^\0openai-stub:/ },
      async handler(id) {
        const [rule, file] = id.slice(PREFIX.length).split(/:(.*)/);
        const body = RULES[Number(rule)]?.body;
        if (!body || !file) return null;
        // The classes the module exports, by name: `export { Batches, } from "./batches.mjs"`.
        const text = await readFile(resolve(sdkRoot, file), 'utf8');
        const names = [...text.matchAll(/^export class (\w+)/gm)].map((m) => m[1] as string);
        if (names.length === 0) throw new Error(`openai-chat-only: ${file} exports no class`);
        const core = JSON.stringify(resolve(sdkRoot, 'core', 'resource.mjs'));
        return [`import { APIResource } from ${core};`, ...names.map(body)].join('\n');
      },
    },
  };
}
