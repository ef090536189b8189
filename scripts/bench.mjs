// `npm run bench`: what Parley costs a user, measured in a real browser (issue 15).
//
//   npm run bench                     every scenario, 5 runs each, then the micro-benches
//   npm run bench -- --check          the byte budgets only, from one build, no browser and
//                                     no timing; exits 1 when one is exceeded (for CI)
//   npm run bench -- --runs 1 --only stream-2000,typing
//   npm run bench -- --list           the scenario ids
//   npm run bench -- --dist dist      measure an existing build (made with --manifest)
//   npm run bench -- --network slow   every page on a 10 Mbit/s, 40 ms link (browser.mjs)
//
// It builds the app, serves it under /parley/, starts its own OpenAI-compatible streaming
// server (scripts/bench/stream-server.mjs) and drives Debian's Chromium through the
// scenarios (scripts/bench/scenarios/). It prints the machine, a Markdown table (median,
// min and max of the runs; whether the median meets the budget) and one JSON line per
// scenario. Not part of `npm test`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startStaticServer } from '../tests/e2e/static-server.mjs';
import { readAssets, sizeTable } from './bench/assets.mjs';
import { analyzeBundle, byteDetails, byteRows } from './bench/bundle.mjs';
import { emulateNetwork } from './bench/browser.mjs';
import { describeMachine, machine, summarize, table } from './bench/report.mjs';
import { result, scenarios } from './bench/scenarios/index.mjs';
import { startStreamServer } from './bench/stream-server.mjs';

const root = new URL('..', import.meta.url).pathname;
const { values: opts } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
    dist: { type: 'string' },
    list: { type: 'boolean', default: false },
    network: { type: 'string' },
  },
});
const runs = Math.max(1, Number.parseInt(opts.runs, 10) || 5);
const wanted = opts.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const ids = [...scenarios({}).map((s) => s.id), 'sizes', 'micro'];
/** An exact id, or a prefix of ids ("typing" is typing-500 and typing-2000). */
const selected = (id) =>
  !wanted || wanted.some((w) => id === w || (!ids.includes(w) && id.startsWith(w)));
const unknown = wanted?.filter((w) => !ids.some((id) => id.startsWith(w)));
if (unknown?.length) {
  console.error(`Unknown scenario(s): ${unknown.join(', ')} (see --list)`);
  process.exit(2);
}
const log = (text) => process.stderr.write(`${text}\n`);

if (opts.list) {
  for (const s of scenarios({})) console.log(`${s.id.padEnd(16)} ${s.title}`);
  console.log(`${'sizes'.padEnd(16)} the size of every built JS and CSS file`);
  console.log(`${'micro'.padEnd(16)} the Vitest micro-benches (tests/bench)`);
  process.exit(0);
}

/** A production build with Vite's manifest, quiet unless it fails. */
function build(outDir) {
  log('Building the app…');
  try {
    execFileSync(
      'npx',
      [
        ...['vite', 'build', '--outDir', outDir, '--emptyOutDir'],
        ...['--manifest', '--sourcemap', '--logLevel', 'error'],
      ],
      { cwd: root, stdio: 'pipe', encoding: 'utf8' },
    );
  } catch (err) {
    process.stderr.write(`${err.stdout ?? ''}${err.stderr ?? ''}`);
    throw new Error('vite build failed', { cause: err });
  }
}

/** --check: the byte budgets, nothing else. */
function check(bundle, about) {
  const rows = byteRows(bundle).map((r) => summarize({ scenario: 'bytes', ...r }));
  console.log(`Byte budgets (${describeMachine(about)})\n\n${table(rows)}\n`);
  const over = rows.filter((r) => r.met === false);
  const details = byteDetails(bundle);
  for (const r of over) console.error(`Over budget: ${r.metric}`);
  if (over.length > 0) console.error(`\n${JSON.stringify(details, null, 2)}`);
  else console.log('Every byte budget is met.');
  return over.length === 0;
}

const about = { ...machine(), network: opts.network ?? 'local' };
try {
  if (opts.network) emulateNetwork(opts.network);
} catch (err) {
  console.error(err.message);
  process.exit(2);
}
const built = !opts.dist && mkdtempSync(join(tmpdir(), 'parley-bench-dist-'));
let ok = true;
try {
  const dist = built || resolve(opts.dist);
  if (built) build(built);
  const assets = readAssets(dist, root);
  const bundle = analyzeBundle(dist, assets);
  if (opts.check) {
    ok = check(bundle, about);
  } else {
    console.log(describeMachine(about));
    if (selected('sizes')) console.log(`\n${sizeTable(assets)}`);
    const rows = [];
    const lines = [];
    const site = await startStaticServer(dist, '/parley/');
    // The streaming rows' reference page (scripts/bench/bare/index.html says what it is).
    const bare = await startStaticServer(join(root, 'scripts/bench/bare'), '/bare/');
    const api = await startStreamServer();
    const ctx = { site, bare, api, assets, bundle };
    try {
      for (const scenario of scenarios(ctx).filter((s) => selected(s.id))) {
        const samples = [];
        const n = scenario.deterministic ? 1 : runs;
        try {
          for (let i = 0; i < n; i++) {
            log(`${scenario.id}: run ${i + 1} of ${n}…`);
            samples.push(await scenario.run(i));
          }
          const { rows: r, json } = result(scenario, samples);
          rows.push(...r);
          lines.push(JSON.stringify({ ...json, machine: about }));
        } catch (err) {
          ok = false;
          log(`${scenario.id}: FAILED: ${err.stack ?? err}`);
          lines.push(JSON.stringify({ scenario: scenario.id, error: String(err), machine: about }));
        }
      }
    } finally {
      ctx.profiles.remove();
      await api.close();
      await site.close();
      await bare.close();
    }

    if (selected('micro')) {
      console.log('\nMicro-benchmarks (Vitest, tests/bench; jsdom, not a browser)');
      execFileSync('npx', ['vitest', 'bench', '--run', '--project', 'bench'], {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    }
    if (lines.length > 0) {
      console.log(`\nResults: median of ${runs} run(s) (${describeMachine(about)})\n`);
      if (rows.length > 0) console.log(`${table(rows)}\n`);
      for (const line of lines) console.log(line);
    }
  }
} finally {
  if (built) rmSync(built, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
