// `npm run bench`: what Parley costs a user, measured rather than guessed.
// 1. Size: the production build's JS and CSS, raw and gzipped (what the page downloads).
// 2. Speed: Vitest benchmarks in tests/bench (stream assembly, markdown rendering).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'parley-bench-'));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

try {
  execFileSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  const rows = files(out)
    .filter((f) => /\.(js|css|html)$/.test(f))
    .map((f) => {
      const bytes = readFileSync(f);
      return { file: relative(out, f), raw: bytes.length, gzip: gzipSync(bytes).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
  console.log('\nBundle size (what the page downloads)');
  for (const r of rows)
    console.log(`  ${r.file.padEnd(40)} ${kb(r.raw).padStart(10)} ${kb(r.gzip).padStart(10)} gz`);
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), {
    raw: 0,
    gzip: 0,
  });
  console.log(
    `  ${'total'.padEnd(40)} ${kb(total.raw).padStart(10)} ${kb(total.gzip).padStart(10)} gz\n`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}

execFileSync('npx', ['vitest', 'bench', '--run', '--project', 'bench'], {
  cwd: root,
  stdio: 'inherit',
});
