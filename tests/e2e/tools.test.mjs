// Tool calling in real Chromium: the Tools editor lints as you type and blocks
// Send, the replay server answers with parallel tool calls (or a legacy
// function_call), the results typed for them go back on the wire with the
// right ids, in both the current tools format and the legacy functions one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharedFixturesDir } from './browser.mjs';
import { fillEditor, useApp } from './harness.mjs';

const app = useApp();
const { chatRequests, openConfigured } = app;

const message = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const sendButton = (page) => page.getByRole('button', { name: 'Send', exact: true });
const toolsRegion = (page) => page.getByRole('region', { name: 'Tools' });
const editorText = (page) =>
  toolsRegion(page).getByRole('textbox', { name: 'Tools JSON' }).innerText();

const integerPair = {
  type: 'object',
  properties: { a: { type: 'integer' }, b: { type: 'integer' } },
  required: ['a', 'b'],
};
const fn = (name, parameters) => ({ type: 'function', function: { name, parameters } });

describe('tools', () => {
  it('lints a trailing comma and blocks Send; parallel calls get results sent back with their ids', async () => {
    const recorded = sharedFixturesDir() !== null;
    if (!recorded) console.warn('tools.test.mjs: c02 absent, using own_stream_parallel_tools');
    // c02 calls plus and minus; our own recording calls get_weather and get_time.
    const [first, second] = recorded ? ['plus', 'minus'] : ['get_weather', 'get_time'];
    const [firstId, secondId] = recorded
      ? ['call_8Sp49rZGndlZALo0uq1XvA7A', 'call_u5dbdPz1mAis8zZVk4ZBqXgL']
      : ['call_own_weather_1', 'call_own_time_2'];
    const [argsA, argsB] = recorded
      ? ['{"a": 2, "b": 3}', '{"a": 3, "b": 2}']
      : ['{"location": "Paris", "unit": "celsius"}', '{"timezone": "Europe/Paris"}'];
    const tools = [fn(first, integerPair), fn(second, integerPair)];
    const page = await openConfigured();
    await message(page).fill('Sum 2 and 3. Also subtract 2 from 3.');

    // A trailing comma: the editor marks it, the region says where, Send is blocked.
    const text = JSON.stringify(tools, null, 2).replace(/\}\n\]$/, '},\n]');
    await fillEditor(page, 'Tools JSON', text);
    const lines = text.split('\n');
    const commaLine = lines.length - 1;
    await toolsRegion(page)
      .getByText(new RegExp(`^Line ${commaLine}, column \\d+: `))
      .waitFor();
    // The editor underlines the comma itself (not the first character) and marks its line.
    const underlined = toolsRegion(page).locator('.cm-lintRange-error');
    await underlined.waitFor();
    assert.equal(await underlined.textContent(), ',');
    const marker = await toolsRegion(page).locator('.cm-lint-marker-error').boundingBox();
    const lineBox = await toolsRegion(page)
      .locator('.cm-line')
      .nth(commaLine - 1)
      .boundingBox();
    assert.ok(
      marker.y >= lineBox.y - 2 && marker.y < lineBox.y + lineBox.height,
      `the gutter marks line ${commaLine}`,
    );
    assert.equal(await sendButton(page).isDisabled(), true);
    await page.getByText(new RegExp(`Not sent: Tools JSON line ${commaLine}, column`)).waitFor();

    // Nothing typed is lost: the broken text survives a reload.
    await page.reload();
    await toolsRegion(page)
      .getByText(new RegExp(`^Line ${commaLine}, column`))
      .waitFor();
    assert.equal(await message(page).inputValue(), 'Sum 2 and 3. Also subtract 2 from 3.');

    await fillEditor(page, 'Tools JSON', JSON.stringify(tools, null, 2));
    await toolsRegion(page).getByText('2 definitions, sent as tools.').waitFor();
    assert.equal(await sendButton(page).isDisabled(), false);
    await toolsRegion(page).getByRole('combobox', { name: 'Tool choice' }).selectOption('required');

    app.api.enqueue(
      recorded
        ? { fixture: 'c02_stream_parallel_tool_calls' }
        : { ownFixture: 'own_stream_parallel_tools' },
    );
    await sendButton(page).click();
    const answer = page.getByRole('article', { name: 'Assistant message' }).last();
    const callA = answer.getByRole('group', { name: `Tool call ${first}` });
    await callA.waitFor();
    await answer.getByRole('group', { name: `Tool call ${second}` }).waitFor();
    // Arguments are pretty-printed once complete.
    await answer.getByLabel('Usage').waitFor();
    const args = await callA.getByLabel('Arguments').innerText();
    assert.match(args, /^\{\n {2}"/);

    const [req1] = chatRequests();
    assert.deepEqual(req1.body.tools, tools);
    assert.equal(req1.body.tool_choice, 'required');
    assert.equal('functions' in req1.body, false);

    // Both calls want a result before the conversation can go on.
    const resultA = page.getByRole('textbox', { name: `Result for ${first}` });
    const resultB = page.getByRole('textbox', { name: `Result for ${second}` });
    await resultA.waitFor();
    assert.equal(await sendButton(page).isDisabled(), true);
    await page.getByText(`Not sent: type a result for ${first} first`, { exact: false }).waitFor();
    await resultA.fill('{"result": 5}');
    await resultB.fill('{"result": 1}');
    assert.equal(await sendButton(page).isDisabled(), false);

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await resultB.press('Control+Enter');
    const req2 = (await app.waitForChatRequests(2))[1].body;
    // The calls go back exactly as the model streamed them, then one result per id.
    assert.deepEqual(req2.messages.slice(1), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: firstId, type: 'function', function: { name: first, arguments: argsA } },
          { id: secondId, type: 'function', function: { name: second, arguments: argsB } },
        ],
      },
      { role: 'tool', content: '{"result": 5}', tool_call_id: firstId },
      { role: 'tool', content: '{"result": 1}', tool_call_id: secondId },
    ]);
    assert.deepEqual(req2.tools, tools);
    await page
      .getByRole('article', { name: 'Assistant message' })
      .last()
      .getByLabel('Usage')
      .waitFor();
    assert.equal(await page.getByRole('article', { name: 'Tool message' }).count(), 2);
  });

  it('the legacy functions format: definitions converted, function_call answered by a function message', async () => {
    const page = await openConfigured();
    const region = toolsRegion(page);
    const weather = {
      type: 'object',
      properties: { location: { type: 'string' } },
      required: ['location'],
    };
    await fillEditor(page, 'Tools JSON', JSON.stringify([fn('get_weather', weather)], null, 2));
    await region.getByText('1 definition, sent as tools.').waitFor();
    await region.getByRole('combobox', { name: 'Wire format' }).selectOption('functions');
    await region.getByText('1 definition, sent as functions.').waitFor();
    // The editor now holds the legacy shape (and that is what is sent, below).
    const converted = [{ name: 'get_weather', parameters: weather }];
    assert.match(await editorText(page), /^\[\n {2}\{\n {4}"name": "get_weather",/);
    await region.getByRole('combobox', { name: 'Tool choice' }).selectOption('fn:get_weather');

    app.api.enqueue({ ownFixture: 'own_stream_function_call' });
    await message(page).fill('Weather in Paris?');
    await message(page).press('Control+Enter');
    const call = page
      .getByRole('article', { name: 'Assistant message' })
      .getByRole('group', { name: 'Tool call get_weather' });
    await call.waitFor();
    const [req1] = chatRequests();
    assert.deepEqual(req1.body.functions, converted);
    assert.deepEqual(req1.body.function_call, { name: 'get_weather' });
    assert.equal('tools' in req1.body, false);
    assert.equal('tool_choice' in req1.body, false);

    const result = page.getByRole('textbox', { name: 'Result for get_weather' });
    await result.fill('{"temperature": 21}');
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await sendButton(page).click();
    const req2 = (await app.waitForChatRequests(2))[1].body;
    assert.deepEqual(req2.messages, [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        function_call: { name: 'get_weather', arguments: '{"location": "Paris"}' },
      },
      { role: 'function', name: 'get_weather', content: '{"temperature": 21}' },
    ]);
    assert.deepEqual(req2.functions, converted);
  });

  it('an example and the form make definitions; cut-off arguments are shown raw; the inspector and View code carry the tools', async () => {
    const page = await openConfigured();
    const region = toolsRegion(page);
    await region.getByRole('combobox', { name: 'Example tool' }).selectOption('weather');
    await region.getByRole('button', { name: 'Insert example' }).click();
    await region.getByText('1 definition, sent as tools.').waitFor();

    await region.getByRole('button', { name: 'New function' }).click();
    const form = region.getByRole('form', { name: 'New function' });
    await form.getByRole('button', { name: 'Add to tools' }).click();
    await form
      .getByText(/Function name/)
      .first()
      .waitFor();
    assert.equal(await region.getByText('1 definition, sent as tools.').count(), 1);
    await form.getByRole('textbox', { name: 'Function name' }).fill('lookup_order');
    await form.getByRole('textbox', { name: 'Function description' }).fill('Find an order.');
    await form.getByRole('textbox', { name: 'Parameter 1 name' }).fill('order_id');
    await form.getByRole('button', { name: 'Add parameter' }).click();
    await form.getByRole('textbox', { name: 'Parameter 2 name' }).fill('verbose');
    await form.getByRole('combobox', { name: 'Parameter 2 type' }).selectOption('boolean');
    await form.getByRole('checkbox', { name: /required \(parameter 2\)/ }).uncheck();
    await form.getByRole('button', { name: 'Add to tools' }).click();
    await region.getByText('2 definitions, sent as tools.').waitFor();
    assert.equal(await form.count(), 0);
    // The prompt estimate counts the definitions.
    await page.getByText(/prompt tokens \(estimated, tool definitions included\)/).waitFor();

    app.api.enqueue({ ownFixture: 'own_stream_tool_bad_args' });
    await message(page).fill('Weather in Paris?');
    await sendButton(page).click();
    const call = page
      .getByRole('article', { name: 'Assistant message' })
      .getByRole('group', { name: 'Tool call get_weather' });
    await call.getByText(/not valid JSON/).waitFor();
    assert.equal(await call.getByLabel('Arguments').innerText(), '{"location": "Par');

    const [req1] = chatRequests();
    assert.deepEqual(
      req1.body.tools.map((t) => t.function.name),
      ['get_weather', 'lookup_order'],
    );
    assert.deepEqual(req1.body.tools[1], {
      type: 'function',
      function: {
        name: 'lookup_order',
        description: 'Find an order.',
        parameters: {
          type: 'object',
          properties: { order_id: { type: 'string' }, verbose: { type: ['boolean', 'null'] } },
          required: ['order_id', 'verbose'],
          additionalProperties: false,
        },
        strict: true,
      },
    });

    await page.getByRole('textbox', { name: 'Result for get_weather' }).fill('unknown city');
    await page.getByRole('button', { name: 'Request inspector' }).click();
    const next = JSON.parse(await page.getByLabel('Next request body').innerText());
    assert.deepEqual(next.tools, req1.body.tools);
    assert.deepEqual(next.messages.at(-1), {
      role: 'tool',
      content: 'unknown city',
      tool_call_id: 'call_own_cut_1',
    });
    await page
      .getByRole('region', { name: 'Request inspector' })
      .getByRole('button', { name: 'View code' })
      .click();
    const code = await page
      .getByRole('dialog', { name: 'View code' })
      .getByRole('tabpanel')
      .innerText();
    assert.match(code, /"tool_call_id": "call_own_cut_1"/);
    assert.match(code, /"name": "lookup_order"/);
  });

  it('the editor completes keys and values, formats on demand, and undoes', async () => {
    const page = await openConfigured();
    const region = toolsRegion(page);
    await fillEditor(page, 'Tools JSON', '[{');
    await page.keyboard.type('"ty');
    // A click on the option, not Enter: CodeMirror ignores Enter for 75 ms after
    // the list changes (so a fast typist never accepts by accident), and on a busy
    // machine the key can land inside that window.
    const options = page.getByRole('listbox');
    await options.getByRole('option', { name: /^type/ }).click();
    await page.keyboard.type('"fu');
    await options
      .getByRole('option', { name: /^function/ })
      .first()
      .click();
    // The completion is applied before typing on (a loaded machine is slower to apply it).
    await page.waitForFunction(() =>
      document.querySelector('[aria-label="Tools JSON"]')?.textContent?.includes('"function"'),
    );
    await options.waitFor({ state: 'hidden' });
    await page.keyboard.press('End');
    await page.keyboard.insertText(', "function": {"name": "ping"}}]');
    const typed = '[{"type": "function", "function": {"name": "ping"}}]';
    // On a timeout the assertion shows what the editor holds instead.
    await page
      .waitForFunction(
        (t) => document.querySelector('[aria-label="Tools JSON"]')?.textContent === t,
        typed,
        { timeout: 15_000 },
      )
      .catch(() => {});
    assert.equal(await editorText(page), typed);
    await region.getByText('1 definition, sent as tools.').waitFor();

    await region.getByRole('button', { name: 'Format' }).click();
    await page.waitForFunction(() =>
      document.querySelector('[aria-label="Tools JSON"]')?.textContent?.startsWith('[  {'),
    );
    assert.equal(
      await editorText(page),
      '[\n  {\n    "type": "function",\n    "function": {\n      "name": "ping"\n    }\n  }\n]',
    );
    await page.getByRole('textbox', { name: 'Tools JSON' }).click();
    await page.keyboard.press('Control+z');
    await region.getByText('1 definition, sent as tools.').waitFor();
    assert.equal(await editorText(page), '[{"type": "function", "function": {"name": "ping"}}]');
  });

  it('the Tools editor opens large: same text, lint and undo, one Tools JSON on the page', async () => {
    const page = await openConfigured();
    const region = toolsRegion(page);
    const named = page.getByRole('textbox', { name: 'Tools JSON', exact: true });
    await fillEditor(page, 'Tools JSON', '[]');
    await region.getByText('An empty list: no tools are sent.').waitFor();

    await region.getByRole('button', { name: 'Open large Tools editor' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tools' });
    await dialog.waitFor();
    assert.equal(await named.count(), 1);
    const large = dialog.getByRole('textbox', { name: 'Tools JSON', exact: true });
    assert.equal(await large.innerText(), '[]');
    // Much wider than the 272 px column.
    assert.ok((await large.boundingBox()).width > 600);
    // Focus is in the editor, at the end of the text.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.insertText('{"type": "function", "function": {"name": "ping"}},');
    // The lint line travels with the editor into the dialog.
    await dialog.getByText(/^Line 1, column \d+: /).waitFor();
    await page.keyboard.press('Backspace');
    await dialog.getByText('1 definition, sent as tools.').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });

    assert.equal(await named.count(), 1);
    assert.equal(await editorText(page), '[{"type": "function", "function": {"name": "ping"}}]');
    // The history made in the dialog undoes in the column, and on back past the opening.
    const holds = (text) =>
      page.waitForFunction(
        (t) => document.querySelector('[aria-label="Tools JSON"]')?.textContent === t,
        text,
      );
    await named.click();
    await page.keyboard.press('Control+z');
    await holds('[]');
    await region.getByText('An empty list: no tools are sent.').waitFor();
    await page.keyboard.press('Control+z');
    await holds('');
    assert.deepEqual(app.profile.pageErrors, []);
  });
});
