// The Content Security Policy (SECURITY.md): the built index.html carries it, exactly,
// ahead of anything it governs, and Chromium enforces it on the running app. That the app
// itself never trips it is checked by every other test (browser.mjs fails a test on any
// `securitypolicyviolation`); here the refusals are provoked on purpose.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { markdownAnswer, RICH_ANSWER } from './a11y.mjs';
import { DIST, useApp } from './harness.mjs';

const EXPECTED = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "style-src-elem 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  'media-src blob:',
  "manifest-src 'self'",
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types svelte-trusted-html parley-html parley-worker parley-stream parley-sw',
].join('; ');

/** The built page, and the content of its CSP <meta> with where in the page it sits. */
async function builtPolicy() {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const metas = [...html.matchAll(/<meta\b[^>]*>/gi)].filter((m) =>
    /http-equiv\s*=\s*"content-security-policy"/i.test(m[0]),
  );
  assert.equal(metas.length, 1, 'one CSP <meta> in the built index.html');
  const [meta] = metas;
  const content = /\bcontent\s*=\s*"([^"]*)"/i.exec(meta[0])?.[1];
  assert.ok(content, 'the CSP <meta> has a content attribute');
  return {
    html,
    content: content.replaceAll('&#39;', "'").replaceAll('&amp;', '&'),
    at: meta.index,
  };
}

/** Directive name -> its source list. */
function parse(policy) {
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    assert.ok(!directives.has(name), `${name} appears once`);
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

describe('the built index.html', () => {
  it('carries exactly the documented policy', async () => {
    const { content } = await builtPolicy();
    assert.equal(content.trim().replace(/\s+/g, ' '), EXPECTED);
  });

  it('allows no inline or eval script, no wildcard connection, and requires Trusted Types', async () => {
    const csp = parse((await builtPolicy()).content);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    for (const name of [
      'script-src',
      'worker-src',
      'style-src',
      'connect-src',
      'img-src',
      'manifest-src',
    ]) {
      const sources = csp.get(name) ?? [];
      for (const loose of ["'unsafe-eval'", "'unsafe-hashes'", '*', 'http:', 'blob:']) {
        assert.ok(!sources.includes(loose), `${name} does not allow ${loose}`);
      }
    }
    // The one 'unsafe-inline' is for <style> elements (CodeMirror's, SECURITY.md).
    for (const [name, sources] of csp) {
      if (name !== 'style-src-elem') assert.ok(!sources.includes("'unsafe-inline'"), name);
    }
    assert.ok(!csp.has('style-src-attr'), 'style attributes fall back to style-src');
    assert.ok(!(csp.get('connect-src') ?? []).includes('*'));
    assert.deepEqual(csp.get('require-trusted-types-for'), ["'script'"]);
    assert.ok(!(csp.get('trusted-types') ?? []).includes("'allow-duplicates'"));
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
  });

  it("names the Trusted Types policy Svelte's runtime creates", async () => {
    // Svelte clones its compiled templates through a policy of its own: if an upgrade
    // renames it, the page cannot start. The name is read from the installed Svelte.
    const reconciler = '../../node_modules/svelte/src/internal/client/dom/reconciler.js';
    const source = await readFile(fileURLToPath(new URL(reconciler, import.meta.url)), 'utf8');
    const names = [...source.matchAll(/createPolicy\(\s*'([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual(names, ['svelte-trusted-html']);
    const allowed = parse((await builtPolicy()).content).get('trusted-types');
    assert.ok(allowed.includes(names[0]));
  });

  it('puts the policy before every script and stylesheet, and has nothing inline', async () => {
    const { html, at } = await builtPolicy();
    const first = html.search(/<(?:script|link|style)\b/i);
    assert.ok(first > at, 'the CSP <meta> comes before what it governs');
    assert.doesNotMatch(html, /<script\b(?![^>]*\bsrc=)[^>]*>/i, 'no inline <script>');
    assert.doesNotMatch(html, /<style\b/i, 'no <style> element');
    assert.doesNotMatch(html, /\sstyle\s*=/i, 'no style attribute');
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no event handler attribute');
  });
});

describe('in Chromium', () => {
  const app = useApp();

  it('refuses HTML strings, eval, foreign policies, plain http and outside images', async () => {
    const page = await app.openConfigured();
    // An answer first: the renderer has loaded, so `parley-html` exists.
    app.api.enqueue(markdownAnswer(RICH_ANSWER));
    const draft = page.getByRole('textbox', { name: 'Message', exact: true });
    await draft.fill('A tiny server, please');
    await draft.press('Control+Enter');
    const answer = page.getByRole('article', { name: 'Assistant message' }).last();
    await answer.locator('pre .hljs-keyword').first().waitFor();
    assert.deepEqual(app.profile.takeViolations(), [], 'the answer rendered within the policy');

    const outcomes = await page.evaluate(async () => {
      const attempt = async (run) => {
        try {
          await run();
          return 'allowed';
        } catch (e) {
          return e.name;
        }
      };
      return {
        innerHTML: await attempt(() => {
          document.createElement('div').innerHTML = '<img src=x>';
        }),
        // Later, in a task of the page's own: code Playwright evaluates may use eval.
        eval: await new Promise((done) => setTimeout(() => attempt(() => eval('1')).then(done))),
        newPolicy: await attempt(() => trustedTypes.createPolicy('mine', { createHTML: (s) => s })),
        // The app's own name cannot be taken over by a second caller.
        parleyHtml: await attempt(() =>
          trustedTypes.createPolicy('parley-html', { createHTML: (s) => s }),
        ),
        plainHttp: await attempt(() => fetch('http://example.invalid/v1/models')),
        image: await new Promise((done) => {
          const img = new Image();
          img.onload = () => done('allowed');
          img.onerror = () => done('blocked');
          img.src = 'https://example.invalid/pixel.png';
        }),
      };
    });
    assert.deepEqual(outcomes, {
      innerHTML: 'TypeError',
      eval: 'EvalError',
      newPolicy: 'TypeError',
      parleyHtml: 'TypeError',
      plainHttp: 'TypeError',
      image: 'blocked',
    });
    // Each refusal was reported. (eval of a string is a Trusted Types sink first: it is
    // refused there, before script-src, which allows no 'unsafe-eval' either.)
    const refused = app.profile.takeViolations().map((v) => v.directive);
    assert.deepEqual(refused.sort(), [
      'connect-src',
      'img-src',
      'require-trusted-types-for',
      'require-trusted-types-for',
      'trusted-types',
      'trusted-types',
    ]);
    assert.deepEqual(app.profile.pageErrors, []);
  });
});
