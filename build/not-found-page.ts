import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

// Writes 404.html beside index.html (template: build/404.html). GitHub Pages serves
// it for any address the site lacks; it finds the app's folder and opens it with the
// same query and #fragment, so share links and deep links survive. Its one inline
// script is allowed by its hash, computed here, so the page's policy stays strict.

interface Options {
  appName: string;
  manifestFile: string;
}

/** The template with its placeholders filled and its script's hash in its policy. */
function notFoundHtml(template: string, { appName, manifestFile }: Options): string {
  const html = template
    .replaceAll('%APP_NAME%', appName)
    .replaceAll('%MANIFEST_FILE%', manifestFile);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
  if (scripts.length !== 1)
    throw new Error(`404.html: expected one inline script, found ${scripts.length}`);
  const hash = createHash('sha256').update(scripts[0]![1]!, 'utf8').digest('base64');
  return html.replace('%SCRIPT_HASH%', `'sha256-${hash}'`);
}

export function notFoundPage(options: Options): Plugin {
  let root = process.cwd();
  return {
    name: 'parley:not-found-page',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    async generateBundle() {
      const template = await readFile(resolve(root, 'build/404.html'), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: '404.html',
        source: notFoundHtml(template, options),
      });
    },
  };
}
