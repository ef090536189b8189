// The app frame in real Chromium: a page that never scrolls as a whole, a
// composer that stays in view while a long answer streams (and a transcript
// that follows it until the reader scrolls up), drawers on phones, nothing cut
// off at 360 px or 200 % zoom, the keyboard shortcuts, and Copy answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoSeriousViolations, markdownAnswer, useTheme } from './a11y.mjs';
import { painted, useApp } from './harness.mjs';

// axe is injected as an inline script, which the app's CSP forbids.
const app = useApp({ bypassCSP: true });

const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const lastAnswer = (page) => page.getByRole('article', { name: 'Assistant message' }).last();
const jump = (page) => page.getByRole('button', { name: 'Jump to latest' });
const params = (page) => page.getByRole('complementary', { name: 'Model and parameters' });
const conversations = (page) => page.getByRole('navigation', { name: 'Conversations' });

/** A long Markdown answer: numbered paragraphs, then a last line to look for. */
const LAST_LINE = 'That is the end of the long answer.';
const LONG_ANSWER = [
  ...Array.from(
    { length: 120 },
    (_, i) => `Paragraph ${i + 1}: a sentence about streaming, long enough to wrap once.`,
  ),
  LAST_LINE,
].join('\n\n');

/** Whether the whole of `locator` lies inside the viewport. */
async function inViewport(page, locator) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  return (
    !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height
  );
}

/** Whether `locator` lies across the viewport's width, neither edge cut off (it may scroll down). */
async function fitsAcross(page, locator) {
  const box = await locator.boundingBox();
  return !!box && box.x >= 0 && box.x + box.width <= page.viewportSize().width;
}

/** The page itself never scrolls: only the columns inside it do. */
async function pageScrolls(page) {
  return page.evaluate(() => {
    const root = document.scrollingElement;
    return root.scrollHeight > innerHeight + 1 || root.scrollWidth > innerWidth + 1;
  });
}

/** In the page: whether the stored layout preferences hold `want` (they are written in the background). */
function storedUi(want) {
  return new Promise((resolve) => {
    const open = indexedDB.open('parley');
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const get = open.result.transaction('kv').objectStore('kv').get('ui');
      get.onerror = () => resolve(false);
      get.onsuccess = () => resolve(Object.entries(want).every(([k, v]) => get.result?.[k] === v));
    };
  });
}

async function openAt(viewport) {
  const page = await app.openConfigured();
  await page.setViewportSize(viewport);
  await painted(page);
  return page;
}

describe('the app frame', () => {
  it('at 1440×900 Stop and Message stay in view during a long answer, which is followed until the reader scrolls up', async () => {
    const page = await openAt({ width: 1440, height: 900 });
    app.api.enqueue({ ...markdownAnswer(LONG_ANSWER), holdAfter: 60 });
    await messageBox(page).fill('Tell me a long story');
    await messageBox(page).press('Control+Enter');
    await app.api.waitForHold();

    // Mid-stream: the controls are on screen and so is the newest text.
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await stop.waitFor();
    assert.ok(await inViewport(page, stop), 'Stop is in the viewport');
    assert.ok(await inViewport(page, messageBox(page)), 'Message is in the viewport');
    const newest = lastAnswer(page).locator('p').last();
    await newest.waitFor();
    // Followed: within a frame or two of arriving, the newest text is in view.
    await page.waitForFunction(() => {
      const p = [...document.querySelectorAll('article p')].at(-1);
      const box = p?.getBoundingClientRect();
      return !!box && box.bottom <= innerHeight && box.top >= 0;
    });
    assert.equal(await pageScrolls(page), false, 'the page itself does not scroll');

    // To the end: still followed.
    app.api.release();
    const last = lastAnswer(page).getByText(LAST_LINE);
    await last.waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    await page.waitForFunction(() => {
      const p = [...document.querySelectorAll('article p')].at(-1);
      const box = p?.getBoundingClientRect();
      return !!box && box.bottom <= innerHeight && box.top >= 0;
    });
    assert.ok(await inViewport(page, messageBox(page)));

    // Scrolling up to read: the transcript stays put and offers the way back.
    await lastAnswer(page).getByText('Paragraph 3:', { exact: false }).scrollIntoViewIfNeeded();
    await jump(page).waitFor();
    assert.equal(await inViewport(page, last), false);
    await assertNoSeriousViolations(page, 'Jump to latest');
    await jump(page).click();
    await jump(page).waitFor({ state: 'detached' });
    await page.waitForFunction((text) => {
      const p = [...document.querySelectorAll('article p')].find((el) => el.textContent === text);
      const box = p?.getBoundingClientRect();
      return !!box && box.bottom <= innerHeight && box.top >= 0;
    }, LAST_LINE);
  });

  it('focus is never dropped on the page: Send (mouse or keys), Regenerate and Stop leave it in the Message box', async () => {
    const page = await openAt({ width: 1440, height: 900 });
    const send = page.getByRole('button', { name: 'Send', exact: true });
    const focusIsOnMessage = () =>
      page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Message');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el === document.body ? 'body' : (el?.getAttribute('aria-label') ?? el?.textContent);
      });
    /** Lets the held answer finish; Send is usable again. */
    const finish = async () => {
      app.api.release();
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('button')].find((b) => b.textContent === 'Send')
            ?.disabled === false,
      );
    };

    // Send clicked: the button is disabled while the answer runs; focus is not lost with it.
    app.api.enqueue({ ownFixture: 'own_stream_hello', holdAfter: 1 });
    await messageBox(page).fill('First');
    await send.click();
    await app.api.waitForHold();
    await focusIsOnMessage();
    assert.equal(await focused(), 'Message');
    await finish();

    // Send from the keyboard (Tab to it, Enter): the same.
    app.api.enqueue({ ownFixture: 'own_stream_hello', holdAfter: 1 });
    await messageBox(page).fill('Second');
    await send.focus();
    await page.keyboard.press('Enter');
    await app.api.waitForHold();
    await focusIsOnMessage();
    await finish();

    // Regenerate from the keyboard: the answer it was on goes away, and so would the focus.
    app.api.enqueue({ ownFixture: 'own_stream_hello', holdAfter: 1 });
    await lastAnswer(page).getByRole('button', { name: 'Regenerate' }).focus();
    await page.keyboard.press('Enter');
    await app.api.waitForHold();
    await focusIsOnMessage();
    await finish();
    assert.equal(app.chatRequests().length, 3);

    // Stop from the keyboard: the button goes with the answer it stopped.
    app.api.enqueue({ ownFixture: 'own_stream_hello', holdAfter: 1 });
    await messageBox(page).fill('Fourth');
    await messageBox(page).press('Control+Enter');
    await app.api.waitForHold();
    await page.getByRole('button', { name: 'Stop', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });
    await focusIsOnMessage();

    // A click on empty space leaves focus on the page, as the user asked: not moved.
    await messageBox(page).focus();
    await page.mouse.click(700, 5);
    await page.waitForFunction(() => document.activeElement === document.body);
    await painted(page);
    assert.equal(await focused(), 'body');
  });

  it('an answer that arrives all at once is followed to its last line', async () => {
    const page = await openAt({ width: 1440, height: 900 });
    // Many lines per frame: the view falls behind between a scroll and its event.
    const end = 'The very end, after 240 paragraphs.';
    const body = LONG_ANSWER.replace(LAST_LINE, '');
    app.api.enqueue({ ...markdownAnswer(`${body}${body}${end}`), delayMs: 0 });
    await messageBox(page).fill('Everything at once, please');
    await messageBox(page).press('Control+Enter');
    await lastAnswer(page).getByText(end).waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    await page.waitForFunction((line) => {
      const p = [...document.querySelectorAll('article p')].find((el) => el.textContent === line);
      const box = p?.getBoundingClientRect();
      return !!box && box.bottom <= innerHeight && box.top >= 0;
    }, end);
    assert.equal(await jump(page).count(), 0, 'no Jump to latest: the reader never scrolled');
  });

  it('on a phone the Message box is in the first screen, and the list and the parameters are drawers', async () => {
    const page = await openAt({ width: 390, height: 844 });
    assert.ok(await inViewport(page, messageBox(page)), 'Message is in the first screen');
    assert.equal(await params(page).isVisible(), false);
    assert.equal(await conversations(page).isVisible(), false);

    const paramsButton = page.getByRole('button', { name: 'Parameters', exact: true });
    await paramsButton.click();
    await params(page).waitFor();
    assert.ok(await fitsAcross(page, params(page)), 'the parameters drawer fits the screen');
    assert.equal(await paramsButton.getAttribute('aria-expanded'), 'true');
    await params(page).getByRole('combobox', { name: 'Model' }).waitFor();
    await assertNoSeriousViolations(page, 'the parameters drawer');
    await page.keyboard.press('Escape');
    await params(page).waitFor({ state: 'hidden' });

    const listButton = page.getByRole('button', { name: 'Conversations', exact: true });
    await listButton.click();
    await conversations(page).waitFor();
    assert.ok(
      await inViewport(page, conversations(page)),
      'the conversations drawer fits the screen',
    );
    await assertNoSeriousViolations(page, 'the conversations drawer');
    // The scrim covers the chat; a tap on it (beside the drawer) closes the drawer.
    await page
      .getByRole('button', { name: 'Close the panel' })
      .click({ position: { x: 370, y: 400 } });
    await conversations(page).waitFor({ state: 'hidden' });
    assert.equal(await listButton.getAttribute('aria-expanded'), 'false');
    assert.equal(await pageScrolls(page), false);

    // The request inspector covers the chat, the whole of it on screen (its edges too).
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('button', { name: 'Request inspector' }).click();
    const inspector = page.getByRole('region', { name: 'Request inspector' });
    await inspector.getByLabel('Next request body').waitFor();
    assert.ok(await fitsAcross(page, inspector), 'the request inspector fits the screen');
    await inspector.getByRole('button', { name: 'Close' }).click();
    await inspector.waitFor({ state: 'detached' });
  });

  for (const [what, viewport] of [
    ['360 px', { width: 360, height: 740 }],
    ['200 % zoom (a 1280×720 window)', { width: 640, height: 360 }],
  ]) {
    it(`at ${what} nothing is cut off and Message is in the first screen`, async () => {
      const page = await openAt(viewport);
      assert.equal(await pageScrolls(page), false, 'no horizontal or vertical page overflow');
      for (const button of await page.getByRole('banner').getByRole('button').all()) {
        assert.ok(
          await inViewport(page, button),
          `${(await button.getAttribute('aria-label')) ?? (await button.innerText())} is fully shown`,
        );
      }
      assert.ok(await inViewport(page, messageBox(page)));
      assert.ok(await inViewport(page, page.getByRole('button', { name: 'Send', exact: true })));
    });
  }

  it('? lists the shortcuts; Ctrl+K finds a conversation; Ctrl+Shift+O starts one', async () => {
    const page = await openAt({ width: 1440, height: 900 });
    await page.locator('body').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('?');
    const card = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await card.waitFor();
    for (const line of ['Ctrl+Enter', 'Esc', 'Ctrl+K', 'Ctrl+Shift+O']) {
      await card.getByText(line, { exact: true }).waitFor();
    }
    for (const theme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: theme });
      await assertNoSeriousViolations(page, `Keyboard shortcuts (${theme})`);
    }
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });

    // "?" typed into a field is just a question mark.
    await messageBox(page).fill('Why?');
    await messageBox(page).press('?');
    assert.equal(await card.isVisible(), false);
    assert.equal(await messageBox(page).inputValue(), 'Why??');

    await page.keyboard.press('Control+k');
    const search = conversations(page).getByRole('searchbox', { name: 'Search conversations' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('type') === 'search');
    assert.ok(await search.isVisible());

    await page.keyboard.press('Control+Shift+O');
    await page.waitForFunction(
      () => (document.querySelector('textarea[aria-label="Message"]')?.value ?? 'x') === '',
    );
  });

  it('Copy answer puts the answer’s Markdown on the clipboard', async () => {
    const page = await openAt({ width: 1440, height: 900 });
    await app.profile.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(app.site.url).origin,
    });
    const markdown = '**Bold** and `code`, then a list:\n\n1. one\n2. two';
    app.api.enqueue(markdownAnswer(markdown));
    await messageBox(page).fill('Some Markdown please');
    await messageBox(page).press('Control+Enter');
    await lastAnswer(page).getByLabel('Usage').waitFor();
    await lastAnswer(page).getByRole('button', { name: 'Copy answer' }).click();
    await lastAnswer(page).getByText('Copied', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);
  });

  it('a conversation opened on a fresh device with no key asks for the key only on Send', async () => {
    const page = await app.openFresh();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.waitFor();
    await settings.getByRole('button', { name: 'Cancel' }).click();
    await settings.waitFor({ state: 'hidden' });
    // Focus is not dropped on the page when the first-run dialog goes: Message has it.
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Message',
    );
    await messageBox(page).fill('Hello');
    await messageBox(page).press('Control+Enter');
    await settings.waitFor();
    await settings.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await messageBox(page).inputValue(), 'Hello', 'the draft stays');
    assert.equal(app.chatRequests().length, 0);
  });

  it('the theme and the collapsed columns are remembered', async () => {
    const page = await openAt({ width: 1440, height: 900 });
    await useTheme(page, 'dark');
    await page.getByRole('button', { name: 'Conversations', exact: true }).click();
    await conversations(page).waitFor({ state: 'hidden' });
    await page.waitForFunction(storedUi, { listOpen: false, theme: 'dark' });
    await page.reload();
    await messageBox(page).waitFor();
    assert.equal(await conversations(page).isVisible(), false);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  });
});
