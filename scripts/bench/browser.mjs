// Debian's Chromium for the bench, through playwright-core; never a downloaded browser.
// Every run gets a fresh --user-data-dir: an empty one, or a copy of a prepared profile
// (settings saved, a conversation imported) made once per bench, so runs never share
// state and a prepared profile costs its set-up once.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS as ARGS } from '../../tests/e2e/browser.mjs';
import { installProbe } from './probe.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Frames as soon as the page has one ready instead of at the next 60 Hz vsync (typing only).
 * Headless Chromium otherwise begins a frame every ~16.7 ms, so key → next frame would be
 * mostly the wait for that tick (a bare textarea measures ~8 ms on average), and a budget
 * under one frame could not tell the app's work from the clock.
 */
export const UNTHROTTLED_FRAMES = ['--disable-gpu-vsync', '--disable-frame-rate-limit'];

export const VIEWPORT = { width: 1440, height: 900 };

/**
 * Network conditions every page gets (`--network`): none by default, the bench's servers
 * being on this machine. `slow` is a 10 Mbit/s link with 40 ms of latency, where what a
 * page does while its scripts download shows (CDP Network.emulateNetworkConditions).
 */
const NETWORKS = {
  slow: { offline: false, latency: 40, downloadThroughput: 1.25e6, uploadThroughput: 1.25e6 },
};
let network = null;

/** Every page launched from now on gets these conditions (a key of NETWORKS). */
export function emulateNetwork(name) {
  if (!Object.hasOwn(NETWORKS, name)) {
    throw new Error(`Unknown network "${name}": one of ${Object.keys(NETWORKS).join(', ')}`);
  }
  network = NETWORKS[name];
}

/** A new, empty profile directory. */
export function freshProfileDir() {
  return mkdtempSync(join(tmpdir(), 'parley-bench-profile-'));
}

/** A fresh directory holding a copy of `template`, without its caches. */
export function copyProfile(template) {
  const dir = freshProfileDir();
  cpSync(template, dir, { recursive: true });
  for (const cache of ['Cache', 'Code Cache', 'GPUCache', 'DawnCache']) {
    rmSync(join(dir, 'Default', cache), { recursive: true, force: true });
  }
  // A profile copied from a browser that has exited holds no lock, but be sure.
  for (const lock of ['SingletonLock', 'SingletonCookie', 'SingletonSocket']) {
    rmSync(join(dir, lock), { force: true });
  }
  return dir;
}

export function removeProfile(dir) {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Chromium's own pages that a fresh headless Chromium 156 loads as it starts: the address
 * bar's suggestion popup, drawn as WebUI (two chrome://omnibox-popup.top-chrome pages, ~100
 * scripts, in a renderer of their own). Headless never shows them, and a browser someone
 * uses loaded them when it started, not with the page they open; here they take one of the
 * machine's two cores for the first ~400 ms after every launch, just when a cold load is
 * measured (interleaved, 10 runs each: cold load 319 → 208 ms, the bare page 107 → 67).
 */
const BROWSER_UI_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/** The arguments of the running Chromium browser process on profile `dir` (Linux /proc). */
function browserArgs(dir) {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args;
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    const browser = !args.some((a) => a.startsWith('--type='));
    if (browser && args.includes(`--user-data-dir=${dir}`)) return args;
  }
  throw new Error(`no Chromium browser process found for ${dir}`);
}

let featureOptions;
/**
 * Launch options that add BROWSER_UI_FEATURES to the features playwright-core disables.
 * Chromium reads only the last --disable-features, so the bench cannot simply add its own:
 * it reads playwright's from a browser launched once for that, and passes the union in its
 * place (`ignoreDefaultArgs` drops playwright's).
 */
async function withoutBrowserUi() {
  if (!featureOptions && !existsSync('/proc/self/cmdline')) {
    console.warn('No /proc here: the bench leaves Chromium its address bar popup pages.');
    featureOptions = { ignoreDefaultArgs: [], args: [] };
  }
  if (!featureOptions) {
    const dir = freshProfileDir();
    try {
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
      });
      let given;
      try {
        given = browserArgs(dir).filter((a) => a.startsWith('--disable-features='));
      } finally {
        await context.close();
      }
      if (given.length !== 1) throw new Error(`expected one --disable-features, got ${given}`);
      const theirs = given[0].slice('--disable-features='.length).split(',').filter(Boolean);
      featureOptions = {
        ignoreDefaultArgs: given,
        args: [`--disable-features=${[...new Set([...theirs, ...BROWSER_UI_FEATURES])]}`],
      };
    } finally {
      removeProfile(dir);
    }
  }
  return featureOptions;
}

/**
 * Chromium on `dir`, with the probe installed in every page before the app's scripts.
 * @param {string} dir
 * @param {{ probe?: object, extraArgs?: string[], viewport?: {width: number, height: number} }} [options]
 */
export async function launch(dir, { probe = {}, extraArgs = [], viewport = VIEWPORT } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The bench uses Debian's Chromium and never downloads ` +
        'one: run `apt-get install chromium` (or set CHROMIUM_PATH).',
    );
  }
  const features = await withoutBrowserUi();
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: features.ignoreDefaultArgs,
    args: [...ARGS, ...features.args, ...extraArgs],
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    // The bench measures the page, not the service worker: its install downloads the
    // whole app in the background (counted by no budget), and a profile copied for a
    // warm run would otherwise be served from its cache.
    serviceWorkers: 'block',
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  await context.addInitScript(installProbe, probe);
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  return {
    context,
    page,
    cdp,
    errors,
    /**
     * The page's JS heap (CDP JSHeapUsedSize) after two full garbage collections, in
     * bytes, and its DOM size (`document.querySelectorAll('*').length`; CDP's node count).
     */
    async memory() {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const metrics = await this.metrics();
      const elements = await page.evaluate(() => document.querySelectorAll('*').length);
      return { heapBytes: metrics.JSHeapUsedSize, elements, nodes: metrics.Nodes };
    },
    /** CDP Performance.getMetrics as { name: value }. */
    async metrics() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    },
    async close() {
      await context.close();
    },
  };
}

/** Chromium's version line, e.g. "Chromium 156.0.8078.114 built on Debian …". */
export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}
