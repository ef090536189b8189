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
/** The stop sequences shown as tags, as displayed (escapes visible). */
const stopTags = (scope) =>
  scope
    .getByRole('list', { name: 'Stop sequences' })
    .getByRole('listitem')
    .evaluateAll((items) => items.map((li) => li.firstElementChild?.textContent));

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

    // Stop sequences are tags: typed, then Enter; Backspace on the empty box takes the last back.
    const stopBox = aside.getByRole('textbox', { name: 'Add a stop sequence' });
    await stopBox.pressSequentially('\\n\\nEND');
    await stopBox.press('Enter');
    await stopBox.fill('###');
    await stopBox.press('Enter');
    await stopBox.fill('oops');
    await stopBox.press('Enter');
    const oops = aside.getByRole('button', { name: 'Remove sequence “oops”' });
    await oops.waitFor();
    await stopBox.press('Backspace');
    await oops.waitFor({ state: 'detached' });
    assert.deepEqual(await stopTags(aside), ['\\n\\nEND', '###']);
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
    // Described by the reason first, then by what the parameter does.
    const [reasonId, helpId] = (await temperature.getAttribute('aria-describedby')).split(' ');
    assert.equal(await page.locator(`[id="${reasonId}"]`).innerText(), reason);
    assert.match(await page.locator(`[id="${helpId}"]`).textContent(), /more random/);

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
    await aside.getByRole('textbox', { name: 'Add a stop sequence' }).fill('\\tEND');
    await aside.getByRole('textbox', { name: 'Add a stop sequence' }).press('Enter');
    await aside.getByRole('button', { name: 'Remove sequence “\\tEND”' }).waitFor();
    await fillEditor(page, 'Extra parameters (JSON)', '{"metadata": {"run": "1"}}');
    await aside.getByRole('combobox', { name: 'Response format' }).selectOption('json_object');
    await saved(page);
    await page.reload();

    await page.getByRole('checkbox', { name: 'Set Temperature' }).waitFor();
    assert.equal(await box(page, 'Temperature').inputValue(), '0');
    assert.equal(await page.getByRole('checkbox', { name: 'Set Temperature' }).isChecked(), true);
    assert.equal(await box(page, 'Max tokens').inputValue(), '1025');
    assert.deepEqual(await stopTags(aside), ['\\tEND']);
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

/**
 * The lowest contrast of any text in `root` (text nodes, and the values and
 * placeholders of fields) against what is painted behind it, opacity included.
 * CodeMirror's own theme and disabled controls (exempt in WCAG) are left out.
 */
function lowestContrast(root) {
  const rgba = (c) => {
    const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
    return { r: m[0], g: m[1], b: m[2], a: m[3] ?? 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.a > 0) layers.push(c);
      if (c.a === 1) break;
    }
    return layers.reduceRight((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  let worst = { ratio: Infinity, text: '' };
  const measure = (el, color, text) => {
    const fg = rgba(color);
    const bg = background(el);
    const seen = over({ ...fg, a: fg.a * opacity(el) }, bg);
    const [hi, lo] = [luminance(seen), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < worst.ratio) worst = { ratio, text: text.trim().slice(0, 40) };
  };
  const shown = (el) =>
    el.checkVisibility({ visibilityProperty: true }) && !el.closest('.cm-editor');
  const exempt = (el) => el.closest('button:disabled, input:disabled, select:disabled');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || !shown(el) || exempt(el)) continue;
    if (el.closest('select') || el.closest('.sr-only')) continue;
    measure(el, getComputedStyle(el).color, n.textContent);
  }
  for (const el of root.querySelectorAll('input, select')) {
    if (!shown(el) || exempt(el) || ['checkbox', 'range'].includes(el.type)) continue;
    if (el.value) measure(el, getComputedStyle(el).color, el.value);
    else if (el.placeholder)
      measure(el, getComputedStyle(el, '::placeholder').color, el.placeholder);
  }
  return worst;
}

describe('parameters at a glance', () => {
  for (const colorScheme of ['light', 'dark']) {
    it(`unset rows are greyed, yet every text in the column is at 4.5:1 or more (${colorScheme})`, async () => {
      const page = await openConfigured();
      await page.emulateMedia({ colorScheme });
      const aside = page.getByRole('complementary', { name: 'Model and parameters' });
      await aside.getByRole('region', { name: 'Tools' }).waitFor();
      // One set row beside the unset ones, and every help line open.
      await box(page, 'Temperature').fill('0.4');
      for (const info of await aside.getByRole('button', { name: /^About / }).all()) {
        await info.click();
      }
      const worst = await aside.evaluate(lowestContrast);
      assert.ok(worst.ratio >= 4.5, `“${worst.text}” is at ${worst.ratio.toFixed(2)}:1`);

      // Unset and set rows differ in colour, not only in a checkbox.
      const colour = (name) =>
        aside
          .getByRole('spinbutton', { name, exact: true })
          .evaluate((el) => getComputedStyle(el).color);
      assert.notEqual(await colour('Top P'), await colour('Temperature'));
    });
  }

  it('each parameter’s help opens from its info button, by keyboard too, and describes the controls', async () => {
    const page = await openConfigured();
    const aside = page.getByRole('complementary', { name: 'Model and parameters' });
    const info = aside.getByRole('button', { name: 'About Presence penalty' });
    const help = aside.getByText(/discourage any token that has already appeared/);
    assert.equal(await help.isVisible(), false);
    await info.focus();
    await page.keyboard.press('Enter');
    await help.waitFor();
    assert.equal(await info.getAttribute('aria-expanded'), 'true');
    const helpId = await help.getAttribute('id');
    const described = await slider(page, 'Presence penalty').getAttribute('aria-describedby');
    assert.equal(described, helpId);
    await page.keyboard.press('Space');
    await help.waitFor({ state: 'hidden' });
  });
});
