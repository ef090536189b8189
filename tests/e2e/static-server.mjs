/**
 * Serves a built app under a sub-path, the way GitHub Pages serves it at `/<repo>/`, so the
 * end-to-end tests catch absolute asset URLs that would only work at `/`.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * @param {string} distDir the build output (e.g. dist-e2e)
 * @param {string} [basePath] the sub-path to serve it under, with leading and trailing slash
 * @param {{ notFoundPage?: boolean }} [options] `notFoundPage`: answer a path the build
 *   lacks with its 404.html (status 404), as GitHub Pages does; else a plain "Not found"
 * @returns {Promise<{ url: string, serve(distDir: string): void, close(): Promise<void> }>}
 *   url ends with basePath; `serve` swaps the folder served (a new version deployed)
 */
export async function startStaticServer(distDir, basePath = '/parley/', { notFoundPage } = {}) {
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) {
    throw new Error(`static server: basePath must start and end with "/", got "${basePath}"`);
  }
  let root = resolve(distDir);

  const server = createServer(async (req, res) => {
    res.on('error', () => {});
    const notFound = async (ours = true) => {
      const page =
        ours && notFoundPage && (await readFile(join(root, '404.html')).catch(() => null));
      if (page) {
        res.writeHead(404, { 'Content-Type': CONTENT_TYPES['.html'], 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : page);
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const { pathname } = new URL(req.url, 'http://static');
    // Like GitHub Pages: the bare sub-path redirects to the directory.
    if (pathname === basePath.slice(0, -1)) {
      res.writeHead(301, { Location: basePath });
      res.end();
      return;
    }
    if (!pathname.startsWith(basePath)) return notFound(false); // another site's path

    let relative;
    try {
      relative = decodeURIComponent(pathname.slice(basePath.length));
    } catch {
      return notFound();
    }
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = resolve(root, relative);
    if (!file.startsWith(root + sep)) return notFound(); // no escaping the build folder

    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound();
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      // Every run builds afresh; never let a cached asset from an earlier build answer.
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    serve(nextDir) {
      root = resolve(nextDir);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
