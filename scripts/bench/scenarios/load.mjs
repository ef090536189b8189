// Loading: a cold load until Send can be used, and long conversations opened from storage.
//
// Reference row (no budget): after each of Parley's runs, a fresh Chromium loads the bare
// page (scripts/bench/bare/: static HTML, a textarea and an enabled Send button, no
// framework, no storage) and the probe times navigation → its Send button painted, the
// same way as Parley's. The machine's load moves both; "Parley minus the bare page", run by
// run, is what Parley adds to what any page's first frame costs.
import { CONVERSATIONS } from '../conversation-file.mjs';
import { referenceRows } from '../report.mjs';
import { inBrowser, longestTask, painted, probeRecord, settled } from '../session.mjs';

const MB = 1024 * 1024;

/** The page's first-contentful-paint entry (it is reported a little after the frame). */
function firstContentfulPaint(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 10_000);
        new PerformanceObserver((list, observer) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (!entry) return;
          clearTimeout(timer);
          observer.disconnect();
          resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
}

/** Navigation → the bare page's Send button painted, in its own fresh Chromium. */
function bareLoad(ctx) {
  return inBrowser(null, { probe: { button: 'Send' } }, async ({ page }) => {
    await page.goto(ctx.bare.url, { waitUntil: 'commit' });
    const button = await page.evaluate(() => window.__parleyBench.whenButton());
    return button.paintedAt;
  });
}

/** The load rows' reference rows (report.mjs). */
const bareRows = (samples, key) =>
  referenceRows(
    samples,
    key,
    'bare page, navigation → its button painted (the machine now; no budget)',
  );

/**
 * Navigation start → the Send button enabled, and that frame painted. Send is disabled
 * while the draft is empty (by design), so the profile holds a saved one-word draft: the
 * button is usable as soon as the app has restored the conversation. The probe polls for
 * it once per frame from the first frame on (probe.mjs, `button`); no harness round trip
 * is inside the figure.
 */
export function coldLoad(ctx) {
  return {
    id: 'cold-load',
    title: 'cold load (key and endpoint saved, a draft) → Send usable',
    async run() {
      const parley = await inBrowser(
        await ctx.profiles.withDraft(),
        { probe: { button: 'Send' } },
        async (b) => {
          await b.page.goto(ctx.site.url, { waitUntil: 'commit' });
          const button = await b.page.evaluate(() => window.__parleyBench.whenButton());
          const fcp = await firstContentfulPaint(b.page);
          await settled(b.page);
          const { longTasks } = await probeRecord(b.page);
          return {
            usable: button.paintedAt,
            seen: button.seenAt,
            fcp,
            longestTask: longestTask(longTasks, 0, button.paintedAt).longest,
            // What loads after the first paint (the parameters, the request code) comes now.
            longestTaskAfter: longestTask(longTasks, button.paintedAt).longest,
          };
        },
      );
      return { ...parley, bare: await bareLoad(ctx) };
    },
    rows(samples) {
      const v = (k) => samples.map((s) => s[k]);
      return [
        { metric: 'navigation → Send enabled, painted', unit: 'ms', values: v('usable'), max: 300 },
        ...bareRows(samples, 'usable'),
        { metric: 'navigation → first contentful paint', unit: 'ms', values: v('fcp') },
        { metric: 'longest task before Send was usable', unit: 'ms', values: v('longestTask') },
        {
          metric: 'longest task after Send was usable, until idle',
          unit: 'ms',
          values: v('longestTaskAfter'),
        },
      ];
    },
    details: (samples) => ({ runs: samples }),
  };
}

/** A long conversation (the one open when the app was last closed) opened on load. */
export function openLong(ctx, size) {
  const conversation = CONVERSATIONS[size];
  const { marker } = conversation;
  return {
    id: `open-${size}`,
    title: `${conversation.label}: opened from storage`,
    async run() {
      const template = await ctx.profiles.seeded(conversation);
      const parley = await inBrowser(template, { probe: { markers: [marker] } }, async (b) => {
        await b.page.goto(ctx.site.url, { waitUntil: 'commit' });
        const shown = await painted(b.page, marker);
        await settled(b.page);
        await b.cdp.send('Performance.enable');
        const before = await b.metrics();
        const memory = await b.memory();
        const { longTasks, probeMs } = await probeRecord(b.page);
        return {
          newestShown: shown.shownAt,
          newestInDom: shown.inDomAt,
          heapMB: memory.heapBytes / MB,
          heapBeforeGcMB: before.JSHeapUsedSize / MB,
          elements: memory.elements,
          nodes: memory.nodes,
          longestTaskUntilShown: longestTask(longTasks, 0, shown.shownAt).longest,
          // A long conversation opens newest first: the rest arrives after that paint.
          longestTaskAfterShown: longestTask(longTasks, shown.shownAt).longest,
          probeMs,
        };
      });
      return { ...parley, bare: await bareLoad(ctx) };
    },
    rows(samples) {
      const v = (k) => samples.map((s) => s[k]);
      return [
        {
          metric: 'navigation → newest message painted on screen',
          unit: 'ms',
          values: v('newestShown'),
          max: 400,
        },
        ...bareRows(samples, 'newestShown'),
        { metric: 'JS heap used, after GC', unit: 'MB', values: v('heapMB'), max: 20 },
        { metric: 'DOM elements', unit: 'count', values: v('elements'), max: 5000 },
        {
          metric: 'longest task before it was painted',
          unit: 'ms',
          values: v('longestTaskUntilShown'),
        },
        {
          metric: 'longest task after it was painted, until idle (the rest read in)',
          unit: 'ms',
          values: v('longestTaskAfterShown'),
        },
      ];
    },
    details: (samples) => ({
      messages: conversation.messages,
      codeBlocks: conversation.code,
      runs: samples,
    }),
  };
}
