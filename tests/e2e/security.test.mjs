// The key in a hostile world: it goes only to the origin it was saved for, unless
// the user says otherwise, and nothing is sent before they do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useApp } from './harness.mjs';

const KEY = 'sk-CANARY-e2e-security-0123456789';
const app = useApp({ key: KEY });

const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });

describe('the key and its origin', () => {
  it('a base URL moved to another origin asks "Send key to …?" before anything goes', async () => {
    const page = await app.openConfigured();
    // The same server under another name is another origin to the browser.
    const moved = app.api.url.replace('127.0.0.1', 'localhost');
    const movedOrigin = new URL(moved).origin;
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('textbox', { name: 'Base URL' }).fill(moved);
    // From here on nothing may reach the server (the model list neither) until Send key.
    const before = app.api.requests.length;
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'hidden' });

    await messageBox(page).fill('Where does my key go?');
    await messageBox(page).press('Control+Enter');
    const ask = page.getByRole('dialog', { name: `Send key to ${movedOrigin}?` });
    await ask.waitFor();
    assert.equal(app.api.requests.length, before, 'nothing was sent before the answer');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'hidden' });
    assert.equal(app.api.requests.length, before, 'Cancel sends nothing');
    assert.equal(await messageBox(page).inputValue(), 'Where does my key go?');

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).press('Control+Enter');
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Send key' }).click();
    const [sent] = await app.waitForChatRequests(1);
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    await page.getByRole('article', { name: 'Assistant message' }).last().waitFor();
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });

    // Bound to the new origin now: no question on the next request.
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('Again');
    await messageBox(page).press('Control+Enter');
    await app.waitForChatRequests(2);
    assert.equal(await ask.count(), 0);
  });
});
