// The built-in demo endpoint in real Chromium: a fresh profile takes `Demo (no key)` on
// the first screen and gets a streamed answer with usage, a tool call round trip, and a
// Compare of two demo models. No request leaves the page: the replay server records
// none, and the browser fetches nothing but the app's own files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newProfile } from './browser.mjs';
import { fillEditor, rendered, saved, useApp } from './harness.mjs';

const app = useApp();

const NOTE = 'Demo: answers are canned';
const draftBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const answers = (scope) => scope.getByRole('article', { name: 'Assistant message' });
const pane = (page, n) => page.getByRole('region', { name: `Pane ${n}`, exact: true });

/**
 * A fresh profile that records every URL its pages request, from the first one on,
 * with the first-run dialog open; then `Demo (no key)`.
 */
async function openDemo() {
  app.profile = await newProfile();
  const urls = [];
  app.profile.context.on('request', (r) => urls.push(r.url()));
  const { page } = app.profile;
  await page.goto(app.site.url);
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('button', { name: 'Demo (no key)' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return { page, urls };
}

/** Nothing went anywhere but the app's own files: not the replay server, not the demo's host. */
function assertNothingLeft(urls) {
  assert.deepEqual(app.api.requests, [], 'the replay server saw no request');
  const elsewhere = urls.filter((u) => !u.startsWith(app.site.url));
  assert.deepEqual(elsewhere, [], 'the page requested nothing but its own files');
}

async function send(page, text) {
  await draftBox(page).fill(text);
  await draftBox(page).press('Control+Enter');
}

/** The Usage figures of an answer, as {Prompt, Completion, Total}. */
async function usageOf(article) {
  const text = await article.getByLabel('Usage').innerText();
  const figure = (name) => Number(new RegExp(`${name}\\s*(\\d+)`).exec(text)?.[1]);
  return { Prompt: figure('Prompt'), Completion: figure('Completion'), Total: figure('Total') };
}

describe('the demo endpoint', () => {
  it('a fresh profile takes Demo (no key) and sees an answer stream in, with usage, labelled', async () => {
    const { page, urls } = await openDemo();
    await page.getByRole('button', { name: NOTE }).waitFor();
    // Its models are listed as any endpoint's are.
    await page.getByText('3 models from demo.parley.invalid').waitFor();
    await page.getByRole('combobox', { name: 'Model' }).fill('demo-thoughtful');

    await send(page, 'How do I plan a garden?');
    const answer = answers(page).last();
    // While it streams: Stop is offered and the text grows.
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    await answer.getByRole('heading', { name: /Thinking about/ }).waitFor();
    const partial = (await answer.innerText()).length;
    await answer.getByLabel('Usage').waitFor();
    assert.ok((await answer.innerText()).length > partial, 'the answer arrived in pieces');
    await rendered(answer);
    await answer.getByRole('list').first().waitFor();
    await answer.locator('pre code').first().waitFor();

    const usage = await usageOf(answer);
    assert.ok(usage.Prompt > 0 && usage.Completion > 0, JSON.stringify(usage));
    assert.equal(usage.Total, usage.Prompt + usage.Completion);
    assert.match(await answer.innerText(), /demo-thoughtful/);
    await answer.getByText(NOTE).waitFor();

    // After a reload: still the demo, no first-run question, the answer still labelled.
    await saved(page);
    await page.reload();
    await answers(page).last().getByText(NOTE).waitFor();
    assert.equal(await page.getByRole('dialog', { name: 'Settings' }).isVisible(), false);
    await page.getByRole('button', { name: NOTE }).waitFor();
    assertNothingLeft(urls);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('a tool call round trip: the call, the typed result, the answer that uses it', async () => {
    const { page, urls } = await openDemo();
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] } },
            required: ['city', 'unit'],
          },
        },
      },
    ];
    await fillEditor(page, 'Tools JSON', JSON.stringify(tools, null, 2));
    await page
      .getByRole('region', { name: 'Tools' })
      .getByText('1 definition, sent as tools.')
      .waitFor();

    await send(page, 'What is the weather like?');
    const first = answers(page).nth(0);
    const call = first.getByRole('group', { name: 'Tool call get_weather' });
    await call.waitFor();
    await first.getByLabel('Usage').waitFor();
    const args = JSON.parse(await call.getByLabel('Arguments').innerText());
    assert.deepEqual(Object.keys(args), ['city', 'unit']);
    assert.equal(args.unit, 'celsius');

    const result = page.getByRole('textbox', { name: 'Result for get_weather' });
    await result.fill('{"temperature": 21}');
    await result.press('Control+Enter');
    await page.getByRole('article', { name: 'Tool message' }).waitFor();
    const final = answers(page).nth(1);
    await final.getByLabel('Usage').waitFor();
    assert.notEqual(await final.innerText(), await first.innerText());
    assert.match(await final.innerText(), /get_weather/);
    assert.match(await final.innerText(), /"temperature": 21/);
    assertNothingLeft(urls);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('Compare of two demo models: each pane streams its own voice and usage', async () => {
    const { page, urls } = await openDemo();
    await page.getByRole('button', { name: 'Compare' }).click();
    const [one, two] = [pane(page, 1), pane(page, 2)];
    await two.waitFor();
    await one.getByRole('combobox', { name: 'Model' }).fill('demo-fast');
    await two.getByRole('combobox', { name: 'Model' }).fill('demo-poet');

    await send(page, 'Explain recursion');
    const [a, b] = [answers(one).last(), answers(two).last()];
    await a.getByLabel('Usage').waitFor();
    await b.getByLabel('Usage').waitFor();
    assert.match(await a.innerText(), /demo-fast/);
    assert.match(await b.innerText(), /demo-poet/);
    await a.getByText(NOTE).waitFor();
    await b.getByText(NOTE).waitFor();
    // Different voices: a terse line against a rhyme of four lines.
    const body = async (article) => (await article.locator('.markdown').innerText()).trim();
    assert.notEqual(await body(a), await body(b));
    assert.equal((await body(b)).split('\n').length, 4);
    assert.notDeepEqual(await usageOf(a), await usageOf(b));
    const summary = page.getByRole('region', { name: 'Last turn summary' });
    await summary.getByRole('row').nth(2).waitFor();
    assertNothingLeft(urls);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('/error 429 fails as a rate limit does: visible retries, then the API’s own message', async () => {
    const { page, urls } = await openDemo();
    await send(page, '/error 429');
    // Parley retries a rate limit on its own (three times), each wait shown and skippable.
    for (const attempt of [1, 2, 3]) {
      const wait = page.getByRole('status').filter({ hasText: `(attempt ${attempt})` });
      await wait
        .getByText(/Rate limited by demo\.parley\.invalid \(429\)\.\s+Retrying in \d+ s/)
        .waitFor();
      await wait.getByRole('button', { name: 'Retry now' }).click();
    }
    const alert = page.getByRole('alert').filter({ hasText: '429' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /429/);
    assert.match(await alert.innerText(), /Rate limit reached for demo requests/);
    assertNothingLeft(urls);
    assert.deepEqual(app.profile.pageErrors, []);
  });
});
