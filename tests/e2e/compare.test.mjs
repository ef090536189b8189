// Compare mode in real Chromium against the replay server: two panes send at once, each
// with its own model and the shared messages; each shows its own usage; one pane fails or
// is stopped while the other completes; the panes survive a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedFixturesDir } from './browser.mjs';
import { useApp } from './harness.mjs';

const KEY = 'sk-test-e2e-compare-0123456789';
const app = useApp({ key: KEY });
const { chatRequests, openConfigured } = app;

const OWN_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
const SHARED = sharedFixturesDir();

/**
 * The answer each pane replays: the shared recordings when present (two real streams
 * with different usage), else Parley's own. Text and usage are read from the files.
 */
function paneFixture(shared, own) {
  const step = SHARED ? { fixture: shared } : { ownFixture: own };
  const file = SHARED ? join(SHARED, `${shared}.sse`) : join(OWN_DIR, `${own}.sse`);
  let text = '';
  let usage;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const chunk = JSON.parse(line.slice('data: '.length));
    text += chunk.choices?.[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  return { step, text, usage };
}

const GPT4 = paneFixture('b02_stream_gpt4o_include_usage', 'own_stream_gpt4_usage');
const GPT35 = paneFixture('b03_stream_gpt4o_mini_obfuscation_usage', 'own_stream_gpt35_usage');

const draftBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const pane = (page, n) => page.getByRole('region', { name: `Pane ${n}`, exact: true });
const answerIn = (region) => region.getByRole('article', { name: 'Assistant message' }).last();

async function send(page, text) {
  await draftBox(page).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** The Usage list of an answer as {Prompt, Completion, Total}. */
async function usageOf(article) {
  const usage = article.getByRole('group', { name: 'Usage' }).or(article.getByLabel('Usage'));
  await usage.first().waitFor();
  const pairs = await usage
    .first()
    .locator('div')
    .evaluateAll((divs) =>
      divs.map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd')?.textContent]),
    );
  return Object.fromEntries(pairs.map(([k, v]) => [k, Number(v)]));
}

const background = (locator) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);

async function startCompare(page) {
  const toggle = page.getByRole('button', { name: 'Compare' });
  const off = await background(toggle);
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  // On looks on: not the colour of the toggle off (nor of any other header button).
  await page.mouse.move(0, 0);
  assert.notEqual(await background(toggle), off);
  await pane(page, 2).waitFor();
}

describe('compare mode', () => {
  it('gpt-4 and gpt-3.5-turbo get the shared messages with their own model, show their own usage, and survive a reload', async () => {
    if (!SHARED) console.warn('compare.test.mjs: recordings absent, replaying own fixtures');
    const page = await openConfigured();
    await page.getByRole('textbox', { name: 'System message' }).fill('Be brief.');
    // One ordinary turn first: it becomes the history both panes share.
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await send(page, 'Say hello');
    await page.getByRole('article', { name: 'Assistant message' }).getByLabel('Usage').waitFor();

    await startCompare(page);
    const [one, two] = [pane(page, 1), pane(page, 2)];
    assert.equal(await one.getByRole('combobox', { name: 'Model' }).inputValue(), 'gpt-4');
    assert.equal(await two.getByRole('combobox', { name: 'Model' }).inputValue(), 'gpt-3.5-turbo');
    // Pane 2 overrides one parameter in its compact editor; the override shows at a glance.
    assert.equal(await two.getByRole('spinbutton').count(), 0);
    await two.getByRole('button', { name: 'Change overrides of Pane 2' }).click();
    await two
      .getByRole('combobox', { name: 'Override a parameter in Pane 2' })
      .selectOption('Temperature');
    await two.getByRole('spinbutton', { name: 'Temperature' }).fill('0.3');
    await two.getByRole('button', { name: 'Done' }).click();
    await two
      .getByRole('group', { name: 'Overrides of Pane 2' })
      .getByText('temperature 0.3')
      .waitFor();

    // Steps name their model: the panes' requests arrive in no fixed order.
    app.api.enqueue({ ...GPT4.step, model: 'gpt-4' }, { ...GPT35.step, model: 'gpt-3.5-turbo' });
    await send(page, 'What is the capital of France?');
    assert.equal(await draftBox(page).inputValue(), '');
    await answerIn(one).getByText(GPT4.text.trim().slice(0, 20)).waitFor();
    await answerIn(two).getByText(GPT35.text.trim().slice(0, 20)).waitFor();

    const requests = chatRequests().slice(1);
    assert.equal(requests.length, 2);
    const byModel = Object.fromEntries(requests.map((r) => [r.body.model, r.body]));
    assert.deepEqual(Object.keys(byModel).sort(), ['gpt-3.5-turbo', 'gpt-4']);
    const shared = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello' },
    ];
    for (const body of Object.values(byModel)) {
      assert.deepEqual(body.messages.slice(0, 2), shared);
      assert.equal(body.messages[2].role, 'assistant');
      assert.deepEqual(body.messages[3], {
        role: 'user',
        content: 'What is the capital of France?',
      });
      assert.equal(body.messages.length, 4);
    }
    assert.equal(byModel['gpt-4'].temperature, undefined);
    assert.equal(byModel['gpt-3.5-turbo'].temperature, 0.3);

    // Each pane's Usage is its own recording's.
    const expect = (u) => ({
      Prompt: u.prompt_tokens,
      Completion: u.completion_tokens,
      Total: u.total_tokens,
    });
    assert.deepEqual(await usageOf(answerIn(one)), expect(GPT4.usage));
    assert.deepEqual(await usageOf(answerIn(two)), expect(GPT35.usage));
    assert.notDeepEqual(GPT4.usage, GPT35.usage);

    // The summary ranks the last turn; both panes are in it.
    const summary = page.getByRole('region', { name: 'Last turn summary' });
    const rows = summary.getByRole('row');
    await rows.nth(2).waitFor();
    assert.match(await summary.innerText(), /Cheapest: Pane \d/);
    assert.match(await summary.innerText(), /Fastest: Pane \d/);

    // Reload: compare is still on, with both panes, their models, overrides and answers.
    await page.reload();
    await pane(page, 2).waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Compare' }).getAttribute('aria-pressed'),
      'true',
    );
    assert.equal(
      await pane(page, 1).getByRole('combobox', { name: 'Model' }).inputValue(),
      'gpt-4',
    );
    assert.equal(
      await pane(page, 2).getByRole('combobox', { name: 'Model' }).inputValue(),
      'gpt-3.5-turbo',
    );
    await pane(page, 2).getByText('temperature 0.3').waitFor();
    assert.deepEqual(await usageOf(answerIn(pane(page, 1))), expect(GPT4.usage));
    assert.deepEqual(await usageOf(answerIn(pane(page, 2))), expect(GPT35.usage));
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('one pane gets a 500, later a 429, while the other completes; Retry re-runs only the failed pane', async () => {
    const page = await openConfigured();
    await startCompare(page);
    const [one, two] = [pane(page, 1), pane(page, 2)];
    app.api.enqueue(
      { ownFixture: 'own_500_html', model: 'gpt-4' },
      { ownFixture: 'own_stream_gpt35_usage', model: 'gpt-3.5-turbo' },
    );
    await send(page, 'Question one');
    const alert = one.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /500/);
    await answerIn(two).getByText('Paris is the capital of France.').waitFor();
    assert.equal(await two.getByRole('alert').count(), 0);
    // The failed pane keeps the user's turn; the HTML error page never ran.
    await one.getByRole('article', { name: 'User message' }).getByText('Question one').waitFor();
    assert.equal(await page.evaluate(() => window.__xss), undefined);

    app.api.enqueue({ ownFixture: 'own_stream_gpt4_usage', model: 'gpt-4' });
    await alert.getByRole('button', { name: 'Retry' }).click();
    await answerIn(one).getByText('on the Seine').waitFor();
    const retried = chatRequests().at(-1);
    assert.equal(chatRequests().length, 3);
    assert.equal(retried.body.model, 'gpt-4');
    assert.deepEqual(retried.body.messages, [{ role: 'user', content: 'Question one' }]);

    // Next turn: a 429 (quota, not retried) in pane 2 only; pane 1 continues its own history.
    app.api.enqueue(
      { ownFixture: 'own_stream_gpt4_usage', model: 'gpt-4' },
      { ownFixture: 'own_429_insufficient_quota', model: 'gpt-3.5-turbo' },
    );
    await send(page, 'Question two');
    const quota = two.getByRole('alert');
    await quota.waitFor();
    assert.match(await quota.innerText(), /429/);
    await one
      .getByRole('article', { name: 'Assistant message' })
      .nth(1)
      .getByLabel('Usage')
      .waitFor();
    assert.equal(await one.getByRole('alert').count(), 0);
    const second = chatRequests().slice(3);
    const gpt4 = second.find((r) => r.body.model === 'gpt-4').body;
    assert.deepEqual(
      gpt4.messages.map((m) => m.content),
      ['Question one', 'The capital of France is Paris, on the Seine.', 'Question two'],
    );

    // A malformed stream in pane 1 keeps its partial text and leaves pane 2 alone.
    const chunk = (content) => ({
      id: 'chatcmpl-x',
      object: 'chat.completion.chunk',
      model: 'gpt-4',
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    });
    app.api.enqueue(
      { sse: [chunk('Half an '), chunk('answer'), 'data: {"id": oops\n\n'], model: 'gpt-4' },
      { ownFixture: 'own_stream_gpt35_usage', model: 'gpt-3.5-turbo' },
    );
    await send(page, 'Question three');
    await answerIn(one)
      .getByText(/not valid JSON/)
      .waitFor();
    await answerIn(one).getByText('Half an answer').waitFor();
    await two
      .getByRole('article', { name: 'Assistant message' })
      .nth(1)
      .getByLabel('Usage')
      .waitFor();
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('Stop in one pane stops only that pane; the other streams to the end', async () => {
    const page = await openConfigured();
    await startCompare(page);
    const [one, two] = [pane(page, 1), pane(page, 2)];
    app.api.enqueue(
      { ownFixture: 'own_stream_long', model: 'gpt-4', holdAfter: 5 },
      { ownFixture: 'own_stream_gpt35_usage', model: 'gpt-3.5-turbo', delayMs: 150 },
    );
    await send(page, 'Count slowly');
    const stopOne = one.getByRole('button', { name: 'Stop' });
    await stopOne.waitFor();
    // Both answer at once: the global Stop is there, and Send waits.
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled(), true);
    await answerIn(one).getByText('Streaming means').waitFor();
    await stopOne.click();

    await answerIn(two).getByText('Paris is the capital of France.').waitFor();
    await answerIn(two).getByLabel('Usage').waitFor();
    const stopped = answerIn(one);
    await stopped.getByText(/Stopped: this answer is partial/).waitFor();
    const kept = await stopped.innerText();
    assert.match(kept, /Streaming means the server/);
    const gpt4Request = chatRequests().find((r) => r.body.model === 'gpt-4');
    const gpt35Request = chatRequests().find((r) => r.body.model === 'gpt-3.5-turbo');
    await app.api.waitForAbort(gpt4Request);
    assert.equal(gpt35Request.aborted, false);
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('a sweep makes one pane per value; "use this answer" continues from it alone', async () => {
    const page = await openConfigured();
    await startCompare(page);
    await page.getByText('Sweep', { exact: true }).click();
    const form = page.getByRole('form', { name: 'Sweep' });
    await form.getByLabel('Sweep model').fill('gpt-4o-mini');
    await form.getByLabel('Sweep values').fill('0, 0.7, 1.4');
    await form.getByLabel('Samples per pane (n)').fill('2');
    await form.getByRole('button', { name: 'Make panes' }).click();
    await pane(page, 3).waitFor();
    assert.equal(await pane(page, 4).count(), 0);

    app.api.enqueue(
      { ownFixture: 'own_stream_gpt35_usage' },
      { ownFixture: 'own_stream_gpt35_usage' },
      { ownFixture: 'own_stream_gpt4_usage' },
    );
    await send(page, 'Capital of France?');
    for (const n of [1, 2, 3]) await answerIn(pane(page, n)).getByLabel('Usage').waitFor();
    const sent = chatRequests().map((r) => [r.body.model, r.body.temperature, r.body.n]);
    assert.deepEqual(
      sent.sort((a, b) => a[1] - b[1]),
      [
        ['gpt-4o-mini', 0, 2],
        ['gpt-4o-mini', 0.7, 2],
        ['gpt-4o-mini', 1.4, 2],
      ],
    );

    // Pane 3's answer becomes the shared history, then compare is left with its setup.
    const third = answerIn(pane(page, 3));
    const chosenText = (await third.innerText()).includes('Seine')
      ? 'The capital of France is Paris, on the Seine.'
      : 'Paris is the capital of France.';
    await third.getByRole('button', { name: 'Use this answer' }).click();
    const status = page.getByRole('status').filter({ hasText: 'shared history' });
    await status.getByRole('button', { name: 'Leave compare with gpt-4o-mini' }).click();
    assert.equal(
      await page.getByRole('button', { name: 'Compare' }).getAttribute('aria-pressed'),
      'false',
    );
    assert.equal(await page.getByRole('combobox', { name: 'Model' }).inputValue(), 'gpt-4o-mini');

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await send(page, 'And of Spain?');
    await page.getByText('café-fuelled').waitFor();
    const last = chatRequests().at(-1).body;
    assert.equal(last.model, 'gpt-4o-mini');
    assert.equal(last.temperature, 1.4);
    assert.deepEqual(
      last.messages.map((m) => m.content),
      ['Capital of France?', chosenText, 'And of Spain?'],
    );
    assert.deepEqual(app.profile.pageErrors, []);
  });
});
