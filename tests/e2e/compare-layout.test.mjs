// Compare mode fills the screen, in real Chromium: four panes fully side by side on a
// 1920 px screen; on 1280 px every pane is reachable with a visible cue (a count, steps
// and tabs); a pane added after earlier turns says it starts fresh, and can continue
// from another pane's turns. Measured on the compare area's own box, not on the page
// around it (whose side columns are another part's business).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useApp } from './harness.mjs';

const app = useApp({ key: 'sk-test-e2e-compare-layout-0123' });
const { chatRequests, openConfigured } = app;

/** How long a layout change may take to show on a busy machine (each wait ends when it holds). */
const UI_WAIT = { timeout: 20_000 };
/** The narrowest compare area the app shell leaves at each screen width, side columns collapsed. */
const AREA_AT = { 1920: 1700, 1280: 1120 };

const pane = (page, n) => page.getByRole('region', { name: `Pane ${n}`, exact: true });
const area = (page) => page.getByRole('group', { name: 'Compare panes' });

async function send(page, text) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** A configured app at `width`×`height` (no smooth scrolling), compare on with `count` panes. */
async function comparing(width, height, count) {
  const page = await openConfigured();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width, height });
  await page.getByRole('button', { name: 'Compare' }).click();
  await pane(page, 2).waitFor(UI_WAIT);
  for (let n = 3; n <= count; n++) {
    await page.getByRole('button', { name: 'Add pane' }).click();
    await pane(page, n).waitFor({ state: 'attached', ...UI_WAIT });
  }
  return page;
}

/**
 * Widens the viewport until the compare area is at least as wide as the app shell
 * leaves it at `screen` px (the page around it may still have its side columns).
 * Returns the area's width.
 */
async function sizeArea(page, screen, height) {
  const width = async () => (await area(page).boundingBox()).width;
  const missing = AREA_AT[screen] - (await width());
  if (missing > 0) {
    await page.setViewportSize({ width: screen + Math.ceil(missing), height });
    await page.waitForFunction(
      (min) =>
        document.querySelector('[role="group"][aria-label="Compare panes"]').clientWidth >= min,
      AREA_AT[screen],
      UI_WAIT,
    );
  }
  return width();
}

/** Boxes of panes 1..count and of the compare area, once the layout has settled. */
async function boxes(page, count) {
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  return page.evaluate((count) => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const grid = document.querySelector('[role="group"][aria-label="Compare panes"]');
    const panes = [];
    for (let n = 1; n <= count; n++) {
      panes.push(box(grid.querySelector(`section[aria-label="Pane ${n}"]`)));
    }
    return {
      area: box(grid),
      panes,
      viewport: { width: innerWidth, height: innerHeight },
      pageWidth: document.documentElement.scrollWidth,
    };
  }, count);
}

const inside = (b, a) => b.left >= a.left - 0.5 && b.right <= a.right + 0.5;
const outside = (b, a) => b.right <= a.left + 0.5 || b.left >= a.right - 0.5;

/** The panes fully in view, by number; fails if any is cut in half. */
function inView({ area, panes }) {
  const shown = [];
  panes.forEach((b, i) => {
    if (inside(b, area)) shown.push(i + 1);
    else assert.ok(outside(b, area), `Pane ${i + 1} is cut by the edge of the compare area`);
  });
  return shown;
}

/** Waits until pane `n` is fully inside the compare area. */
async function waitInView(page, n) {
  await page.waitForFunction(
    (n) => {
      const grid = document.querySelector('[role="group"][aria-label="Compare panes"]');
      const p = grid.querySelector(`section[aria-label="Pane ${n}"]`).getBoundingClientRect();
      const a = grid.getBoundingClientRect();
      return p.left >= a.left - 0.5 && p.right <= a.right + 0.5;
    },
    n,
    UI_WAIT,
  );
}

describe('compare fills the screen', () => {
  it('four panes at 1920×1080 are all fully visible side by side, each with its answer and Usage', async () => {
    const page = await comparing(1920, 1080, 4);
    await sizeArea(page, 1920, 1080);
    app.api.enqueue(
      { ownFixture: 'own_stream_gpt4_usage' },
      { ownFixture: 'own_stream_gpt35_usage' },
      { ownFixture: 'own_stream_gpt4_usage' },
      { ownFixture: 'own_stream_gpt35_usage' },
    );
    await send(page, 'Capital of France?');
    for (let n = 1; n <= 4; n++) {
      await pane(page, n)
        .getByRole('article', { name: 'Assistant message' })
        .getByLabel('Usage')
        .waitFor(UI_WAIT);
    }
    await area(page).scrollIntoViewIfNeeded(UI_WAIT);
    const b = await boxes(page, 4);
    assert.deepEqual(inView(b), [1, 2, 3, 4]);
    for (const [i, p] of b.panes.entries()) {
      assert.ok(p.top >= 0 && p.bottom <= b.viewport.height, `Pane ${i + 1} is cut off below`);
      assert.ok(p.left >= 0 && p.right <= b.viewport.width, `Pane ${i + 1} is cut off aside`);
      assert.ok(p.right - p.left >= 399, `Pane ${i + 1} is ${p.right - p.left} px wide`);
      const next = b.panes[i + 1];
      if (next) assert.ok(p.right <= next.left, `Pane ${i + 1} overlaps Pane ${i + 2}`);
    }
    // Everything fits: no count, no tabs.
    assert.equal(await page.getByRole('tablist', { name: 'Panes' }).isVisible(), false);
    assert.ok(b.pageWidth <= b.viewport.width);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('at 1280 px two or more panes show, and every pane is reachable with a visible count and tabs', async () => {
    const page = await comparing(1280, 800, 4);
    const width = await sizeArea(page, 1280, 800);
    const fit = Math.floor((width + 12) / 412);
    assert.ok(fit >= 2 && fit < 4, `${fit} panes fit in ${width} px`);
    // Adding Pane 4 brought it into view: the last `fit` panes show.
    await waitInView(page, 4);
    let b = await boxes(page, 4);
    const last = Array.from({ length: fit }, (_, i) => 4 - fit + 1 + i);
    assert.deepEqual(inView(b), last);
    const count = page.getByText(`Panes ${last[0]}–4 of 4`, { exact: true });
    assert.equal(await count.isVisible(), true);
    const tabs = page.getByRole('tablist', { name: 'Panes' });
    assert.equal(await tabs.isVisible(), true);
    assert.equal(
      await tabs.getByRole('tab', { name: 'Pane 4' }).getAttribute('aria-selected'),
      'true',
    );

    // The tab of a pane out of view brings it in; the count follows.
    await tabs.getByRole('tab', { name: 'Pane 1' }).click();
    await waitInView(page, 1);
    b = await boxes(page, 4);
    assert.deepEqual(
      inView(b),
      Array.from({ length: fit }, (_, i) => i + 1),
    );
    await page.getByText(`Panes 1–${fit} of 4`, { exact: true }).waitFor(UI_WAIT);

    // "Next panes" steps one pane to the right, up to the last.
    const next = page.getByRole('button', { name: 'Next panes' });
    await next.click();
    await waitInView(page, fit + 1);
    await page.getByText(`Panes 2–${fit + 1} of 4`, { exact: true }).waitFor(UI_WAIT);
    // The page itself never scrolls sideways.
    assert.ok(b.pageWidth <= b.viewport.width, `page is ${b.pageWidth} px wide`);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('a pane added after earlier turns says it starts fresh, and can continue from another pane', async () => {
    const page = await comparing(1920, 1080, 2);
    await sizeArea(page, 1920, 1080);
    app.api.enqueue(
      { ownFixture: 'own_stream_gpt4_usage', model: 'gpt-4' },
      { ownFixture: 'own_stream_gpt35_usage', model: 'gpt-3.5-turbo' },
    );
    await send(page, 'Question one');
    await pane(page, 2)
      .getByRole('article', { name: 'Assistant message' })
      .getByLabel('Usage')
      .waitFor(UI_WAIT);
    await pane(page, 1)
      .getByRole('article', { name: 'Assistant message' })
      .getByLabel('Usage')
      .waitFor(UI_WAIT);

    await page.getByRole('button', { name: 'Add pane' }).click();
    const three = pane(page, 3);
    const note = three.getByRole('note', { name: 'Pane 3 joined later' });
    await note.waitFor(UI_WAIT);
    assert.match(await note.innerText(), /Pane 3 starts fresh\./);
    assert.match(await note.innerText(), /carries the system message and your next message/);
    assert.equal(await pane(page, 1).getByRole('note').count(), 0);

    // It takes Pane 1's thread, and its next request carries it.
    await note.getByRole('button', { name: "Continue from Pane 1's turns" }).click();
    await note.waitFor({ state: 'detached', ...UI_WAIT });
    await three.getByRole('combobox', { name: 'Model' }).fill('gpt-4o');
    app.api.enqueue(
      { ownFixture: 'own_stream_gpt4_usage', model: 'gpt-4' },
      { ownFixture: 'own_stream_gpt35_usage', model: 'gpt-3.5-turbo' },
      { ownFixture: 'own_stream_hello', model: 'gpt-4o' },
    );
    await send(page, 'Question two');
    await app.waitForChatRequests(5);
    const body = chatRequests().find((r) => r.body.model === 'gpt-4o').body;
    assert.deepEqual(
      body.messages.map((m) => [m.role, m.content]),
      [
        ['user', 'Question one'],
        ['assistant', 'The capital of France is Paris, on the Seine.'],
        ['user', 'Question two'],
      ],
    );
    await three.getByRole('article', { name: 'Assistant message' }).nth(1).waitFor(UI_WAIT);
    assert.deepEqual(app.profile.pageErrors, []);
  });
});
