// The byte budgets of issue 15, read from the build alone (no browser, no timing), so
// `npm run bench -- --check` gives the same answer on every machine.
//
// - Startup set: what the built index.html loads (its module script, modulepreloads and
//   stylesheets), together with the static-import closure of the entry chunk in Vite's
//   manifest (`imports` and `css`, followed to the end). The two should agree; both are
//   taken, so neither can hide a file.
// - First-answer set: the startup set plus the static closure of every dynamic entry,
//   reachable from the entry through `dynamicImports`, that holds a module of the path
//   from Send to a rendered answer (FIRST_ANSWER: the OpenAI SDK, src/lib/api, Markdown
//   and highlighting, the answer's components). Module ids come from the chunks' source
//   maps, so this follows the code when chunks are renamed or split. It counts what the
//   answer needs, not what the page happens to prefetch meanwhile; the `bytes-network`
//   scenario records the latter in a browser and names any file beyond this set.
// - Never at startup: no module of NOT_AT_STARTUP in any chunk of the startup set.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFile, fileSet } from './assets.mjs';

const KB = 1024;

/** Module ids that must never be in a startup chunk (issue 15). */
export const NOT_AT_STARTUP = {
  'gpt-tokenizer (vocabulary)': /(^|\/)node_modules\/gpt-tokenizer\//,
  CodeMirror: /(^|\/)node_modules\/(@codemirror|@lezer)\//,
  diff: /(^|\/)node_modules\/diff\//,
  'compare views': /(^|\/)src\/components\/compare\//,
  // Only an error in JSON someone typed needs it, said where (src/lib/model/json/parse.ts).
  'jsonc-parser': /(^|\/)node_modules\/jsonc-parser\//,
};

/** Module ids on the way from Send to a painted answer. */
const FIRST_ANSWER = [
  /(^|\/)node_modules\/(openai|marked|dompurify|highlight\.js)\//,
  /(^|\/)src\/lib\/(api|render)\//,
  /(^|\/)src\/components\/(AnswerBody|RenderedMarkdown|MessageView|Transcript)\.svelte$/,
];

/** The built index.html's own references, as paths inside the build. */
function htmlReferences(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1];
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    const isScript = tag.startsWith('<script') && /type="module"/.test(tag);
    if (!url || /^[a-z]+:|^\/\//i.test(url)) continue;
    if (isScript || rel === 'modulepreload' || rel === 'stylesheet') {
      refs.push(url.replace(/^\.?\//, ''));
    }
  }
  return refs;
}

function readManifest(dist) {
  const path = join(dist, '.vite', 'manifest.json');
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: build with \`vite build --manifest\` (npm run bench does)`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Files (JS and CSS) of the static-import closure of the manifest keys `from`; with
 * `workers`, also the worker scripts its chunks start (a worker is emitted as a chunk's
 * `.js` asset): the stream worker that fetches and reads every streamed answer.
 */
function closure(manifest, from, { workers = false } = {}) {
  const seen = new Set();
  const out = [];
  const visit = (key) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    const chunk = manifest[key];
    out.push(chunk.file, ...(chunk.css ?? []));
    if (workers) out.push(...(chunk.assets ?? []).filter((f) => f.endsWith('.js')));
    for (const k of chunk.imports ?? []) visit(k);
  };
  from.forEach(visit);
  return { keys: seen, files: out };
}

/** Dynamic entries reachable from `keys`, through dynamic and static imports. */
function dynamicReach(manifest, keys) {
  const seen = new Set();
  const queue = [...keys];
  while (queue.length > 0) {
    const chunk = manifest[queue.shift()];
    for (const k of [...(chunk?.dynamicImports ?? []), ...(chunk?.imports ?? [])]) {
      if (seen.has(k) || keys.has(k)) continue;
      seen.add(k);
      queue.push(k);
    }
  }
  return [...seen].filter((k) => manifest[k]?.isDynamicEntry);
}

/** Every module id in a chunk: its manifest key and src, and its source map's sources. */
function modulesOf(assets, manifest, key) {
  const chunk = manifest[key];
  return [key, chunk.src, ...(assets.get(chunk.file)?.sources ?? [])].filter(Boolean);
}

/**
 * Dynamic entries a first answer does not need: the highlighting languages
 * answers use less often (Rust, Go, SQL, …) load only when a code block names
 * one (src/lib/render/highlight.ts); the bench's answer uses ts, js, python and
 * bash, and `bytes-network` records what a browser really fetched. The demo
 * endpoint's server (src/lib/api/demo) loads only when the demo is the endpoint.
 */
const NOT_FIRST_ANSWER = [
  /(^|\/)src\/lib\/render\/highlight-more\.ts$/,
  /(^|\/)src\/lib\/api\/demo\/index\.ts$/,
];

/**
 * The startup and first-answer sets of a build, and what the startup set must not hold.
 * @param {string} dist
 * @param {ReturnType<import('./assets.mjs').readAssets>} assets
 */
export function analyzeBundle(dist, assets) {
  const manifest = readManifest(dist);
  const fromHtml = htmlReferences(dist);
  // A chunking group can take the entry's code into a shared chunk: then the
  // chunks index.html loads are where the closure starts.
  const marked = Object.keys(manifest).filter((k) => manifest[k].isEntry);
  const entries = marked.length
    ? marked
    : Object.keys(manifest).filter((k) => fromHtml.includes(manifest[k].file));
  const entry = closure(manifest, entries);
  const startup = fileSet(assets, [...fromHtml, ...entry.files]);
  const onlyInHtml = fromHtml.filter((f) => !entry.files.includes(f));
  const onlyInManifest = entry.files.filter((f) => !fromHtml.includes(f));

  const heavy = {};
  for (const key of entry.keys) {
    for (const id of modulesOf(assets, manifest, key)) {
      for (const [name, pattern] of Object.entries(NOT_AT_STARTUP)) {
        if (pattern.test(id)) (heavy[name] ??= new Set()).add(`${manifest[key].file}: ${id}`);
      }
    }
  }

  const forAnswer = dynamicReach(manifest, entry.keys).filter(
    (k) =>
      !NOT_FIRST_ANSWER.some((p) => p.test(k)) &&
      modulesOf(assets, manifest, k).some((id) => FIRST_ANSWER.some((p) => p.test(id))),
  );
  // Workers count here, not at startup: the token counter's starts after the first
  // paint; the stream worker is on the way to every streamed answer.
  const answer = closure(manifest, forAnswer, { workers: true });
  const firstAnswer = fileSet(assets, [...startup.files.map((a) => a.file), ...answer.files]);
  return {
    startup,
    firstAnswer,
    answerEntries: forAnswer,
    heavy: Object.fromEntries(Object.entries(heavy).map(([k, v]) => [k, [...v]])),
    disagreement: { onlyInHtml, onlyInManifest },
  };
}

/** Table rows for the byte budgets (see report.mjs `summarize`). */
export function byteRows(b) {
  return [
    {
      metric: 'first paint: JS+CSS gzip (index.html + static imports)',
      unit: 'KB',
      values: [b.startup.gzipBytes / KB],
      max: 100,
    },
    {
      metric: 'first answer: + SDK, API, Markdown chunks (manifest)',
      unit: 'KB',
      values: [b.firstAnswer.gzipBytes / KB],
      max: 180,
    },
    {
      metric: `startup chunks holding ${Object.keys(NOT_AT_STARTUP).join(', ')}`,
      unit: 'count',
      values: [Object.keys(b.heavy).length],
      max: 0,
    },
  ];
}

/** What the rows were made of, for the JSON line and for --check's explanation. */
export function byteDetails(b) {
  return {
    startup: b.startup.files.map(describeFile),
    firstAnswerAdds: b.firstAnswer.files
      .filter((a) => !b.startup.files.includes(a))
      .map(describeFile),
    firstAnswerDynamicEntries: b.answerEntries,
    notAtStartupFound: b.heavy,
    htmlVersusManifest: b.disagreement,
  };
}
