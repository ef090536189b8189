// The core loop in real Chromium: the built app served under a sub-path, talking to the
// local replay server. Each test starts from a fresh browser profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { painted, rendered, saved, useApp } from './harness.mjs';
import { sharedFixturesDir, SHARED_ABSENT } from './browser.mjs';

const KEY = 'sk-test-e2e-0123456789';
const HELLO_TEXT = 'Have a naïve, café-fuelled day ☀️';

const app = useApp({ key: KEY });
const { chatRequests, openConfigured } = app;

async function send(page, text) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await page.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Enter');
}

const lastAnswer = (page) => page.getByRole('article', { name: 'Assistant message' }).last();

describe('the core loop', () => {
  it('first run, streamed answer with usage, exact wire body, follow-up', async () => {
    const page = await app.openFresh();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Paste an API key/);
    assert.equal(
      await dialog.getByRole('textbox', { name: 'Base URL' }).inputValue(),
      'https://api.openai.com/v1',
    );
    assert.equal(await dialog.getByLabel('API key').getAttribute('type'), 'password');
    await dialog.getByLabel('API key').fill(`  ${KEY}  `);
    await dialog.getByRole('textbox', { name: 'Base URL' }).fill(app.api.url + '/');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The model list comes from the endpoint.
    await page.getByText('3 models from').waitFor();
    const options = await page
      .locator('datalist option')
      .evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(options, ['gpt-3.5-turbo', 'gpt-4', 'gpt-4o-mini']);

    await page.getByRole('textbox', { name: 'System message' }).fill('You are terse.');
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await send(page, 'Say hello in a few languages');

    const answer = lastAnswer(page);
    await answer.getByText(HELLO_TEXT).waitFor();
    const usage = answer.getByLabel('Usage');
    assert.match(await usage.innerText(), /Prompt\s*18\s*Completion\s*58\s*Total\s*76/);
    assert.equal(
      await page.getByRole('textbox', { name: 'Message', exact: true }).inputValue(),
      '',
    );

    const [first] = chatRequests();
    assert.deepEqual(first.body, {
      model: 'gpt-4',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello in a few languages' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.equal(first.headers.authorization, `Bearer ${KEY}`);
    assert.equal(first.headers['content-type'], 'application/json');

    // Follow-up: the whole history goes back, the answer as it was received.
    app.api.enqueue({ ownFixture: 'own_stream_no_usage' });
    await send(page, 'Thanks!');
    await page.getByRole('article', { name: 'Assistant message' }).nth(1).waitFor();
    await page.getByText('No token usage reported by the provider.').waitFor();
    const second = chatRequests()[1];
    assert.deepEqual(
      second.body.messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.match(second.body.messages[2].content, /こんにちは/);
    assert.equal(second.body.messages[3].content, 'Thanks!');
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('Stop keeps the partial answer, and a reload restores the whole conversation', async () => {
    const page = await openConfigured();
    await page.getByRole('textbox', { name: 'System message' }).fill('Explain simply.');
    app.api.enqueue({ ownFixture: 'own_stream_long', holdAfter: 12 });
    await send(page, 'What is streaming?');
    await app.api.waitForHold();
    const answer = lastAnswer(page);
    await answer.getByText('Streaming means').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await app.api.waitForAbort(chatRequests()[0]);
    await answer.getByText('Stopped: this answer is partial.').waitFor();
    await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached' });
    await rendered(answer);
    const partial = await answer.locator('.markdown').innerText();
    assert.ok(partial.length > 0 && !partial.includes('what arrived stays'), partial);

    // A draft typed but not sent survives the reload too.
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('unsent draft');
    await saved(page);
    await page.reload();
    await page
      .getByRole('article', { name: 'User message' })
      .getByText('What is streaming?')
      .waitFor();
    const restored = lastAnswer(page);
    await restored.getByText('Stopped: this answer is partial.').waitFor();
    await rendered(restored);
    assert.equal(await restored.locator('.markdown').innerText(), partial);
    assert.equal(
      await page.getByRole('textbox', { name: 'System message' }).inputValue(),
      'Explain simply.',
    );
    assert.equal(
      await page.getByRole('textbox', { name: 'Message', exact: true }).inputValue(),
      'unsent draft',
    );
    // The key was remembered: no first-run dialog.
    assert.equal(await page.getByRole('dialog', { name: 'Settings' }).isVisible(), false);
  });

  it('Esc stops too; a reload during a stream keeps the partial answer as interrupted', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_long', holdAfter: 12 });
    await send(page, 'What is streaming?');
    await app.api.waitForHold();
    await lastAnswer(page).getByText('Streaming means').waitFor();
    await saved(page); // the partial answer, as far as it came
    await page.reload();
    const answer = lastAnswer(page);
    await answer.getByText(/Interrupted: the page closed/).waitFor();
    await answer.getByText('Streaming means').waitFor();

    app.api.reset();
    app.api.enqueue({ ownFixture: 'own_stream_long', holdAfter: 12 });
    await send(page, 'Again');
    await app.api.waitForHold();
    await lastAnswer(page).getByText('Streaming means').waitFor();
    await page.keyboard.press('Escape');
    await lastAnswer(page).getByText('Stopped: this answer is partial.').waitFor();
  });

  it('401: an alert names the host and shows the API message; the draft is kept', async () => {
    const page = await openConfigured({ key: 'sk-wrong' });
    app.api.enqueue({ ownFixture: 'own_401' });
    await send(page, 'Will this work?');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /The key was rejected by 127\.0\.0\.1:\d+ \(401\)/);
    assert.match(text, /HTTP 401/);
    assert.match(text, /Incorrect API key provided/);
    assert.doesNotMatch(text, /sk-wrong/);
    assert.equal(
      await page.getByRole('textbox', { name: 'Message', exact: true }).inputValue(),
      'Will this work?',
    );
    assert.equal(await page.getByRole('article', { name: 'User message' }).count(), 0);
    await alert.getByRole('button', { name: 'Open settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
  });

  it('429 then success: the retry is visible and the answer arrives', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_429_rate_limit' }, { ownFixture: 'own_stream_hello' });
    await send(page, 'Hello?');
    const notice = page.getByRole('status').filter({ hasText: 'Retrying in' });
    await notice.waitFor();
    assert.match(await notice.innerText(), /Rate limited by 127\.0\.0\.1:\d+ \(429\)/);
    await lastAnswer(page).getByText(HELLO_TEXT).waitFor();
    await notice.waitFor({ state: 'detached' });
    assert.equal(chatRequests().length, 2);
    assert.deepEqual(chatRequests()[1].body, chatRequests()[0].body);
    assert.equal(await page.getByRole('alert').count(), 0);
  });

  it('a web page where the API should be says to check the base URL, and keeps the draft', async () => {
    const page = await openConfigured();
    app.api.enqueue({
      body: '<!doctype html><html><body><h1>Welcome to my blog</h1><script>alert(1)</script>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    await send(page, 'Is this thing on?');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /did not answer like an OpenAI-compatible API \(it sent text\/html/);
    assert.match(text, /Welcome to my blog/);
    assert.doesNotMatch(text, /<h1>|<script>/);
    await alert.getByRole('button', { name: 'Open settings' }).waitFor();
    const draft = page.getByRole('textbox', { name: 'Message', exact: true });
    assert.equal(await draft.inputValue(), 'Is this thing on?');
  });

  it('retry-after: 3600 is waited a minute at most, and Retry now retries at once', async () => {
    const page = await openConfigured();
    app.api.enqueue(
      {
        ownFixture: 'own_429_rate_limit',
        headers: { 'retry-after': '3600' },
        exposeHeaders: ['X-Request-ID', 'retry-after'],
      },
      { ownFixture: 'own_stream_hello' },
    );
    await send(page, 'Hello?');
    const notice = page.getByRole('status').filter({ hasText: 'Retrying in' });
    await notice.waitFor();
    const text = await notice.innerText();
    const seconds = Number(/Retrying in (\d+) s/.exec(text)?.[1]);
    assert.ok(seconds > 0 && seconds <= 60, `waits at most a minute, not an hour: ${text}`);
    assert.match(text, /The server asked for 1 h/);
    await notice.getByRole('button', { name: 'Retry now' }).click();
    await lastAnswer(page).getByText(HELLO_TEXT).waitFor();
    await notice.waitFor({ state: 'detached' });
    assert.equal(chatRequests().length, 2);
  });

  it('429 retry can be cancelled; insufficient_quota is not retried', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_429_rate_limit' });
    await send(page, 'Hello?');
    const notice = page.getByRole('status').filter({ hasText: 'Retrying in' });
    await notice.getByRole('button', { name: 'Cancel retry' }).click();
    await notice.waitFor({ state: 'detached' });
    // Nothing is waiting to retry: the request is over and Send is back.
    await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('button', { name: 'Send' }).isEnabled(), true);
    assert.equal(chatRequests().length, 1);

    app.api.enqueue({ ownFixture: 'own_429_insufficient_quota' });
    await page.getByRole('button', { name: 'Send' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /out of credit/);
    // Out of credit is not retried: no retry notice, and the request is over.
    assert.equal(await page.getByText(/Retrying in/).count(), 0);
    await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached' });
    assert.equal(chatRequests().length, 2);
  });

  it('500 with an HTML body: status and readable text, nothing rendered or run', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_500_html' });
    await send(page, 'Hello?');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /server error \(500\)/);
    assert.match(text, /HTTP 500/);
    assert.doesNotMatch(text, /<\w+/);
    assert.equal(await alert.locator('img, script, style, iframe').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(
      await page.getByRole('textbox', { name: 'Message', exact: true }).inputValue(),
      'Hello?',
    );
  });

  it('a stream that stalls is stopped after the timeout; the partial answer is kept', async () => {
    const page = await openConfigured({ stallSeconds: 5 });
    app.api.enqueue({ ownFixture: 'own_stream_long', stallAfter: 10 });
    await send(page, 'What is streaming?');
    const answer = lastAnswer(page);
    await answer.getByText('Streaming means').waitFor();
    await answer.getByText(/Stalled: the stream went quiet/).waitFor();
    assert.match(await answer.getByRole('alert').innerText(), /nothing arrived from .* for 5 s/);
    await app.api.waitForAbort(chatRequests()[0]);
  });

  it('a stream that ends without finish_reason is marked incomplete', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_no_finish' });
    await send(page, 'Hi');
    await lastAnswer(page)
      .getByText(/Incomplete: the stream ended without a finish reason/)
      .waitFor();
  });

  it('a malformed chunk is an error; the partial answer is kept', async () => {
    const page = await openConfigured();
    const chunk = (content) => ({
      id: 'chatcmpl-x',
      object: 'chat.completion.chunk',
      model: 'gpt-4',
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    });
    app.api.enqueue({ sse: [chunk('Half an '), chunk('answer'), 'data: {"id": oops\n\n'] });
    await send(page, 'Hi');
    const answer = lastAnswer(page);
    await answer.getByText(/not valid JSON/).waitFor();
    await rendered(answer);
    assert.equal(await answer.locator('.markdown').innerText(), 'Half an answer');
  });

  it('finish_reason length is explained next to the answer', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_length' });
    await send(page, 'Write a long essay');
    await lastAnswer(page)
      .getByText(/reached the max tokens limit/)
      .waitFor();
  });

  it('model output with raw HTML and javascript: links stays inert', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_xss' });
    await send(page, 'Repeat this');
    const answer = lastAnswer(page);
    await answer.getByText('console.log').waitFor();
    await rendered(answer); // checked as HTML, not as the plain text shown while loading
    await painted(page);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await answer.locator('img, script, iframe, [onerror], [onclick]').count(), 0);
    // The raw HTML is shown as text.
    await answer.getByText('<img src=x onerror="window.__xss=1">').waitFor();
    const hrefs = await answer
      .locator('a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(
      hrefs.every((h) => h === null || !/^\s*javascript:/i.test(h)),
      String(hrefs),
    );
    const normal = answer.getByRole('link', { name: 'normal link' });
    assert.equal(await normal.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await normal.getAttribute('target'), '_blank');
    // The javascript: link is left as its text, not a link.
    await answer.getByText(/A click link and/).waitFor();
    assert.equal(await answer.getByRole('link', { name: 'click', exact: true }).count(), 0);
    // Raw text toggle shows the source.
    await answer.getByRole('button', { name: 'Raw text' }).click();
    await answer.getByText('[click](javascript:window.__xss=3)', { exact: false }).waitFor();
  });

  it('Stream off sends a plain request and shows the JSON answer with usage', async () => {
    const page = await openConfigured();
    await page.getByRole('checkbox', { name: 'Stream' }).uncheck();
    app.api.enqueue({
      json: {
        id: 'chatcmpl-plain',
        object: 'chat.completion',
        model: 'gpt-4-0613',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Plain answer.' },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
      },
    });
    await send(page, 'Hi');
    const answer = lastAnswer(page);
    await answer.getByText('Plain answer.').waitFor();
    assert.match(
      await answer.getByLabel('Usage').innerText(),
      /Prompt\s*9\s*Completion\s*3\s*Total\s*12/,
    );
    assert.equal(chatRequests()[0].body.stream, undefined);
    assert.equal(chatRequests()[0].body.stream_options, undefined);
  });

  it('edit, delete, add by hand and regenerate change what is sent', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await send(page, 'First question');
    await lastAnswer(page).getByText(HELLO_TEXT).waitFor();

    const user = page.getByRole('article', { name: 'User message' });
    await user.getByRole('button', { name: 'Edit' }).click();
    await user.getByRole('textbox', { name: 'Edit user message' }).fill('Edited question');
    await user.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('combobox', { name: 'Role of the new message' }).selectOption('user');
    await page.getByRole('button', { name: 'Add message' }).click();
    await page.getByRole('textbox', { name: 'Edit user message' }).fill('Added by hand');

    app.api.enqueue({ ownFixture: 'own_stream_no_usage' });
    await lastAnswer(page).getByRole('button', { name: 'Delete assistant message' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await lastAnswer(page).waitFor();
    await page.getByText('No token usage reported by the provider.').waitFor();
    assert.deepEqual(chatRequests()[1].body.messages, [
      { role: 'user', content: 'Edited question' },
      { role: 'user', content: 'Added by hand' },
    ]);

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await lastAnswer(page).getByRole('button', { name: 'Regenerate' }).click();
    await lastAnswer(page).getByText(HELLO_TEXT).waitFor();
    assert.equal(await page.getByRole('article', { name: 'Assistant message' }).count(), 1);
    assert.deepEqual(chatRequests()[2].body.messages, chatRequests()[1].body.messages);
  });

  it('a server that does not allow this page (CORS) gives the network message', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_hello', cors: false });
    await send(page, 'Hello?');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(
      await alert.innerText(),
      /Cannot reach 127\.0\.0\.1:\d+: offline, blocked by CORS, or wrong URL/,
    );
    assert.match(await alert.innerText(), /OLLAMA_ORIGINS/);
  });
});

describe('recorded traffic', { skip: sharedFixturesDir() ? false : SHARED_ABSENT }, () => {
  it('replays a recorded OpenAI stream (b02) with its usage', async () => {
    const page = await openConfigured();
    app.api.enqueue({ fixture: 'b02_stream_gpt4o_include_usage' });
    await send(page, 'Hi');
    const answer = lastAnswer(page);
    await answer.getByLabel('Usage').waitFor();
    assert.match(await answer.getByLabel('Usage').innerText(), /Total\s*\d+/);
    assert.match(await answer.innerText(), /gpt-4o-2024-08-06/);
  });

  it('an error inside a 200 stream (OpenRouter i09) is an alert, partial kept', async () => {
    const page = await openConfigured();
    app.api.enqueue({ fixture: 'i09_openrouter_stream_midstream_error' });
    await send(page, 'Hi');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Token limit reached|error/i);
  });
});
