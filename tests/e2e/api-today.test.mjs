// The API of today (issue 17) in the browser: the developer role, and what an
// export says the next request is.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { saved, useApp } from './harness.mjs';

const app = useApp();
const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const stopGone = (page) =>
  page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });

describe('the developer role', () => {
  it("OpenAI's Default example imported and sent keeps its developer message", async () => {
    const page = await app.openConfigured();
    // The spec's "Default" request example for POST /chat/completions.
    const example = {
      model: 'gpt-4o',
      messages: [
        { role: 'developer', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello!' },
      ],
    };
    await page.getByLabel('Import', { exact: true }).setInputFiles({
      name: 'default-example.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(example)),
    });
    const role = page.getByRole('combobox', { name: 'System role' });
    await page.getByRole('article', { name: 'User message' }).getByText('Hello!').waitFor();
    assert.equal(
      await page.getByRole('textbox', { name: 'System message' }).inputValue(),
      'You are a helpful assistant.',
    );
    assert.equal(await role.inputValue(), 'developer');

    // The imported turn awaits its answer: Send asks for it, as written.
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('And again');
    await messageBox(page).press('Control+Enter');
    const [sent] = await app.waitForChatRequests(1);
    assert.deepEqual(sent.body.messages.slice(0, 2), example.messages);
    await stopGone(page);
  });

  it('follows the model until chosen: developer for o3, system for gpt-4, as picked after', async () => {
    const page = await app.openConfigured();
    await page.getByRole('textbox', { name: 'System message' }).fill('Be brief.');
    const role = page.getByRole('combobox', { name: 'System role' });
    assert.equal(await role.inputValue(), 'system');
    const model = page.getByRole('combobox', { name: 'Model' });
    await model.fill('o3');
    await model.press('Enter');
    assert.equal(await role.inputValue(), 'developer');

    await model.fill('gpt-4');
    await model.press('Enter');
    await role.selectOption('developer');
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('Hi');
    await messageBox(page).press('Control+Enter');
    const [sent] = await app.waitForChatRequests(1);
    assert.deepEqual(sent.body.messages[0], { role: 'developer', content: 'Be brief.' });
    await stopGone(page);
    // Kept with the conversation: a reload sends it the same way.
    await saved(page);
    await page.reload();
    assert.equal(
      await page.getByRole('combobox', { name: 'System role' }).inputValue(),
      'developer',
    );
  });
});

describe('answers of today', () => {
  it('reasoning apart with its tokens, sources as links, usage with its details', async () => {
    const page = await app.openConfigured();
    const base = { id: 'chatcmpl-today', object: 'chat.completion.chunk', model: 'o3' };
    const delta = (d) => ({ ...base, choices: [{ index: 0, delta: d }] });
    app.api.enqueue({
      sse: [
        delta({ role: 'assistant', reasoning_content: 'The user asks about otters. ' }),
        delta({ reasoning_content: 'Search, then answer briefly.' }),
        delta({ content: 'Sea otters hold hands while they sleep.' }),
        delta({
          annotations: [
            {
              type: 'url_citation',
              url_citation: {
                url: 'https://example.org/otters',
                title: 'Why otters hold hands',
                start_index: 0,
                end_index: 39,
              },
            },
          ],
        }),
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: 20,
            completion_tokens: 60,
            total_tokens: 80,
            prompt_tokens_details: { cached_tokens: 16 },
            completion_tokens_details: { reasoning_tokens: 48 },
          },
        },
        'data: [DONE]\n\n',
      ],
    });
    await messageBox(page).fill('Why do otters hold hands?');
    await messageBox(page).press('Control+Enter');
    await stopGone(page);
    const answer = page.getByRole('article', { name: 'Assistant message' }).last();
    const reasoning = answer.getByRole('group', { name: 'Reasoning' });
    assert.equal(await reasoning.locator('summary').innerText(), 'Reasoning · 48 tokens');
    assert.equal(await reasoning.getByText('Search, then answer briefly.').isVisible(), false);
    const link = answer
      .getByRole('navigation', { name: 'Sources' })
      .getByRole('link', { name: 'Why otters hold hands' });
    assert.equal(await link.getAttribute('href'), 'https://example.org/otters');
    const usage = answer.getByLabel('Usage');
    assert.match(await usage.innerText(), /Cached\s*16/);
    assert.match(await usage.innerText(), /Reasoning\s*48/);
    await page.screenshot({ path: 'test-results/answers-today.png' });
  });
});

describe('every request field', () => {
  it('the newer fields are set in the panel and go on the wire exactly; bad JSON blocks Send', async () => {
    const page = await app.openConfigured();
    const panel = page.getByRole('complementary', { name: 'Parameters' });
    await panel.getByText('More request fields').click();
    await panel.getByRole('combobox', { name: 'Service tier' }).selectOption('flex');
    await panel.getByRole('combobox', { name: 'Verbosity' }).selectOption('low');
    await panel.getByRole('checkbox', { name: 'Store' }).check();
    await panel.getByRole('textbox', { name: 'Prompt cache key' }).fill('experiment-7');
    const metadata = panel.getByRole('textbox', { name: 'Metadata' });
    await metadata.fill('{"experiment": ');
    // Not JSON yet: Send says why and sends nothing.
    await messageBox(page).fill('Hello');
    const blocker = page.getByText(/Metadata is not valid JSON/).first();
    await blocker.waitFor();
    // Once the page is up, the error says where, too (its parser loads after first
    // paint: an edit made before then says why, and the next one where).
    const placed = /Metadata is not valid JSON \(line 1, column \d+\): /;
    const deadline = Date.now() + 20_000;
    while (!placed.test(await blocker.innerText())) {
      assert.ok(Date.now() < deadline, `never placed: ${await blocker.innerText()}`);
      await metadata.fill('{"experiment":');
      await metadata.fill('{"experiment": ');
    }
    await metadata.fill('{"experiment": "a1"}');
    await blocker.waitFor({ state: 'detached' });
    // Valid now, and still as typed: nothing is reformatted under the caret.
    assert.equal(await metadata.inputValue(), '{"experiment": "a1"}');
    // gpt-4 is not of the family that takes verbosity: said, not dropped.
    await panel.getByText('gpt-4 may refuse verbosity').waitFor();

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).press('Control+Enter');
    const [sent] = await app.waitForChatRequests(1);
    assert.equal(sent.body.service_tier, 'flex');
    assert.equal(sent.body.verbosity, 'low');
    assert.equal(sent.body.store, true);
    assert.equal(sent.body.prompt_cache_key, 'experiment-7');
    assert.deepEqual(sent.body.metadata, { experiment: 'a1' });
    assert.equal('prediction' in sent.body, false, 'unset fields are not sent');
    await stopGone(page);
    await panel.getByRole('textbox', { name: 'Metadata' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/request-fields.png' });
  });
});

describe('images', () => {
  const PIXEL =
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

  it('attached and pasted go as image_url parts with the text; they survive reload, export and import', async () => {
    const page = await app.openConfigured();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Attach', exact: true }).click(),
    ]);
    await chooser.setFiles({
      name: 'red.png',
      mimeType: 'image/png',
      buffer: Buffer.from(PIXEL, 'base64'),
    });
    await messageBox(page).evaluate((box, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      box.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, PIXEL);
    await page.getByRole('group', { name: 'Attachment pasted.png' }).waitFor();
    await page
      .getByRole('group', { name: 'Attachment red.png' })
      .getByRole('img', { name: 'red.png' })
      .waitFor();
    await page.getByRole('combobox', { name: 'Image detail' }).selectOption('low');
    // A file the API does not read is refused with a sentence, the others kept.
    await page
      .getByLabel('Attach files')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
    await page
      .getByRole('alert')
      .filter({
        hasText: 'notes.txt is not an image (PNG, JPEG, WEBP, GIF), audio (WAV, MP3) or a PDF',
      })
      .waitFor();

    await page.screenshot({ path: 'test-results/images-composer.png' });
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('What colour are these?');
    await messageBox(page).press('Control+Enter');
    const [sent] = await app.waitForChatRequests(1);
    const url = `data:image/png;base64,${PIXEL}`;
    assert.deepEqual(sent.body.messages.at(-1), {
      role: 'user',
      content: [
        { type: 'text', text: 'What colour are these?' },
        { type: 'image_url', image_url: { url, detail: 'low' } },
        { type: 'image_url', image_url: { url, detail: 'low' } },
      ],
    });
    await stopGone(page);
    const user = page.getByRole('article', { name: 'User message' });
    await user.getByRole('img', { name: 'red.png' }).waitFor();
    assert.equal(
      await page.getByRole('group', { name: /^Attachment / }).count(),
      0,
      'the composer is empty again',
    );

    await saved(page);
    await page.reload();
    await page
      .getByRole('article', { name: 'User message' })
      .getByRole('img', { name: 'pasted.png' })
      .waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const text = await readFile(await download.path(), 'utf8');
    assert.equal(JSON.parse(text).conversations[0].messages[0].images.length, 2);
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel('Import', { exact: true }).setInputFiles({
      name: 'with-images.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await page
      .getByText(/^Imported /)
      .first()
      .waitFor();
    const imported = page.getByRole('article', { name: 'User message' }).first();
    await imported.getByRole('img', { name: 'red.png' }).waitFor();
  });
});
