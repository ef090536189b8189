// Debian's Chromium for the bench, through playwright-core; never a downloaded browser.
// Every run gets a fresh --user-data-dir: an empty one, or a copy of a prepared profile
// (settings saved, a conversation imported) made once per bench, so runs never share
// state and a prepared profile costs its set-up once.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
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
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...extraArgs],
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
