// Streaming: one answer at full speed (2,000 and 10,000 tokens), one at 100 tokens/s, and
// four compare panes at once.
//
// "Last byte": the Resource Timing entry of each /chat/completions request (the page's,
// or its worker's), `responseEnd` (when the browser had the whole body), matched to its
// answer by the Server-Timing header the bench server sends. "Painted": the end of the frame whose
// rendering first held the answer's final token (probe.mjs markers), whether or not the
// app has scrolled it into view; a separate row says whether it ended on screen.
// Both are performance.now() values of the page (a worker's moved onto the page's clock by
// their timeOrigins): no clock crosses a process.
//
// Reference rows (no budget) for the full-speed answers: after each of Parley's runs, the
// same answer on a bare page (scripts/bench/bare/: a worker's fetch and JSON.parse, one text
// node), measured the same way. The machine's load moves both; "Parley minus the bare page",
// run by run, is what Parley adds to what any page must do.
//
// "Busy" (100 tokens/s): CDP Performance.getMetrics TaskDuration, the renderer main
// thread's summed task time, read when the server sends the first byte and again after
// the last, over the CDP Timestamp between the two readings.
import { compareWith, enabled, messageBox, sendButton } from '../app.mjs';
import { VIEWPORT } from '../browser.mjs';
import { referenceRows } from '../report.mjs';
import { inBrowser, longestTask, probeRecord, settled } from '../session.mjs';

const PROMPT = 'Explain it at length, with code.';
/** Compare panes need room to be on screen side by side. */
const COMPARE_VIEWPORT = { width: 2400, height: 900 };

/**
 * responseEnd of each chat request, by the marker its Server-Timing names, on the page's
 * clock: from the page's Resource Timing and its workers' (the app fetches streamed
 * answers in a worker), each worker's entry moved by the difference of the two
 * `timeOrigin`s (both high-resolution times of one machine clock).
 */
async function lastBytes(page) {
  const read = () => [
    performance.timeOrigin,
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('/chat/completions'))
      .map((e) => [e.serverTiming.find((s) => s.name === 'bench')?.description, e.responseEnd]),
  ];
  const [origin, own] = await page.evaluate(read);
  const ends = Object.fromEntries(own);
  for (const worker of page.workers()) {
    const [workerOrigin, entries] = await worker.evaluate(read).catch(() => [0, []]);
    for (const [marker, end] of entries) ends[marker] = end + workerOrigin - origin;
  }
  return ends;
}

/**
 * The bench server's clock minus the page's (both ms since the epoch), from the fastest of
 * a few round trips: right to within `rtt / 2`. Only for the cross-check in the details.
 */
function clockOffset(page, url) {
  return page.evaluate(async (clockUrl) => {
    let best;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.timeOrigin + performance.now();
      const { now } = await (await fetch(clockUrl, { cache: 'no-store' })).json();
      const t1 = performance.timeOrigin + performance.now();
      if (!best || t1 - t0 < best.rtt) best = { offset: now - (t0 + t1) / 2, rtt: t1 - t0 };
    }
    return best;
  }, url);
}

/** Sends one prompt: `panes` answers of `tokens` tokens at `rate` tokens/s (0 = full speed). */
async function streamRun(ctx, i, { tokens, rate, panes = 1 }) {
  const viewport = panes > 1 ? COMPARE_VIEWPORT : VIEWPORT;
  return inBrowser(await ctx.profiles.configured(), { viewport }, async (b) => {
    const { page } = b;
    await page.goto(ctx.site.url, { waitUntil: 'commit' });
    await messageBox(page).waitFor();
    if (panes > 1) await compareWith(page, panes);
    await messageBox(page).fill(PROMPT);
    const send = await enabled(sendButton(page));
    const clock = await clockOffset(page, ctx.api.clockUrl);
    await settled(page);
    const markers = Array.from({ length: panes }, (_, k) => `Zq${tokens}r${i}p${k + 1}end`);
    ctx.api.configure({ tokens, tokensPerSecond: rate });
    ctx.api.expect(...markers);
    await page.evaluate((m) => window.__parleyBench.watch(...m), markers);
    const from = ctx.api.answers.length;
    const sentAt = await page.evaluate(() => performance.now());
    await send.click();

    let busy;
    if (rate > 0) {
      await ctx.api.waitForFirstByte(from);
      const [m1, p1] = [await b.metrics(), (await probeRecord(page)).probeMs];
      await ctx.api.waitForAnswers(1, { from });
      const [m2, p2] = [await b.metrics(), (await probeRecord(page)).probeMs];
      const wallMs = 1000 * (m2.Timestamp - m1.Timestamp);
      busy = {
        percent: (100 * 1000 * (m2.TaskDuration - m1.TaskDuration)) / wallMs,
        scriptPercent: (100 * 1000 * (m2.ScriptDuration - m1.ScriptDuration)) / wallMs,
        layoutPercent: (100 * 1000 * (m2.LayoutDuration - m1.LayoutDuration)) / wallMs,
        stylePercent: (100 * 1000 * (m2.RecalcStyleDuration - m1.RecalcStyleDuration)) / wallMs,
        probePercent: (100 * (p2 - p1)) / wallMs,
        wallMs,
      };
    }
    const answers = await ctx.api.waitForAnswers(panes, { from, timeoutMs: 300_000 });
    const shown = await page.evaluate(
      (m) => Promise.all(m.map((x) => window.__parleyBench.whenPainted(x, { onScreen: false }))),
      markers,
    );
    const end = Math.max(...shown.map((s) => s.paintedAt));
    const ends = await lastBytes(page);
    await settled(page);
    const onScreen = await page.evaluate(
      (m) => Promise.all(m.map((x) => window.__parleyBench.isOnScreen(x))),
      markers,
    );
    const { longTasks, probeMs } = await probeRecord(page);
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    const perAnswer = markers.map((m, k) => {
      const answer = answers.find((a) => a.marker === m);
      if (!answer || answer.aborted) throw new Error(`the answer ending in ${m} did not complete`);
      if (ends[m] === undefined) throw new Error(`no Resource Timing entry names ${m}`);
      return {
        marker: m,
        afterLastByte: shown[k].paintedAt - ends[m],
        // Cross-check: the server's own last-byte time, brought onto the page's clock.
        afterServerLastByte: timeOrigin + shown[k].paintedAt - (answer.lastByteAt - clock.offset),
        streamMs: answer.lastByteAt - answer.firstByteAt,
        onScreen: onScreen[k],
      };
    });
    const tasks = longestTask(longTasks, sentAt, end);
    return {
      worst: Math.max(...perAnswer.map((a) => a.afterLastByte)),
      perAnswer,
      onScreen: onScreen.filter(Boolean).length,
      longestTask: tasks.longest,
      longTasks: tasks.count,
      busy,
      clockRttMs: clock.rtt,
      probeMs,
      pageErrors: b.errors,
    };
  });
}

/**
 * The same answer on the bare page (scripts/bench/bare/: a worker's fetch and JSON.parse, one
 * text node), in its own fresh Chromium right after Parley's run: what the machine, as busy
 * as it is at that moment, takes for the least any page must do.
 */
async function bareRun(ctx, i, tokens) {
  return inBrowser(null, {}, async ({ page }) => {
    await page.goto(`${ctx.bare.url}?api=${encodeURIComponent(ctx.api.url)}`);
    await page.getByRole('textbox', { name: 'Message' }).fill(PROMPT);
    await settled(page);
    const marker = `Zq${tokens}r${i}bare`;
    ctx.api.configure({ tokens, tokensPerSecond: 0 });
    ctx.api.expect(marker);
    await page.evaluate((m) => window.__parleyBench.watch(m), marker);
    const from = ctx.api.answers.length;
    await page.getByRole('button', { name: 'Send' }).click();
    await ctx.api.waitForAnswers(1, { from, timeoutMs: 300_000 });
    const shown = await page.evaluate(
      (m) => window.__parleyBench.whenPainted(m, { onScreen: false }),
      marker,
    );
    const end = (await lastBytes(page))[marker];
    if (end === undefined) throw new Error(`no Resource Timing entry names ${marker}`);
    return shown.paintedAt - end;
  });
}

const onScreenRow = (samples, panes) => ({
  metric: `answers whose end is on screen afterwards (of ${panes})`,
  unit: 'count',
  values: samples.map((s) => s.onScreen),
});

export function stream(ctx, tokens) {
  return {
    id: `stream-${tokens}`,
    title: `${tokens.toLocaleString('en-US')} tokens at full speed`,
    run: async (i) => ({
      ...(await streamRun(ctx, i, { tokens, rate: 0 })),
      bare: await bareRun(ctx, i, tokens),
    }),
    rows: (samples) => [
      {
        metric: 'last token painted after last byte',
        unit: 'ms',
        values: samples.map((s) => s.worst),
        max: tokens <= 2000 ? 30 : 50,
      },
      ...referenceRows(
        samples,
        'worst',
        'the same, bare page right after (the machine now; no budget)',
      ),
      {
        metric: 'longest task, Send → last token (0: none over 50)',
        unit: 'ms',
        values: samples.map((s) => s.longestTask),
        max: 50,
      },
      onScreenRow(samples, 1),
    ],
    details: (samples) => ({ runs: samples }),
  };
}

export function steadyStream(ctx) {
  const tokens = 500;
  return {
    id: 'stream-100tps',
    title: `${tokens} tokens at 100 tokens/s`,
    run: (i) => streamRun(ctx, i, { tokens, rate: 100 }),
    rows: (samples) => [
      {
        metric: 'main thread busy, first → last byte (CDP TaskDuration)',
        unit: '%',
        values: samples.map((s) => s.busy.percent),
        max: 15,
      },
      {
        metric: 'of which the bench probe',
        unit: '%',
        values: samples.map((s) => s.busy.probePercent),
      },
      {
        metric: 'longest task, Send → last token (0: none over 50)',
        unit: 'ms',
        values: samples.map((s) => s.longestTask),
      },
    ],
    details: (samples) => ({ runs: samples }),
  };
}

export function comparePanes(ctx) {
  const panes = 4;
  return {
    id: 'compare-4x2000',
    title: `${panes} compare panes, 2,000 tokens each at once`,
    run: (i) => streamRun(ctx, i, { tokens: 2000, rate: 0, panes }),
    rows: (samples) => [
      {
        metric: 'longest task, Send → last token (0: none over 50)',
        unit: 'ms',
        values: samples.map((s) => s.longestTask),
        max: 50,
      },
      {
        metric: 'slowest pane: last token painted after last byte',
        unit: 'ms',
        values: samples.map((s) => s.worst),
        max: 100,
      },
      onScreenRow(samples, panes),
    ],
    details: (samples) => ({ viewport: COMPARE_VIEWPORT, runs: samples }),
  };
}
