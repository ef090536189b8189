// What each built file is: its size raw and gzipped (zlib's default level, as a static
// host would send it compressed), and which modules it holds (the `sources` of its source
// map, relative to the repository: "node_modules/marked/lib/marked.esm.js",
// "src/components/compare/DiffView.svelte"), so the bench can name what a set of files holds.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** "node_modules/@codemirror/view/dist/index.js" -> "@codemirror/view"; app files -> "app". */
function packageOf(source) {
  const at = source.lastIndexOf('node_modules/');
  if (at < 0) return 'app';
  const [scope, name] = source.slice(at + 'node_modules/'.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
}

/**
 * Every JS, CSS and HTML file of a build, keyed by its path inside the build.
 * @param {string} distDir
 * @param {string} repoRoot source paths are reported relative to it
 */
export function readAssets(distDir, repoRoot) {
  const assets = new Map();
  for (const path of files(distDir)) {
    if (!/\.(js|css|html)$/.test(path)) continue;
    const bytes = readFileSync(path);
    const sources = [];
    const map = `${path}.map`;
    if (existsSync(map)) {
      const { sources: list = [], sourceRoot = '' } = JSON.parse(readFileSync(map, 'utf8'));
      for (const s of list) sources.push(relative(repoRoot, resolve(dirname(map), sourceRoot, s)));
    }
    assets.set(relative(distDir, path), {
      file: relative(distDir, path),
      kind: path.slice(path.lastIndexOf('.') + 1),
      raw: bytes.length,
      gzip: gzipSync(bytes).length,
      sources,
      packages: [...new Set(sources.map(packageOf))],
    });
  }
  // CSS has no source map: it belongs to the JS chunk of the same name (Vite names both
  // after the component that imports the CSS).
  const stem = (file) => file.replace(/-[\w-]{8}\.(js|css)$/, '');
  for (const css of assets.values()) {
    if (css.kind !== 'css' || css.packages.length > 0) continue;
    const js = [...assets.values()].find((a) => a.kind === 'js' && stem(a.file) === stem(css.file));
    if (js) Object.assign(css, { sources: js.sources, packages: js.packages });
  }
  return assets;
}

/** The bundle-size table of every JS and CSS file, largest first. */
export function sizeTable(assets) {
  const rows = [...assets.values()]
    .filter((a) => a.kind !== 'html')
    .sort((a, b) => b.gzip - a.gzip);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const width = Math.max(40, ...rows.map((r) => r.file.length));
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), {
    raw: 0,
    gzip: 0,
  });
  const line = (name, r) =>
    `  ${name.padEnd(width)} ${kb(r.raw).padStart(11)} ${kb(r.gzip).padStart(11)} gz`;
  return [
    'Bundle size (every JS and CSS file of the build, raw and gzipped)',
    ...rows.map((r) => line(r.file, r)),
    line('total', total),
  ].join('\n');
}

/**
 * JS and CSS among `paths` (files inside the build; each counted once), with their gzip sum.
 * @param {ReturnType<typeof readAssets>} assets
 * @param {Iterable<string>} paths
 */
export function fileSet(assets, paths) {
  const list = [...new Set(paths)]
    .map((p) => assets.get(p))
    .filter((a) => a && (a.kind === 'js' || a.kind === 'css'));
  return { gzipBytes: list.reduce((t, a) => t + a.gzip, 0), files: list };
}

/** "assets/openai-W9GVM5i4.js 88.2 KB [openai]": a file for the JSON details. */
export const describeFile = (a) =>
  `${a.file} ${(a.gzip / 1024).toFixed(1)} KB gz [${a.packages.join(', ')}]`;
