// Installable and offline (issue 18), in real Chromium with the service worker on:
// once loaded, Parley opens and works without a network for everything but the API
// call, says so plainly when Send needs the network, and never switches to a newly
// deployed version under the user.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assertNoSeriousViolations, screenshots, useTheme } from './a11y.mjs';
import { newProfile } from './browser.mjs';
import { DIST, rendered, saved, useApp } from './harness.mjs';
import { startStaticServer } from './static-server.mjs';

const app = useApp({ serviceWorkers: 'allow' });
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const conversations = (page) => page.getByRole('navigation', { name: 'Conversations' });

/**
 * Waits until the app's service worker controls the page. The app registers it once
 * the page is idle and what the first Send needs has arrived; the first install
 * downloads every file of the app, so this can take a while on a busy machine.
 */
async function servedByWorker(page) {
  await page.waitForFunction(
    () => navigator.serviceWorker.controller?.state === 'activated',
    null,
    {
      timeout: 60_000,
    },
  );
}

/** The build a page runs (the `parley-build` meta of its index.html). */
function buildOf(page) {
  return page.evaluate(() => document.querySelector('meta[name="parley-build"]')?.content);
}

describe('offline', () => {
  it('opens with its conversations; Send says it is offline and keeps the draft; online again, it sends', async () => {
    const page = await app.openConfigured();
    await app.ask(page, 'First question');
    await saved(page);
    await conversations(page).getByRole('button', { name: 'New conversation' }).click();
    await app.ask(page, 'Second question');
    await saved(page);
    await servedByWorker(page);

    await app.profile.context.setOffline(true);
    await page.reload();
    // The shell, the list and the open conversation, all from the worker's cache.
    await messageBox(page).waitFor();
    // Debian's Chromium 150 applies the offline emulation to the network of a page the
    // service worker serves after a reload, but not to its `navigator.onLine`: set
    // again, it reaches the new page, which then says what an offline machine says.
    await app.profile.context.setOffline(false);
    await app.profile.context.setOffline(true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    const list = conversations(page);
    await list.getByText('First question').waitFor();
    await list.getByText('Second question').waitFor();
    await page
      .getByRole('article', { name: 'User message' })
      .getByText('Second question')
      .waitFor();
    // A stored conversation opens, its answer drawn as Markdown (a chunk loaded on
    // first need, offline).
    await list.getByRole('button', { name: /^First question/ }).click();
    await page.getByRole('article', { name: 'User message' }).getByText('First question').waitFor();
    await rendered(page);

    // Send cannot reach the endpoint: it says why, and nothing typed is lost.
    const before = app.chatRequests().length;
    await messageBox(page).fill('Are you there?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: /offline/i });
    await alert.waitFor();
    assert.match(await alert.innerText(), /You are offline/);
    assert.equal(await messageBox(page).inputValue(), 'Are you there?');
    assert.equal(app.chatRequests().length, before, 'nothing reached the server');

    // Back online, the same draft goes.
    await app.profile.context.setOffline(false);
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const [sent] = (await app.waitForChatRequests(before + 1)).slice(-1);
    assert.equal(sent.body.messages.at(-1).content, 'Are you there?');
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('article', { name: 'Assistant message' }).count(), 2);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('opens a deep link offline at the app, keeping its #fragment', async () => {
    const page = await app.openConfigured();
    await servedByWorker(page);
    await app.profile.context.setOffline(true);
    // The worker answers a path the app does not have with 404.html, which finds the app.
    await page.goto(`${app.site.url}some/deep/link?from=test#section`);
    await messageBox(page).waitFor();
    assert.equal(page.url(), `${app.site.url}?from=test#section`);
  });

  it('keeps only the app’s own files: no API traffic, no key', async () => {
    const page = await app.openConfigured();
    await servedByWorker(page);
    await app.ask(page, 'Anything cached?');
    const cached = await page.evaluate(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(request.url);
      }
      return urls;
    });
    assert.ok(cached.length > 20, `the app's files are precached (${cached.length})`);
    const site = new URL(app.site.url);
    for (const url of cached) {
      assert.ok(url.startsWith(site.href), `${url} is one of the app's files`);
    }
    assert.ok(!cached.some((url) => url.includes(new URL(app.api.url).host)));
    assert.ok(!cached.some((url) => url.includes(app.key)));
  });
});

describe('a new version', () => {
  it('waits until Reload; Reload switches to it', async () => {
    // Build B: the same app with another build stamp, so its index.html (and with it
    // the service worker's list of files) differs, as after a deployment.
    const next = `${DIST.replace(/\/$/, '')}-next`;
    await promisify(execFile)(
      'npx',
      ['vite', 'build', '--outDir', next, '--emptyOutDir', '--logLevel', 'error'],
      { cwd: ROOT, env: { ...process.env, PARLEY_BUILD: 'e2e-next' } },
    );
    const site = await startStaticServer(DIST, '/parley/');
    try {
      // Without the page's policy, as axe is injected as an inline script (a11y.test.mjs
      // says why); the tests above run the worker under the policy.
      app.profile = await newProfile({ serviceWorkers: 'allow', bypassCSP: true });
      const { page } = app.profile;
      await page.goto(site.url);
      await app.fillFirstRun(page);
      await servedByWorker(page);
      const first = await buildOf(page);
      assert.notEqual(first, 'e2e-next');
      await messageBox(page).fill('A thought half written');
      await saved(page);

      // Deployed: the page learns of it (as its hourly check or the next visit would).
      site.serve(next);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      const status = page.getByRole('status').filter({ hasText: 'Update available' });
      await status.waitFor({ timeout: 60_000 });
      // Nothing switched under the user.
      assert.equal(await buildOf(page), first);
      assert.equal(await messageBox(page).inputValue(), 'A thought half written');
      for (const theme of ['light', 'dark']) {
        await useTheme(page, theme);
        await assertNoSeriousViolations(page, `update available (${theme})`);
        await screenshots(page, 'update-available', theme, { subject: status });
      }

      await status.getByRole('button', { name: 'Reload' }).click();
      await page.waitForFunction(
        () => document.querySelector('meta[name="parley-build"]')?.content === 'e2e-next',
        null,
        { timeout: 30_000 },
      );
      await messageBox(page).waitFor();
      assert.equal(await messageBox(page).inputValue(), 'A thought half written');
      assert.equal(await page.getByText('Update available').count(), 0);
      assert.deepEqual(app.profile.pageErrors, []);
    } finally {
      await site.close();
    }
  });
});
