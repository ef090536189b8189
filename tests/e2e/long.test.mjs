// A long conversation (500 question/answer pairs, code blocks in every answer)
// in real Chromium: only what is near the reader is drawn in full, yet every
// word is on the page for the browser's search, the scroll position holds, and
// an old message can still be edited and forked from once scrolled to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { painted, saved, useApp } from './harness.mjs';

const app = useApp();
const PAIRS = 500;

function longExport() {
  const now = Date.parse('2026-11-01T10:00:00Z');
  const messages = [];
  for (let i = 0; i < PAIRS; i++) {
    messages.push({ id: `u${i}`, role: 'user', content: `Question ${i}: how does it stream?` });
    messages.push({
      id: `a${i}`,
      role: 'assistant',
      content: `Answer ${i}.\n\n\`\`\`js\nconst x = ${i};\n\`\`\`\n\nThat is all for ${i}.`,
      status: 'done',
      finishReason: 'stop',
      model: 'gpt-4o',
      usage: { prompt: 100, completion: 40, total: 140 },
    });
  }
  const conversation = {
    schemaVersion: 1,
    id: 'long-1',
    title: 'A long one',
    createdAt: now,
    updatedAt: now,
    systemMessage: '',
    model: 'gpt-4o',
    stream: true,
    params: {},
    tools: { json: '', format: 'tools' },
    messages,
    draft: '',
  };
  return JSON.stringify({
    format: 'parley.conversations',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    conversations: [conversation],
  });
}

describe('a long conversation', () => {
  it('stays light, keeps every word findable, and old messages still work once scrolled to', async () => {
    const page = await app.openConfigured();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByLabel('Import', { exact: true }).setInputFiles({
      name: 'long.json',
      mimeType: 'application/json',
      buffer: Buffer.from(longExport()),
    });
    const last = page.getByText(`That is all for ${PAIRS - 1}.`);
    await last.waitFor();
    await painted(page);

    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(elements <= 5000, `${elements} elements for ${PAIRS * 2} messages`);
    assert.equal(
      await page.getByRole('article', { name: /message$/ }).count(),
      PAIRS * 2,
      'every message is an article, drawn in full or not',
    );
    // The browser's own search finds text far from the screen.
    assert.equal(
      await page.evaluate(() => window.find('Question 7: how does it stream?', false, false, true)),
      true,
    );

    // Scrolled to the top, the first messages are drawn in full: their actions work.
    const first = page.getByRole('article', { name: 'User message' }).first();
    await first.scrollIntoViewIfNeeded();
    const fork = first.getByRole('button', { name: 'Fork from here' });
    await fork.waitFor();
    // The scroll position holds while the messages around it fill in.
    await painted(page);
    const top = await first.boundingBox();
    await painted(page);
    assert.deepEqual(await first.boundingBox(), top);

    await first.getByRole('button', { name: 'Edit' }).click();
    const edit = first.getByRole('textbox', { name: 'Edit user message' });
    await edit.fill('Question 0, edited');
    await first.getByRole('button', { name: 'Done' }).click();
    await first.getByText('Question 0, edited').waitFor();

    await fork.click();
    await page.getByRole('button', { name: 'Actions for A long one (fork)' }).waitFor();
    assert.equal(await page.getByRole('article', { name: /message$/ }).count(), 1);
    await page.getByText('Question 0, edited').waitFor();
  });

  it('reopens with its newest messages first, then all of them, and loses none', async () => {
    const page = await app.openConfigured();
    await page.getByLabel('Import', { exact: true }).setInputFiles({
      name: 'long.json',
      mimeType: 'application/json',
      buffer: Buffer.from(longExport()),
    });
    await page.getByText(`That is all for ${PAIRS - 1}.`).waitFor();
    await saved(page);

    // From the page's first script on: did the transcript ever say it was still reading?
    await page.addInitScript(() => {
      const seen = (window.__earlierSaid = []);
      new MutationObserver(() => {
        const said = document.querySelector('.transcript .earlier')?.textContent?.trim();
        if (said && !seen.includes(said)) seen.push(said);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.reload();
    await page.getByText(`That is all for ${PAIRS - 1}.`).waitFor();
    // Typed as soon as the newest show (the rest may still be on its way): kept.
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill('Typed at once');
    const articles = page.getByRole('article', { name: /message$/ });
    await page.waitForFunction(
      (n) => document.querySelectorAll('article[aria-label$="message"]').length === n,
      PAIRS * 2,
    );
    assert.deepEqual(await page.evaluate(() => window.__earlierSaid), [
      `Reading the ${(PAIRS * 2 - 40).toLocaleString('en-US')} earlier messages…`,
    ]);
    await page.locator('.transcript .earlier').waitFor({ state: 'detached' });
    // The rest came in above: the newest stay where the reader is.
    await painted(page);
    const box1 = await page.getByText(`That is all for ${PAIRS - 1}.`).boundingBox();
    const viewport = page.viewportSize();
    assert.ok(box1 && box1.y > 0 && box1.y + box1.height <= viewport.height, JSON.stringify(box1));
    assert.equal(await page.getByRole('button', { name: 'Send' }).isEnabled(), true);

    await saved(page);
    await page.reload();
    await page.getByText(`That is all for ${PAIRS - 1}.`).waitFor();
    await page.waitForFunction(() => !document.querySelector('.transcript .earlier'));
    assert.equal(await articles.count(), PAIRS * 2);
    assert.equal(await box.inputValue(), 'Typed at once');
    assert.equal(
      await page.evaluate(() => window.find('Question 0: how does it stream?', false, false, true)),
      true,
    );
  });
});
