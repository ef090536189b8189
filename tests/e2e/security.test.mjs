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

/** Every record of the app's IndexedDB, as [key, JSON text]. */
function storedRecords(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('parley');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('kv').objectStore('kv');
          const keys = store.getAllKeys();
          const values = store.getAll();
          values.onsuccess = () =>
            resolve(keys.result.map((k, i) => [String(k), JSON.stringify(values.result[i])]));
        };
      }),
  );
}

describe('the canary key stays in the Authorization header', () => {
  it('a hostile streamed answer runs nothing, loads nothing, and the key shows nowhere', async () => {
    const page = await app.openConfigured();
    const console = [];
    page.on('console', (m) => console.push(m.text()));
    const base = { id: 'chatcmpl-xss', object: 'chat.completion.chunk', model: 'gpt-4' };
    // Tags cut across chunks, SVG and MathML (mXSS), Markdown link and image tricks.
    const hostile = [
      '<scr',
      'ipt>window.__pwned=1</scr',
      'ipt>\n\n<img src=x one',
      'rror="window.__pwned=2">\n\n',
      '<svg><animate onbegin="window.__pwned=3" attributeName=x dur=1s>\n\n',
      '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=4">\n\n',
      '[click](javascript:window.__pwned=5) and [data](data:text/html,<script>1</script>)\n\n',
      '![tracker](https://tracker.example/pixel.png?c=secret)\n\n',
      // The key echoed back, cut across two chunks as a model's tokens would be.
      `Echo: ${KEY.slice(0, 12)}`,
      `${KEY.slice(12)}\n\nDone.`,
    ];
    app.api.enqueue({
      sse: [
        ...hostile.map((content) => ({ ...base, choices: [{ index: 0, delta: { content } }] })),
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        'event: execute\ndata: window.__pwned=6\n\n',
        'data: [DONE]\n\n',
      ],
    });
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await messageBox(page).fill('Show me your worst');
    await messageBox(page).press('Control+Enter');
    const answer = page.getByRole('article', { name: 'Assistant message' }).last();
    await answer.getByText('Done.').waitFor();
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });

    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing ran');
    assert.equal(await answer.locator('img, svg, math, script, iframe').count(), 0);
    assert.ok(!requested.some((u) => u.includes('tracker.example')), 'no remote image fetched');
    const link = answer.getByRole('link', { name: 'click' });
    if ((await link.count()) > 0) {
      assert.doesNotMatch((await link.getAttribute('href')) ?? '', /^javascript:/i);
    }

    // The key: on the wire only as the Authorization header to the chosen origin.
    const [sent] = await app.waitForChatRequests(1);
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    const html = await page.content();
    assert.ok(!html.includes(KEY), 'the key is in the page');
    assert.ok(!page.url().includes(KEY), 'the key is in the URL');
    assert.ok(!console.some((line) => line.includes(KEY)), 'the key is in the console');
    const holders = (await storedRecords(page)).filter(([, v]) => v.includes(KEY));
    assert.deepEqual(
      holders.map(([k]) => k),
      ['apiKey'],
      'only the key record holds the key',
    );
  });
});

describe('remembering the key is a choice', () => {
  it('a first run keeps the key for the session only: nothing stored, asked again after a reload', async () => {
    const page = await app.openFresh();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    const remember = dialog.getByRole('checkbox', { name: 'Remember key on this device' });
    assert.equal(await remember.isChecked(), false);
    assert.match(await dialog.innerText(), /Kept in this tab’s memory only/);
    await app.fillFirstRun(page, { key: KEY });

    const sent = await app.ask(page, 'Hello');
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    const holders = (await storedRecords(page)).filter(([, v]) => v.includes(KEY));
    assert.deepEqual(holders, [], 'the key is stored nowhere');

    // After a reload the key is gone (a local endpoint needs none, so nothing asks at once).
    await page.reload();
    await messageBox(page).waitFor();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    assert.equal(await page.getByLabel('API key').inputValue(), '');
  });
});

/** Locks the remembered key with `passphrase` in Settings. */
async function lockKey(page, passphrase) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('checkbox', { name: 'Lock key with a passphrase' }).check();
  await settings.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.waitFor({ state: 'hidden' });
}

describe('a key locked with a passphrase', () => {
  it('is stored sealed, asked for after a reload, and sent only once unlocked', async () => {
    const page = await app.openConfigured();
    await lockKey(page, 'open sesame 42');

    const sealed = async () => {
      const records = await storedRecords(page);
      assert.deepEqual(
        records.filter(([, v]) => v.includes(KEY)),
        [],
        'no record holds the plain key',
      );
      const [, key] = records.find(([k]) => k === 'apiKey') ?? [];
      const record = JSON.parse(key ?? 'null');
      assert.deepEqual(Object.keys(record ?? {}).sort(), [
        'ciphertext',
        'iterations',
        'iv',
        'salt',
        'v',
      ]);
      assert.ok(record.iterations >= 600_000);
    };
    await sealed();

    await page.reload();
    const unlock = page.getByRole('dialog', { name: 'Unlock key' });
    await unlock.waitFor();
    await sealed();
    const before = app.api.requests.length;
    await unlock.getByLabel('Passphrase', { exact: true }).fill('open sesame 41');
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await unlock
      .getByRole('alert')
      .filter({ hasText: 'That passphrase does not unlock the key.' })
      .waitFor();
    // Not now: the draft is kept, Send asks again, and nothing goes without the key.
    await unlock.getByRole('button', { name: 'Not now' }).click();
    await unlock.waitFor({ state: 'hidden' });
    await messageBox(page).fill('Sent only when unlocked');
    await messageBox(page).press('Control+Enter');
    await unlock.waitFor();
    assert.equal(app.api.requests.length, before, 'nothing was sent while locked');

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await unlock.getByLabel('Passphrase', { exact: true }).fill('open sesame 42');
    await unlock.getByLabel('Passphrase', { exact: true }).press('Enter');
    await unlock.waitFor({ state: 'hidden' });
    assert.equal(await messageBox(page).inputValue(), 'Sent only when unlocked');
    await messageBox(page).press('Control+Enter');
    const [sent] = await app.waitForChatRequests(1);
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });
    await sealed();
  });

  it('a key forgotten in a second tab is forgotten in the first, which then sends no key', async () => {
    const page = await app.openConfigured();
    const second = await app.profile.context.newPage();
    await second.goto(page.url());
    await second.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = second.getByRole('dialog', { name: 'Settings' });
    assert.equal(await settings.getByLabel('API key').inputValue(), KEY);
    await settings.getByRole('button', { name: 'Forget key' }).click();
    await settings.getByRole('status').filter({ hasText: 'removed from this device' }).waitFor();
    await second.close();

    // The first tab, which had the key in memory, drops it too: its local
    // endpoint needs none, so the next request goes without Authorization.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const first = page.getByRole('dialog', { name: 'Settings' });
    await first.waitFor();
    assert.equal(await first.getByLabel('API key').inputValue(), '');
    await first.getByRole('button', { name: 'Cancel' }).click();
    const sent = await app.ask(page, 'Which key?');
    assert.notEqual(sent.headers.authorization, `Bearer ${KEY}`);
    assert.equal((await storedRecords(page)).filter(([, v]) => v.includes(KEY)).length, 0);
  });
});

describe('Clear all data', () => {
  it('removes the locked key, the conversations and the settings; the page starts as a first run', async () => {
    const page = await app.openConfigured();
    await app.ask(page, 'Something private');
    await lockKey(page, 'open sesame 42');
    assert.ok((await storedRecords(page)).some(([k]) => k === 'apiKey'));

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByText('More').click();
    await settings.getByRole('button', { name: 'Clear all data…' }).click();
    await settings.getByRole('button', { name: 'Clear all data', exact: true }).click();

    // The page starts again, empty: a first run asks for the key.
    const firstRun = page.getByRole('dialog', { name: 'Settings' });
    await firstRun.getByText(/Paste an API key/).waitFor();
    assert.equal(await firstRun.getByLabel('API key').inputValue(), '');
    assert.equal(await page.getByRole('dialog', { name: 'Unlock key' }).count(), 0);
    assert.equal(await page.getByText('Something private').count(), 0);
    const left = (await storedRecords(page)).filter(
      ([k, v]) => k === 'apiKey' || k === 'settings' || v.includes('Something private'),
    );
    assert.deepEqual(left, [], 'nothing of before is stored');
  });
});

describe('a key pasted wrong', () => {
  it('a zero-width space inside the key is refused with a sentence, and nothing is saved', async () => {
    const page = await app.openFresh();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('API key').fill(`${KEY.slice(0, 10)}\u200b${KEY.slice(10)}`);
    await dialog.getByRole('textbox', { name: 'Base URL' }).fill(app.api.url);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/not plain ASCII/).waitFor();
    assert.equal(await dialog.isVisible(), true);
    assert.deepEqual(
      (await storedRecords(page)).filter(([, v]) => v.includes(KEY.slice(0, 10))),
      [],
    );
    // Pasted again, with a trailing line break, it is taken (trimmed).
    await dialog.getByLabel('API key').fill(`${KEY}\n`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const sent = await app.ask(page, 'Hi');
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
  });
});
