// Typing into the Message box of a long conversation: key → next frame.
//
// Event Timing cannot give this figure: Chromium reports no event under 16 ms (the lowest
// durationThreshold), and the budget is 8. So the probe measures it (probe.mjs, `keys`):
// from the keydown's `timeStamp` (when the browser received the key) to the end of the
// first frame rendered after the key's `input` event (requestAnimationFrame, then a message
// posted from it). Event Timing still counts the keys whose keydown/keypress/input took
// 16 ms or more, as a cross-check. Frames are unthrottled (browser.mjs UNTHROTTLED_FRAMES),
// and the same keys typed into a bare <textarea> in the same browser give the floor.
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { messageBox } from '../app.mjs';
import { UNTHROTTLED_FRAMES } from '../browser.mjs';
import { CONVERSATIONS } from '../conversation-file.mjs';
import { median, quantile } from '../report.mjs';
import { inBrowser, longestTask, painted, probeRecord, settled } from '../session.mjs';

/** ~50 keys at a fast typist's pace, so the app's timers (autosave) run between them. */
const TYPED = 'the quick brown fox jumps over the lazy dog again ok';
const CADENCE_MS = 100;

/** Types `text` key by key, each once the last one's frame is painted, `cadence` ms apart. */
async function typeKeys(page, text, cadence) {
  const from = await page.evaluate(() => window.__parleyBench.keys.length);
  const start = performance.now();
  for (let i = 0; i < text.length; i++) {
    const due = start + i * cadence - performance.now();
    if (due > 0) await sleep(due); // the typist's pace, not a wait for the page
    await page.keyboard.type(text[i]);
    await page.evaluate((n) => window.__parleyBench.whenKey(n), from + i + 1);
  }
  const { keys, events, longTasks } = await probeRecord(page);
  const mine = keys.slice(from);
  return {
    latencies: mine.map((k) => k.frameEnd - k.at),
    // Event Timing entries of these keys (reported from 16 ms on), one per key at most.
    slowKeys: mine.filter((k, i) => {
      const next = mine[i + 1]?.at ?? Infinity;
      return events.some(
        (e) =>
          ['keydown', 'keypress', 'input'].includes(e.name) &&
          e.start >= k.at - 1 &&
          e.start < next,
      );
    }).length,
    longestTask: longestTask(longTasks, mine[0].at).longest,
  };
}

export function typing(ctx, size) {
  const conversation = CONVERSATIONS[size];
  const { marker } = conversation;
  return {
    id: `typing-${size}`,
    title: `${conversation.label}: key → next frame`,
    async run() {
      const template = await ctx.profiles.seeded(conversation);
      const options = { probe: { markers: [marker] }, extraArgs: UNTHROTTLED_FRAMES };
      return inBrowser(template, options, async ({ page }) => {
        // The floor: the same keys into a bare textarea, in this browser.
        await page.goto(
          'data:text/html,<title>floor</title><textarea aria-label="Message"></textarea>',
        );
        await messageBox(page).click();
        const floor = await typeKeys(page, TYPED.slice(0, 20), 0);
        await page.goto(ctx.site.url, { waitUntil: 'commit' });
        await painted(page, marker);
        await settled(page);
        await messageBox(page).click();
        const typed = await typeKeys(page, TYPED, CADENCE_MS);
        return {
          median: median(typed.latencies),
          p95: quantile(typed.latencies, 0.95),
          floorMedian: median(floor.latencies),
          slowKeys: typed.slowKeys,
          keys: typed.latencies.length,
          longestTask: typed.longestTask,
          latencies: typed.latencies.map((l) => +l.toFixed(1)),
        };
      });
    },
    rows(samples) {
      const v = (k) => samples.map((s) => s[k]);
      return [
        { metric: 'key → next frame, median of the keys', unit: 'ms', values: v('median'), max: 8 },
        { metric: 'key → next frame, p95 of the keys', unit: 'ms', values: v('p95'), max: 16 },
        { metric: 'keys with an Event Timing entry ≥ 16 ms', unit: 'count', values: v('slowKeys') },
        { metric: 'bare textarea, key → next frame (floor)', unit: 'ms', values: v('floorMedian') },
      ];
    },
    details: (samples) => ({
      keysPerRun: TYPED.length,
      cadenceMs: CADENCE_MS,
      frames: 'unthrottled (--disable-gpu-vsync --disable-frame-rate-limit)',
      runs: samples,
    }),
  };
}
