// Presets, the live token count and answer cost in real Chromium: the built app served
// under a sub-path, talking to the local replay server. Each test starts from a fresh profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saved, useApp } from './harness.mjs';
import { encodeChat } from 'gpt-tokenizer/model/gpt-4';

const KEY = 'sk-test-e2e-0123456789';
const HELLO_TEXT = 'Have a naïve, café-fuelled day ☀️';

const app = useApp({ key: KEY });
const { chatRequests, openConfigured } = app;

const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const systemBox = (page) => page.getByRole('textbox', { name: 'System message' });
const modelBox = (page) => page.getByRole('combobox', { name: 'Model', exact: true });
const presetMenuButton = (page) => page.getByRole('button', { name: /^Preset:/ });
/** Waits until the preset menu button shows `shown` (its accessible name is "Preset: <shown>"). */
const presetShown = (page, shown) =>
  page.getByRole('button', { name: `Preset: ${shown}`, exact: true }).waitFor();
const lastAnswer = (page) => page.getByRole('article', { name: 'Assistant message' }).last();

async function applyPreset(page, name) {
  await presetMenuButton(page).click();
  await page.getByRole('menu').getByRole('menuitem', { name, exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Applied “${name}”.` })
    .waitFor();
}

describe('presets', () => {
  it('a saved preset survives a reload and its params go on the wire', async () => {
    const page = await openConfigured();
    // Nothing is shown as applied until something is.
    await presetShown(page, 'Load a preset…');
    // The menu opens from the keyboard too, on its first item.
    await presetMenuButton(page).press('ArrowDown');
    await page.getByRole('menuitem', { name: 'Deterministic', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Deterministic');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await applyPreset(page, 'Deterministic');
    await presetShown(page, 'Deterministic');
    await modelBox(page).fill('gpt-4o-mini');
    await systemBox(page).fill('Answer in French.');
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByRole('textbox', { name: 'Preset name' }).fill('French mini');
    await page.getByRole('button', { name: 'Save preset' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “French mini”.' }).waitFor();

    // Move away from it, then reload.
    await applyPreset(page, 'Creative');
    await modelBox(page).fill('gpt-4');
    await systemBox(page).fill('Something else.');
    await saved(page);
    await page.reload();
    await systemBox(page).waitFor();
    assert.equal(await systemBox(page).inputValue(), 'Something else.');
    await presetShown(page, 'Load a preset…');

    // A saved name is refused again, with a message.
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByRole('textbox', { name: 'Preset name' }).fill('french MINI');
    await page.getByRole('button', { name: 'Save preset' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'already exists' });
    assert.equal(await refusal.innerText(), 'A preset named “French mini” already exists.');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();

    await applyPreset(page, 'French mini');
    await presetShown(page, 'French mini');
    assert.equal(await modelBox(page).inputValue(), 'gpt-4o-mini');
    assert.equal(await systemBox(page).inputValue(), 'Answer in French.');

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('Bonjour ?');
    await messageBox(page).press('Control+Enter');
    await lastAnswer(page).getByText(HELLO_TEXT).waitFor();
    const [body] = chatRequests().map((r) => r.body);
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.temperature, 0);
    assert.equal(body.seed, 42);
    assert.equal(body.top_p, undefined, 'Creative’s top_p was replaced, not merged');
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Bonjour ?' },
    ]);
    assert.deepEqual(app.profile.pageErrors, []);
  });
});

describe('token count and cost', () => {
  it('counts the prompt as it is typed, in a worker, off the main thread', async () => {
    const page = await openConfigured();
    const estimate = page.getByText(/prompt tokens \(estimated/);
    await messageBox(page).pressSequentially('Hello, world!');
    // gpt-4 is cl100k_base; the count includes the chat framing, as encodeChat does.
    const small = encodeChat([{ role: 'user', content: 'Hello, world!' }]).length;
    await page.getByText(`≈ ${small} prompt tokens (estimated)`).waitFor();
    assert.match(await estimate.innerText(), /context 8,192 · 8,181 left for the answer/);
    const counters = page.workers().filter((w) => /count\.worker/.test(w.url()));
    assert.equal(counters.length, 1, 'the count runs in one worker');

    await systemBox(page).fill('You are terse.');
    const withSystem = encodeChat([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hello, world!' },
    ]).length;
    await page.getByText(`≈ ${withSystem} prompt tokens (estimated)`).waitFor();

    const big = 'The quick brown fox jumps over the lazy dog. '.repeat(1500); // 67,500 characters
    await messageBox(page).fill(big);
    const bigCount = encodeChat([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: big },
    ]).length;
    const formatted = bigCount.toLocaleString('en-US');
    await page.getByText(`≈ ${formatted} prompt tokens (estimated)`).waitFor();
    const stillCounting = page.workers().filter((w) => /count\.worker/.test(w.url()));
    assert.equal(stillCounting.length, 1, 'the same worker counts the large prompt');
    assert.match(
      await estimate.innerText(),
      new RegExp(`${(bigCount - 8192).toLocaleString('en-US')} over the context window`),
    );

    await modelBox(page).fill('my-local-model');
    await page.getByText(/unknown model, counted as o200k_base/).waitFor();
    assert.doesNotMatch(await estimate.innerText(), /context/);
    assert.match(await estimate.innerText(), /no price for my-local-model/);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('an answer shows its cost from the reported usage, cached tokens included', async () => {
    const page = await openConfigured();
    await page.getByRole('checkbox', { name: 'Stream' }).uncheck();
    app.api.enqueue({
      json: {
        id: 'chatcmpl-cost',
        object: 'chat.completion',
        model: 'gpt-4o-2024-08-06',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Priced.' }, finish_reason: 'stop' },
        ],
        usage: {
          prompt_tokens: 1000,
          completion_tokens: 500,
          total_tokens: 1500,
          prompt_tokens_details: { cached_tokens: 600 },
        },
      },
    });
    await messageBox(page).fill('How much?');
    await messageBox(page).press('Control+Enter');
    const answer = lastAnswer(page);
    await answer.getByText('Priced.').waitFor();
    // 400 × $2.50 + 600 × $1.25 + 500 × $10 per 1M tokens (gpt-4o list prices)
    await answer.getByText('$0.0068', { exact: true }).waitFor();
    assert.match(await answer.getByLabel('Usage').innerText(), /Prompt\s*1000/);

    // The user's own price wins over the built-in one.
    await page.getByText('Prices', { exact: true }).click();
    const input = page.getByLabel('gpt-4o input $ per 1M tokens', { exact: true });
    await input.fill('3');
    await input.press('Tab');
    // 400 × $3 + 600 × $1.25 + 500 × $10 per 1M tokens
    await answer.getByText('$0.0070', { exact: true }).waitFor();
    await page.getByText('1 price of your own, saved on this device.').waitFor();
    await page.reload();
    await lastAnswer(page).getByText('$0.0070', { exact: true }).waitFor();
    await page.getByText('Prices', { exact: true }).click();
    await page.getByRole('button', { name: 'Reset prices to defaults' }).click();
    await lastAnswer(page).getByText('$0.0068', { exact: true }).waitFor();
  });
});
