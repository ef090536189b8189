// Accessibility and theme helpers for the end-to-end suites: axe-core run inside the
// page (from node_modules, never downloaded), the Theme control plus the browser's own
// colour scheme, contrast arithmetic, and screenshots for reviewers.
import { painted, pickTheme } from './harness.mjs';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AXE_SOURCE = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));
let axeSource;

/** Reviewers look here; git-ignored. */
const SCREENS_DIR = fileURLToPath(new URL('../../test-results/screens/', import.meta.url));

/** The impacts that fail a test; moderate and minor are reported by axe but let through. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core on the page (or inside `include`, a CSS selector) and fails on any
 * serious or critical violation, naming each rule, its help text and the offending
 * elements. `screen` says which screen was checked, for the failure message.
 */
export async function assertNoSeriousViolations(page, screen, { include } = {}) {
  axeSource ??= await readFile(AXE_SOURCE, 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(async (scope) => {
    const result = await window.axe.run(scope ? { include: [scope] } : document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        summary: n.failureSummary,
        impact: n.impact,
      })),
    }));
  }, include ?? null);
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  if (blocking.length === 0) return;
  const lines = blocking.flatMap((v) => [
    `${v.id} (${v.impact}): ${v.help}`,
    ...v.nodes.map((n) => `    ${n.target}\n      ${n.summary?.replace(/\n/g, '\n      ')}`),
  ]);
  assert.fail(
    `axe: ${blocking.length} serious/critical rule(s) on ${screen}:\n${lines.join('\n')}`,
  );
}

/**
 * Puts the page in `theme` ('light' or 'dark') both ways a user can: the browser's
 * colour scheme, and the Theme control (which overrides it). Waits until the page
 * root says so.
 */
export async function useTheme(page, theme) {
  await page.emulateMedia({ colorScheme: theme });
  const label = theme === 'dark' ? 'Dark' : 'Light';
  await pickTheme(page, label);
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

/** The phone and the laptop screens the issue measures. */
export const VIEWPORTS = {
  wide: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
};

/**
 * Writes `<name>-<theme>-<width>.png` of the viewport into SCREENS_DIR, at each size
 * asked for, and puts the page back at 1440×900. `subject`, a locator, is scrolled
 * into view at each size first.
 */
export async function screenshots(page, name, theme, { sizes = ['wide', 'phone'], subject } = {}) {
  await mkdir(SCREENS_DIR, { recursive: true });
  for (const size of sizes) {
    const viewport = VIEWPORTS[size];
    await page.setViewportSize(viewport);
    await painted(page); // the layout has followed the new width
    // On a phone the parameters are a drawer: opened for a subject that lives there.
    const drawer = page.getByRole('button', { name: 'Parameters', exact: true });
    const inDrawer = subject !== undefined && !(await subject.isVisible());
    if (inDrawer) await drawer.click();
    await subject?.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: join(SCREENS_DIR, `${name}-${theme}-${viewport.width}.png`),
      animations: 'disabled',
    });
    if (inDrawer) await drawer.click();
  }
  await page.setViewportSize(VIEWPORTS.wide);
  await painted(page);
}

/** `rgb(…)`/`rgba(…)` as [r, g, b, a]. */
function parseColor(css) {
  const m = /rgba?\(([^)]+)\)/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  const [r, g, b, a = 1] = m[1]
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  return [r, g, b, a];
}

/** WCAG relative luminance of a CSS rgb() colour (alpha ignored). */
export function luminance(css) {
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = parseColor(css);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of two CSS rgb() colours. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colour an element's text is painted on: its own background and its
 * ancestors', see-through ones blended over what lies beneath (CodeMirror's
 * active line is a tint over the editor), as rgb().
 */
export function paintedBackground(locator) {
  return locator.evaluate((el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const m = /rgba?\(([^)]+)\)/.exec(getComputedStyle(e).backgroundColor);
      const [r, g, b, a = 1] = m
        ? m[1]
            .split(/[\s,/]+/)
            .filter(Boolean)
            .map(Number)
        : [0, 0, 0, 0];
      if (a > 0) layers.push([r, g, b, a]);
      if (a >= 1) break;
    }
    // The canvas under everything is white when nothing is opaque.
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, la] of layers.reverse()) {
      r = lr * la + r * (1 - la);
      g = lg * la + g * (1 - la);
      b = lb * la + b * (1 - la);
    }
    return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
  });
}

/** The contrast of a text element's colour on what it is painted on. */
export async function textContrast(locator) {
  const color = await locator.evaluate((el) => getComputedStyle(el).color);
  return contrast(color, await paintedBackground(locator));
}

/** A streamed answer (inline SSE for the replay server) holding `markdown`. */
export function markdownAnswer(markdown) {
  const base = { id: 'chatcmpl-a11y', object: 'chat.completion.chunk', model: 'gpt-4' };
  const pieces = markdown.match(/[\s\S]{1,40}/g) ?? [];
  return {
    sse: [
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      ...pieces.map((content) => ({ ...base, choices: [{ index: 0, delta: { content } }] })),
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      {
        ...base,
        choices: [],
        usage: { prompt_tokens: 12, completion_tokens: 90, total_tokens: 102 },
      },
      'data: [DONE]\n\n',
    ],
  };
}

/** An answer with every kind of Markdown the renderer colours, code blocks above all. */
export const RICH_ANSWER = [
  '## A tiny server',
  '',
  'Run it with `node server.js`, then open [the page](https://example.com/docs).',
  '',
  '```js',
  "import { createServer } from 'node:http';",
  '// Answers every request with JSON.',
  'const port = 8080;',
  'createServer((req, res) => {',
  '  res.end(JSON.stringify({ ok: true, path: req.url, n: 42 }));',
  '}).listen(port);',
  '```',
  '',
  '```json',
  '{ "name": "parley", "private": true, "version": 1, "tags": ["a", null] }',
  '```',
  '',
  '```diff',
  '- const port = 80;',
  '+ const port = 8080;',
  '```',
  '',
  '> Quoted: ports below 1024 need root.',
  '',
  '| Port | Use |',
  '| ---- | --- |',
  '| 80 | HTTP |',
  '',
].join('\n');
