// Published as GitHub Pages publishes it (issue 18): the built folder holds what an
// installable, offline app needs, and the same build starts at /<repo>/ and at a
// domain's root, with 404.html leading any other address back to the app.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { newProfile } from './browser.mjs';
import { DIST } from './harness.mjs';
import { startStaticServer } from './static-server.mjs';

const read = (file) => readFile(join(DIST, file));

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('the built site', () => {
  it('has a manifest with relative addresses, its icons, and theme colours', async () => {
    const html = (await read('index.html')).toString();
    assert.match(html, /<link rel="manifest" href="\.\/manifest\.webmanifest"/);
    assert.match(html, /<link rel="apple-touch-icon" href="\.\/icons\/apple-touch-icon\.png"/);
    assert.match(html, /name="theme-color" media="\(prefers-color-scheme: light\)"/);
    assert.match(html, /name="theme-color" media="\(prefers-color-scheme: dark\)"/);

    const manifest = JSON.parse((await read('manifest.webmanifest')).toString());
    assert.equal(manifest.name, 'Parley');
    assert.ok(manifest.short_name && manifest.description);
    assert.equal(manifest.start_url, './');
    assert.equal(manifest.scope, './');
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.theme_color && manifest.background_color);
    const icons = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
    assert.deepEqual(icons, ['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of [
      ...manifest.icons,
      { src: 'icons/apple-touch-icon.png', sizes: '180x180' },
    ]) {
      const [w, h] = pngSize(await read(icon.src));
      assert.equal(`${w}x${h}`, icon.sizes, icon.src);
    }
  });

  it('runs the store first, in a small script of its own, so stored state is read while the app downloads', async () => {
    const html = (await read('index.html')).toString();
    const scripts = [...html.matchAll(/<script type="module"[^>]*\ssrc="\.\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    assert.ok(scripts.length >= 2, `index.html loads the store and the app: ${scripts.join(', ')}`);
    const [first] = scripts;
    const { sources } = JSON.parse((await read(`${first}.map`)).toString());
    assert.ok(
      sources.some((s) => s.endsWith('src/read-ahead.ts')),
      `${first} starts the read-ahead`,
    );
    const app = sources.filter((s) => /src\/main\.ts$|\.svelte$|node_modules\/svelte\//.test(s));
    assert.deepEqual(app, [], `${first} holds none of the app's code`);
    const code = (await read(first)).toString();
    const imports = [...code.matchAll(/\b(?:import|from)\s*"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(imports, [], `${first} waits for no other file before it runs`);
  });

  it('has a service worker that precaches every file the app can load, and caches nothing else', async () => {
    const sw = (await read('sw.js')).toString();
    const precached = new Set([...sw.matchAll(/\burl:"([^"]+)"/g)].map((m) => m[1]));
    const files = (await filesUnder(DIST)).filter(
      (f) => !f.endsWith('.map') && !f.startsWith('.vite') && !/^(sw|workbox-[\w-]+)\.js$/.test(f),
    );
    assert.deepEqual(
      files.filter((f) => !precached.has(f)),
      [],
      'every chunk, worker, vocabulary, icon and page is precached',
    );
    // Each vocabulary once: the page has none of its own (the token worker holds them),
    // so an install downloads its megabytes once.
    for (const encoding of ['o200k_base', 'cl100k_base']) {
      const built = files.filter((f) => new RegExp(`^assets/${encoding}-[\\w-]+\\.js$`).test(f));
      assert.equal(built.length, 1, `${encoding} is built once: ${built.join(', ')}`);
      assert.ok(precached.has(built[0]), `${encoding} is precached`);
    }
    assert.doesNotMatch(sw, /registerRoute\((?!new \w+\.NavigationRoute)/, 'no runtime caching');
    assert.match(sw, /createHandlerBoundToURL\("404\.html"\)/);
    // A new version waits until the page asks (Reload), never on its own.
    assert.equal(sw.match(/skipWaiting\(\)/g)?.length, 1);
    assert.match(sw, /"SKIP_WAITING"===\w+\.data\.type&&self\.skipWaiting\(\)/);
  });

  it('has a 404.html whose one script its own policy allows by hash', async () => {
    const html = (await read('404.html')).toString();
    const [, script] = /<script>([\s\S]*?)<\/script>/.exec(html);
    const hash = createHash('sha256').update(script).digest('base64');
    assert.match(html, new RegExp(`script-src 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
    assert.match(html, /default-src 'none'/);
  });
});

for (const base of ['/parley/', '/']) {
  describe(`served at ${base}`, () => {
    let site;
    const profiles = [];
    after(async () => {
      for (const p of profiles) await p.close();
      await site?.close();
    });

    it('starts, and an address the site lacks leads to the app with its query and #fragment', async () => {
      site = await startStaticServer(DIST, base, { notFoundPage: true });
      const profile = await newProfile();
      profiles.push(profile);
      const { page } = profile;
      await page.goto(site.url);
      await page.getByRole('dialog', { name: 'Settings' }).waitFor();

      const response = await page.goto(`${site.url}deep/link/here?from=link#share-x`);
      assert.equal(response.status(), 404, 'the server answered with its 404.html');
      await page.waitForURL(`${site.url}?from=link#share-x`);
      await page.getByRole('dialog', { name: 'Settings' }).waitFor();
      assert.deepEqual(profile.pageErrors, []);
    });
  });
}
