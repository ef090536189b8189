// The API of today (issue 17) in the browser: the developer role, and what an
// export says the next request is.
import assert from 'node:assert/strict';
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
