// Every parameter, exactly on the wire: each control is driven the way a person
// would (keyboard, typing, clicks) in real Chromium, and the replay server's view
// of the request body is compared whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillEditor, saved, useApp } from './harness.mjs';

const KEY = 'sk-test-e2e-0123456789';
const HELLO_TEXT = 'Have a naïve, café-fuelled day ☀️';

const app = useApp({ key: KEY });
const { chatRequests, openConfigured } = app;

const message = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const slider = (page, name) => page.getByRole('slider', { name, exact: true });
const box = (page, name) => page.getByRole('spinbutton', { name, exact: true });

async function sendAndWait(page, text) {
  await message(page).fill(text);
  await message(page).press('Control+Enter');
  await page
    .getByRole('article', { name: 'Assistant message' })
    .last()
    .getByText(HELLO_TEXT)
    .waitFor();
}

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

describe('parameters on the wire', () => {
  it('every control, set by keyboard and typing, is sent exactly; temperature 0 is 0', async () => {
    const page = await openConfigured();
    const aside = page.getByRole('complementary', { name: 'Model and parameters' });

    // Unset: greyed, showing the API default, not sent.
    assert.equal(await box(page, 'Temperature').inputValue(), '1');
    await aside.getByText('default 1').first().waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'Set Temperature' }).isChecked(), false);

    await box(page, 'Temperature').fill('0');
    // Shift+arrows move ten steps, plain arrows one; the slider starts from the default.
    await slider(page, 'Top P').press('Shift+ArrowDown');
    await slider(page, 'Top P').press('ArrowDown');
    await box(page, 'Frequency penalty').fill('0.5');
    await box(page, 'Frequency penalty').press('ArrowUp');
    await slider(page, 'Presence penalty').press('ArrowLeft');
    await slider(page, 'Presence penalty').press('Shift+ArrowLeft');
    await box(page, 'Max tokens').fill('300');
    assert.equal(await box(page, 'Top P').inputValue(), '0.89');
    assert.equal(await slider(page, 'Presence penalty').inputValue(), '-0.11');
    await aside.getByText('Sent as max_tokens.').waitFor();

    await aside.getByRole('button', { name: 'Add sequence' }).click();
    await aside.getByRole('textbox', { name: 'Stop sequence 1' }).pressSequentially('\\n\\nEND');
    await aside.getByRole('button', { name: 'Add sequence' }).click();
    await aside.getByRole('textbox', { name: 'Stop sequence 2' }).fill('###');
    // The contract's Stop button (absent while idle) must stay the only button named so.
    assert.equal(await page.getByRole('button', { name: 'Stop' }).count(), 0);

    await box(page, 'Seed').fill('42');
    await box(page, 'Choices (n)').fill('2');
    await aside.getByRole('checkbox', { name: 'Logprobs', exact: true }).check();
    await slider(page, 'Top logprobs').press('Shift+ArrowRight');

    await aside.getByRole('combobox', { name: 'Response format' }).selectOption('json_schema');
    await aside.getByRole('textbox', { name: 'Schema name' }).fill('city_answer');
    await fillEditor(page, 'JSON schema', JSON.stringify(SCHEMA, null, 2));

    // gpt-4 uses cl100k_base, where token 12366 is " Paris".
    await aside.getByRole('textbox', { name: 'Token id' }).fill('12366');
    await aside.getByText('" Paris"').waitFor();
    await aside.getByRole('spinbutton', { name: 'Bias', exact: true }).fill('-100');
    await aside.getByRole('button', { name: 'Add bias' }).click();
    await aside.getByRole('spinbutton', { name: 'Bias for token 12366' }).waitFor();

    await aside.getByRole('textbox', { name: 'User', exact: true }).fill('alice');
    await fillEditor(page, 'Extra parameters (JSON)', '{"service_tier": "default"}');
    await aside.getByText('Merged into the body last').waitFor();

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await sendAndWait(page, 'Where is the Eiffel tower?');
    const [request] = chatRequests();
    assert.deepEqual(request.body, {
      model: 'gpt-4',
      messages: [{ role: 'user', content: 'Where is the Eiffel tower?' }],
      temperature: 0,
      top_p: 0.89,
      frequency_penalty: 0.51,
      presence_penalty: -0.11,
      max_tokens: 300,
      stop: ['\n\nEND', '###'],
      seed: 42,
      n: 2,
      user: 'alice',
      logprobs: true,
      top_logprobs: 10,
      logit_bias: { 12366: -100 },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'city_answer', strict: true, schema: SCHEMA },
      },
      stream: true,
      stream_options: { include_usage: true },
      service_tier: 'default',
    });

    // An extra key that overrides a control is flagged, and the extra value wins.
    await fillEditor(page, 'Extra parameters (JSON)', '{"temperature": 0.3}');
    await aside.getByText('Overrides temperature').waitFor();
    // Unsetting a parameter removes it from the body.
    await page.getByRole('checkbox', { name: 'Set Seed' }).uncheck();
    assert.equal(await box(page, 'Seed').inputValue(), '');
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await sendAndWait(page, 'Again');
    const second = chatRequests()[1].body;
    assert.equal(second.temperature, 0.3);
    assert.equal('seed' in second, false);
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('an invalid value says why next to it, blocks Send, and nothing is sent', async () => {
    const page = await openConfigured();
    const temperature = box(page, 'Temperature');
    await temperature.fill('5');
    assert.equal(await temperature.getAttribute('aria-invalid'), 'true');
    const reason = 'Temperature must be between 0 and 2 (got 5).';
    const describedBy = await temperature.getAttribute('aria-describedby');
    assert.equal(await page.locator(`[id="${describedBy}"]`).innerText(), reason);

    await message(page).fill('Hello?');
    const send = page.getByRole('button', { name: 'Send' });
    assert.equal(await send.isDisabled(), true);
    await page.getByText(`Not sent: ${reason}`).waitFor();
    await message(page).press('Control+Enter');

    // A schema that is not JSON yet blocks too.
    await temperature.fill('2');
    const aside = page.getByRole('complementary', { name: 'Model and parameters' });
    await aside.getByRole('combobox', { name: 'Response format' }).selectOption('json_schema');
    await fillEditor(page, 'JSON schema', '{"type": "object",');
    await page.getByText(/Not sent: The JSON schema is not valid JSON/).waitFor();
    assert.equal(await send.isDisabled(), true);
    assert.equal(chatRequests().length, 0);

    // Fixed, it sends.
    await fillEditor(page, 'JSON schema', '{"type": "object"}');
    assert.equal(await send.isDisabled(), false);
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await send.click();
    await page.getByRole('article', { name: 'Assistant message' }).getByText(HELLO_TEXT).waitFor();
    assert.equal(chatRequests().length, 1);
    assert.equal(chatRequests()[0].body.temperature, 2);
    assert.deepEqual(chatRequests()[0].body.response_format.json_schema.schema, {
      type: 'object',
    });
  });

  it('reasoning models get max_completion_tokens and reasoning effort; the key can be chosen', async () => {
    const page = await openConfigured();
    const aside = page.getByRole('complementary', { name: 'Model and parameters' });
    assert.equal(await aside.getByRole('combobox', { name: 'Reasoning effort' }).count(), 0);
    await page.getByRole('combobox', { name: 'Model' }).fill('o3-mini');
    await box(page, 'Max tokens').fill('2000');
    await aside.getByText('Sent as max_completion_tokens.').waitFor();
    await aside.getByRole('combobox', { name: 'Reasoning effort' }).selectOption('low');
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await sendAndWait(page, 'Think');
    assert.equal(chatRequests()[0].body.max_completion_tokens, 2000);
    assert.equal(chatRequests()[0].body.reasoning_effort, 'low');
    assert.equal('max_tokens' in chatRequests()[0].body, false);

    await aside.getByRole('combobox', { name: 'Max tokens field' }).selectOption('max_tokens');
    await aside.getByText('Sent as max_tokens.').waitFor();
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await sendAndWait(page, 'Again');
    assert.equal(chatRequests()[1].body.max_tokens, 2000);
    assert.equal('max_completion_tokens' in chatRequests()[1].body, false);
  });

  it('parameters survive a reload and are sent the same afterwards', async () => {
    const page = await openConfigured();
    const aside = page.getByRole('complementary', { name: 'Model and parameters' });
    await box(page, 'Temperature').fill('0');
    await slider(page, 'Max tokens').press('ArrowRight');
    await aside.getByRole('button', { name: 'Add sequence' }).click();
    await aside.getByRole('textbox', { name: 'Stop sequence 1' }).fill('\\tEND');
    await fillEditor(page, 'Extra parameters (JSON)', '{"metadata": {"run": "1"}}');
    await aside.getByRole('combobox', { name: 'Response format' }).selectOption('json_object');
    await saved(page);
    await page.reload();

    await page.getByRole('checkbox', { name: 'Set Temperature' }).waitFor();
    assert.equal(await box(page, 'Temperature').inputValue(), '0');
    assert.equal(await page.getByRole('checkbox', { name: 'Set Temperature' }).isChecked(), true);
    assert.equal(await box(page, 'Max tokens').inputValue(), '1025');
    assert.equal(
      await aside.getByRole('textbox', { name: 'Stop sequence 1' }).inputValue(),
      '\\tEND',
    );
    assert.equal(
      await aside.getByRole('combobox', { name: 'Response format' }).inputValue(),
      'json_object',
    );
    await aside
      .getByRole('textbox', { name: 'Extra parameters (JSON)' })
      .getByText('metadata')
      .waitFor();

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await sendAndWait(page, 'Answer in JSON');
    const { model, messages, stream, stream_options, ...params } = chatRequests()[0].body;
    assert.deepEqual(
      { model, messages, stream, stream_options },
      {
        model: 'gpt-4',
        messages: [{ role: 'user', content: 'Answer in JSON' }],
        stream: true,
        stream_options: { include_usage: true },
      },
    );
    assert.deepEqual(params, {
      temperature: 0,
      max_tokens: 1025,
      stop: ['\tEND'],
      response_format: { type: 'json_object' },
      metadata: { run: '1' },
    });
  });
});
