/**
 * Debian's Chromium driven through playwright-core. No browser is ever downloaded: the
 * binary is /usr/bin/chromium (or $CHROMIUM_PATH).
 *
 * Each profile is a persistent context on a fresh temporary user-data-dir, so tests never
 * share storage, while a reload inside one profile keeps IndexedDB as a real browser does.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// Defined beside the replay server, which needs it without depending on playwright.
export { sharedFixturesDir, SHARED_ABSENT } from './replay-server.mjs';

/** The Chromium flags that work on this kind of machine (the bench uses them too). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Starts Chromium on the given profile directory.
 * @param {string} userDataDir
 * @param {{ bypassCSP?: boolean }} [options]
 * @returns {Promise<import('playwright-core').BrowserContext>}
 */
async function launchBrowser(userDataDir, { bypassCSP = false } = {}) {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. The end-to-end tests use Debian's Chromium ` +
        'and never download one: run `apt-get install chromium` (or set CHROMIUM_PATH).',
    );
  }
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    bypassCSP,
    // Dates and numbers render the same on every machine.
    locale: 'en-US',
    timezoneId: 'UTC',
  });
}

/**
 * A fresh browser profile with one page open.
 * `pageErrors` collects uncaught exceptions from every page, so a test can assert none.
 * `bypassCSP` lets a test inject a script of its own (axe-core): the app's policy
 * rightly allows only its own scripts, so suites that test the app itself keep it.
 */
export async function newProfile({ bypassCSP = false } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'parley-profile-'));
  const removeDir = () => rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  let context;
  try {
    context = await launchBrowser(userDataDir, { bypassCSP });
  } catch (err) {
    await removeDir();
    throw err;
  }
  const pageErrors = [];
  context.on('weberror', (webError) => pageErrors.push(webError.error()));
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    pageErrors,
    userDataDir,
    async close() {
      await context.close();
      await removeDir();
    },
  };
}
