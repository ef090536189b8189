// Draws the app icons (web app manifest, iOS home screen) from public/favicon.svg in
// Debian's Chromium, so the PNGs follow the one drawing. Run after changing the favicon:
//   node scripts/icons.mjs
// and commit the files it writes to public/icons/.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * `rounded`: the favicon as drawn (transparent corners), for `purpose: any`.
 * Full-bleed (a square of the favicon's colour) where the platform cuts its own shape:
 * maskable icons (Android crops up to a circle of 80 % of the width: the glyph sits
 * well inside it) and the iOS home screen (which fills transparency with black).
 */
const ICONS = [
  { file: 'icons/icon-192.png', size: 192, rounded: true },
  { file: 'icons/icon-512.png', size: 512, rounded: true },
  { file: 'icons/icon-maskable-512.png', size: 512, rounded: false },
  { file: 'icons/apple-touch-icon.png', size: 180, rounded: false },
];

/** The favicon with its rounded corners squared off. */
function fullBleed(svg) {
  const squared = svg.replace(/\s+rx="[^"]*"/, '');
  if (squared === svg) throw new Error('favicon.svg: expected a rounded background <rect rx=…>');
  return squared;
}

const favicon = await readFile(`${PUBLIC}favicon.svg`, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  await mkdir(`${PUBLIC}icons`, { recursive: true });
  for (const { file, size, rounded } of ICONS) {
    const svg = rounded ? favicon : fullBleed(favicon);
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    );
    const png = await page.locator('svg').screenshot({ omitBackground: true });
    await writeFile(`${PUBLIC}${file}`, png);
    console.log(`${file} ${size}×${size} (${png.length} bytes)`);
  }
} finally {
  await browser.close();
}
