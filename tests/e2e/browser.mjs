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
  // A microphone that plays a tone, granted without asking (Record audio).
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

/**
 * Starts Chromium on the given profile directory.
 * @param {string} userDataDir
 * @param {{ bypassCSP?: boolean, serviceWorkers?: 'allow' | 'block' }} [options]
 * @returns {Promise<import('playwright-core').BrowserContext>}
 */
async function launchBrowser(userDataDir, { bypassCSP = false, serviceWorkers = 'block' } = {}) {
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
    serviceWorkers,
    // Dates and numbers render the same on every machine.
    locale: 'en-US',
    timezoneId: 'UTC',
  });
}

/** One `securitypolicyviolation` event, as the page saw it. */
function describeViolation(v) {
  const sample = v.sample ? ` "${v.sample}"` : '';
  return `${v.directive} blocked ${v.blocked || '(nothing named)'}${sample} at ${v.source} (page ${v.page})`;
}

/**
 * Records every Content Security Policy violation in the profile's pages into
 * `violations`: a listener on the document, capturing, added before any of the
 * page's own scripts run, and reporting to this process, so that what happened
 * before a reload or in a second tab is not lost.
 */
async function recordViolations(context, violations) {
  await context.exposeBinding('__parleyCspViolation', (_source, violation) => {
    violations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        window.__parleyCspViolation({
          directive: e.effectiveDirective,
          blocked: e.blockedURI,
          sample: e.sample,
          source: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
          page: location.href,
        });
      },
      true,
    );
  });
}

/**
 * A fresh browser profile with one page open.
 * `pageErrors` collects uncaught exceptions from every page, so a test can assert none.
 * `violations` collects the Content Security Policy's refusals (a blocked style, a string
 * handed to innerHTML, a policy the page may not create) and `close()` fails on any, so
 * every test that opens the app also proves it runs under its own policy. A test that
 * provokes a refusal on purpose takes it out with `takeViolations()`.
 * `bypassCSP` lets a test inject a script of its own (axe-core): the app's policy
 * rightly allows only its own scripts, so suites that test the app itself keep it.
 * Without the policy nothing can violate it: such profiles are exempt from the check,
 * and the suites that keep the policy cover the same screens.
 * `serviceWorkers: 'allow'` lets the app install its service worker (offline.test.mjs);
 * elsewhere it is blocked, so no test downloads the whole app in the background, and
 * every load comes from the server as it is now.
 */
export async function newProfile({ bypassCSP = false, serviceWorkers = 'block' } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'parley-profile-'));
  const removeDir = () => rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  let context;
  try {
    context = await launchBrowser(userDataDir, { bypassCSP, serviceWorkers });
  } catch (err) {
    await removeDir();
    throw err;
  }
  const pageErrors = [];
  context.on('weberror', (webError) => pageErrors.push(webError.error()));
  const violations = [];
  try {
    await recordViolations(context, violations);
  } catch (err) {
    await context.close();
    await removeDir();
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    pageErrors,
    violations,
    userDataDir,
    /** The violations recorded so far, which then no longer fail the profile. */
    takeViolations() {
      return violations.splice(0);
    },
    /** Closes the browser; throws if the page broke its Content Security Policy. */
    async close() {
      // A round trip to each page first, so reports already sent are in.
      await Promise.all(context.pages().map((p) => p.evaluate(() => 0).catch(() => {})));
      await context.close();
      await removeDir();
      if (violations.length > 0 && !bypassCSP) {
        throw new Error(
          `The page broke its Content Security Policy ${violations.length} time(s):\n` +
            violations.map(describeViolation).join('\n'),
        );
      }
    },
  };
}
