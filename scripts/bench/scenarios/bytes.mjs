// Bytes: the budgets, read from the build (bundle.mjs; also `--check`), and what a browser
// really fetched, as a cross-check of the sets the budgets are computed on.
import { fileSet, describeFile } from '../assets.mjs';
import { configure, send } from '../app.mjs';
import { byteDetails, byteRows, NOT_AT_STARTUP } from '../bundle.mjs';
import { inBrowser, painted, settled } from '../session.mjs';

const KB = 1024;
const PROMPT = 'Explain it at length, with code.';

/** The byte budgets: deterministic, so one run is all there is. */
export function bytes(ctx) {
  return {
    id: 'bytes',
    title: 'byte budgets from the build (index.html, Vite manifest, source maps)',
    deterministic: true,
    run: async () => ctx.bundle,
    rows: ([bundle]) => byteRows(bundle),
    details: ([bundle]) => byteDetails(bundle),
  };
}

/** Every request of the context (dedicated workers' too), each with a promise of its end. */
function networkLog(context, siteUrl) {
  const entries = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(siteUrl)) return;
    const done = request.response().then(
      (r) => r?.finished(),
      () => {},
    );
    entries.push({ path: decodeURIComponent(url.slice(siteUrl.length).split(/[?#]/)[0]), done });
  });
  return entries;
}

/**
 * A first visit, as a new user makes it (empty profile: the app asks for the key, the
 * bench types it and the endpoint into Settings): which JS and CSS the page fetched until
 * it was idle, and which more from typing the first message until its answer was painted.
 */
export function bytesNetwork(ctx) {
  return {
    id: 'bytes-network',
    title: 'JS+CSS a browser fetched: on load until idle, then up to the first answer',
    async run(i) {
      return inBrowser(null, {}, async (b) => {
        const log = networkLog(b.context, ctx.site.url);
        await b.page.goto(ctx.site.url, { waitUntil: 'commit' });
        await configure(b.page, ctx.api.url);
        await settled(b.page);
        const onLoad = log.length;
        const marker = `Zqbytes${i}end`;
        ctx.api.configure({ tokens: 300, tokensPerSecond: 0 });
        ctx.api.expect(marker);
        await b.page.evaluate((m) => window.__parleyBench.watch(m), marker);
        await send(b.page, PROMPT);
        await painted(b.page, marker, { onScreen: false });
        await Promise.all(log.map((e) => e.done));
        const paths = log.map((e) => e.path);
        return {
          load: fileSet(ctx.assets, paths.slice(0, onLoad)),
          answer: fileSet(ctx.assets, paths),
          afterSend: fileSet(ctx.assets, paths.slice(onLoad)),
        };
      });
    },
    rows(samples) {
      const counted = new Set(ctx.bundle.firstAnswer.files);
      return [
        {
          metric: 'first visit: fetched on load, until idle (cross-check)',
          unit: 'KB',
          values: samples.map((s) => s.load.gzipBytes / KB),
        },
        {
          metric: 'first visit: fetched up to the first answer painted',
          unit: 'KB',
          values: samples.map((s) => s.answer.gzipBytes / KB),
        },
        {
          metric: 'of those, files the manifest first-answer set lacks',
          unit: 'count',
          values: samples.map((s) => s.answer.files.filter((a) => !counted.has(a)).length),
        },
        {
          metric: 'never-at-startup packages fetched on load, until idle',
          unit: 'count',
          values: samples.map((s) => heavyIn(s.load.files).length),
        },
      ];
    },
    details(samples) {
      const s = samples[0];
      const counted = new Set(ctx.bundle.firstAnswer.files);
      return {
        onLoadUntilIdle: s.load.files.map(describeFile),
        neverAtStartupFetchedOnLoad: heavyIn(s.load.files),
        fromTypingUntilAnswerPainted: s.afterSend.files.map(describeFile),
        beyondManifestFirstAnswerSet: s.answer.files
          .filter((a) => !counted.has(a))
          .map(describeFile),
      };
    },
  };
}

/** Which of NOT_AT_STARTUP the files hold, by name. */
function heavyIn(files) {
  return Object.entries(NOT_AT_STARTUP)
    .filter(([, pattern]) => files.some((a) => a.sources.some((id) => pattern.test(id))))
    .map(([name]) => name);
}
