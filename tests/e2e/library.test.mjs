// Conversations kept and shared (issue 6), in real Chromium: export then import in
// another profile, a hostile file rendered inert, two tabs that must not overwrite
// each other, share links, and the Conversations list itself.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { painted, rendered, saved, useApp } from './harness.mjs';
import { newProfile } from './browser.mjs';

const KEY = 'sk-test-e2e-library-0123456789';
const HELLO_TEXT = 'Have a naïve, café-fuelled day ☀️';

const app = useApp({ key: KEY });

const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const conversations = (page) => page.getByRole('navigation', { name: 'Conversations' });

async function send(page, text) {
  await messageBox(page).fill(text);
  await messageBox(page).press('Control+Enter');
}

/** A configured profile holding one streamed exchange. */
async function oneExchange(question = 'Say hello in a few languages') {
  const page = await app.openConfigured();
  await page.getByRole('textbox', { name: 'System message' }).fill('You are terse.');
  app.api.enqueue({ ownFixture: 'own_stream_hello' });
  await send(page, question);
  await page.getByRole('article', { name: 'Assistant message' }).getByText(HELLO_TEXT).waitFor();
  return page;
}

async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** A second profile, first-run settings dismissed (no key: nothing is sent anywhere). */
async function freshProfile() {
  const other = await newProfile();
  await other.page.goto(app.site.url);
  const dialog = other.page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return other;
}

// Every text field of a conversation carries markup that would run if it became HTML.
const HOSTILE = [
  '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
  '<script>window.__pwned=(window.__pwned||0)+1</script>',
  '[click me](javascript:window.__pwned=1)',
  '<a href="javascript:window.__pwned=1">link</a>',
  '<svg onload="window.__pwned=1"></svg>',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
].join(' ');

function hostileFile() {
  const now = Date.parse('2026-11-01T10:00:00Z');
  const conv = {
    schemaVersion: 1,
    id: 'hostile-1',
    title: `Title ${HOSTILE}`,
    createdAt: now,
    updatedAt: now,
    systemMessage: `System ${HOSTILE}`,
    model: `gpt-4<img src=x onerror="window.__pwned=1">`,
    stream: true,
    params: {},
    tools: {
      json: `[{"type":"function","function":{"name":"lookup","description":"${HOSTILE.replace(/"/g, '\\"')}","parameters":{"type":"object","properties":{}}}}]`,
      format: 'tools',
    },
    messages: [
      { id: 'm1', role: 'user', content: `User ${HOSTILE}`, name: 'eve<script>x</script>' },
      {
        id: 'm2',
        role: 'assistant',
        content: `Assistant ${HOSTILE}`,
        status: 'done',
        finishReason: 'tool_calls',
        toolCalls: [
          {
            id: 'call_1',
            type: 'function',
            name: 'lookup',
            arguments: `{"q":"${HOSTILE.replace(/"/g, '\\"')}"}`,
          },
        ],
      },
      { id: 'm3', role: 'tool', toolCallId: 'call_1', content: `Tool ${HOSTILE}` },
      {
        id: 'm4',
        role: 'assistant',
        content: `Refused`,
        refusal: `Refusal ${HOSTILE}`,
        status: 'done',
      },
    ],
    draft: `Draft ${HOSTILE}`,
  };
  return JSON.stringify(
    {
      format: 'parley.conversations',
      version: 1,
      exportedAt: '2026-11-01T10:00:00.000Z',
      conversations: [conv],
    },
    null,
    2,
  );
}

/** What would show that markup from the file became live HTML. */
function liveMarkup(page) {
  return page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    scripts: [...document.querySelectorAll('body script')].length,
    handlers: [...document.querySelectorAll('body *')].filter((el) =>
      [...el.attributes].some((a) => /^on/i.test(a.name)),
    ).length,
    jsLinks: [...document.querySelectorAll('[href], [src]')].filter((el) =>
      /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? ''),
    ).length,
    frames: document.querySelectorAll('iframe, svg[onload]').length,
  }));
}

const INERT = { pwned: null, scripts: 0, handlers: 0, jsLinks: 0, frames: 0 };

describe('export and import', () => {
  it('a conversation exported here imports in a fresh profile as the same conversation, without the key', async () => {
    const page = await oneExchange();
    const exported = await download(page, () =>
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    );
    assert.match(exported.name, /^parley-say-hello-in-a-few-languages-\d{4}-\d{2}-\d{2}\.json$/);
    assert.ok(!exported.text.includes(KEY), 'the API key is not in the file');
    assert.ok(!exported.text.includes('127.0.0.1'), 'the endpoint (a setting) is not in the file');
    const file = JSON.parse(exported.text);
    assert.equal(file.format, 'parley.conversations');
    assert.equal(file.version, 1);
    assert.equal(file.conversations.length, 1);

    const other = await freshProfile();
    try {
      const page2 = other.page;
      await page2.getByLabel('Import', { exact: true }).setInputFiles({
        name: exported.name,
        mimeType: 'application/json',
        buffer: Buffer.from(exported.text),
      });
      await page2.getByText(/Imported “Say hello in a few languages”/).waitFor();
      const answer = page2.getByRole('article', { name: 'Assistant message' });
      await answer.getByText(HELLO_TEXT).waitFor();
      assert.match(
        await answer.getByLabel('Usage').innerText(),
        /Prompt\s*18\s*Completion\s*58\s*Total\s*76/,
      );
      assert.equal(
        await page2
          .getByRole('article', { name: 'User message' })
          .getByText('Say hello in a few languages')
          .count(),
        1,
      );
      assert.equal(
        await page2.getByRole('textbox', { name: 'System message' }).inputValue(),
        'You are terse.',
      );
      await conversations(page2)
        .getByRole('button', { name: 'Actions for Say hello in a few languages' })
        .waitFor();
      // Nothing from the file reached the settings: still no key, default endpoint.
      await page2.getByText('No API key set').waitFor();

      // Saved for real: a reload keeps it.
      await page2.reload();
      await page2
        .getByRole('dialog', { name: 'Settings' })
        .getByRole('button', { name: 'Cancel' })
        .click();
      await page2
        .getByRole('article', { name: 'Assistant message' })
        .getByText(HELLO_TEXT)
        .waitFor();
      assert.deepEqual(other.pageErrors, []);
    } finally {
      await other.close();
    }
  });

  it('a hostile file imports by drag and drop and renders inert; a bad one changes nothing', async () => {
    const page = await app.openConfigured();
    await page.getByRole('textbox', { name: 'System message' }).fill('Mine, untouched');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'hostile.json', { type: 'application/json' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(
          new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
        );
      }
    }, hostileFile());
    await page.getByText(/Imported “Title/).waitFor();
    // The text is there, as text.
    await page
      .getByRole('article', { name: 'User message' })
      .getByText(/User <img src=x onerror=/)
      .waitFor();
    const tool = page.getByRole('article', { name: 'Tool message' });
    await tool.waitFor();
    // Shown as text, or as the value of its result box: either way never parsed.
    const toolText = await tool.evaluate(
      (el) => el.textContent + [...el.querySelectorAll('textarea')].map((t) => t.value).join(' '),
    );
    assert.match(toolText, /Tool <img src=x onerror=/);
    assert.match(
      await page.getByRole('textbox', { name: 'System message' }).inputValue(),
      /^System <img/,
    );
    assert.match(await messageBox(page).inputValue(), /^Draft <img/);
    await conversations(page)
      .getByText(/^Title <img src=x/)
      .first()
      .waitFor();
    // The assistant's markdown went through the sanitizer: the link text stays, the script does not.
    await page
      .getByRole('article', { name: 'Assistant message' })
      .first()
      .getByText(/^Assistant .*click me/)
      .waitFor();
    await rendered(page); // the Markdown, not the plain text shown while the renderer loads
    await painted(page); // anything injected would have started by now
    assert.deepEqual(await liveMarkup(page), INERT);

    // The request inspector and export of the imported conversation stay inert too.
    await page.getByRole('button', { name: 'Request inspector' }).click();
    await page.getByLabel('Next request body').waitFor();
    await painted(page);
    assert.deepEqual(await liveMarkup(page), INERT);

    // A broken file: an error naming where, and nothing changes.
    const before = await conversations(page).getByRole('listitem').count();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('button', { name: 'Paste JSON…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Paste JSON to import' });
    await dialog
      .getByLabel('JSON to import')
      .fill('{"format":"parley.conversations","version":1,"conversations":[{"id":3}]}');
    await dialog.getByRole('button', { name: 'Import pasted JSON' }).click();
    const error = dialog.getByRole('alert');
    await error.waitFor();
    assert.match(await error.innerText(), /conversations\[0\]/);
    assert.match(await error.innerText(), /Nothing was changed/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await conversations(page).getByRole('listitem').count(), before);
  });

  it('refuses a file over 25 MB before reading it', async () => {
    const page = await app.openConfigured();
    await page.getByLabel('Import', { exact: true }).setInputFiles({
      name: 'huge.json',
      mimeType: 'application/json',
      buffer: Buffer.alloc(26 * 1024 * 1024, 0x20),
    });
    const alert = page.getByRole('alert').filter({ hasText: /up to 25(\.0)? MB/ });
    await alert.waitFor();
    assert.match(await alert.innerText(), /This file is 26(\.0)? MB/);
  });
});

describe('two tabs', () => {
  it('an edit in one tab reaches an idle tab; a busy tab gets a conflict instead of overwriting', async () => {
    const pageA = await oneExchange('First question');
    // The finished answer is saved (debounced) before the second tab opens.
    await conversations(pageA)
      .getByRole('button', { name: 'Actions for First question' })
      .waitFor();
    await saved(pageA);
    const pageB = await app.profile.context.newPage();
    await pageB.goto(app.site.url);
    await pageB.getByRole('article', { name: 'Assistant message' }).getByText(HELLO_TEXT).waitFor();

    // B is idle: A's change shows up there.
    await pageA.getByRole('textbox', { name: 'System message' }).fill('Edited in A');
    await pageB.getByText('Updated with changes saved in another tab.').waitFor();
    assert.equal(
      await pageB.getByRole('textbox', { name: 'System message' }).inputValue(),
      'Edited in A',
    );

    // B streams an answer (held mid-way). Its save of the question reaches A first;
    // then A changes the same conversation while B's answer is still coming.
    app.api.enqueue({ ownFixture: 'own_stream_long', holdAfter: 5 });
    await send(pageB, 'Second question, from B');
    await app.api.waitForHold();
    await pageA.getByText('Second question, from B').waitFor();
    await pageA.getByRole('textbox', { name: 'System message' }).fill('Edited again in A');
    const banner = pageB.getByRole('alert').filter({ hasText: 'Changed in another tab' });
    await banner.waitFor();
    app.api.release();
    await pageB.getByRole('button', { name: 'Send' }).waitFor(); // the stream finished
    await pageB.getByText(/as a partial answer\.$/).waitFor();
    assert.equal(
      await pageB.getByRole('textbox', { name: 'System message' }).inputValue(),
      'Edited in A',
    );

    // B's finished answer was not written over A's version.
    await saved(pageA);
    await pageA.reload();
    await pageA.getByText('Second question, from B').waitFor();
    assert.equal(
      await pageA.getByRole('textbox', { name: 'System message' }).inputValue(),
      'Edited again in A',
    );
    assert.equal(await pageA.getByText(/as a partial answer\.$/).count(), 0);

    // B keeps its work as a copy; both versions are in the list.
    await banner.getByRole('button', { name: 'Keep mine as a copy' }).click();
    await banner.waitFor({ state: 'hidden' });
    await conversations(pageB)
      .getByRole('button', { name: 'Actions for First question (copy)' })
      .waitFor();
    assert.equal(
      await pageB
        .getByRole('article', { name: 'User message' })
        .getByText('Second question, from B')
        .count(),
      1,
    );
    await conversations(pageA)
      .getByRole('button', { name: 'Actions for First question (copy)' })
      .waitFor();
    assert.equal(
      await pageA.getByRole('textbox', { name: 'System message' }).inputValue(),
      'Edited again in A',
    );
  });
});

describe('share links', () => {
  it('a share link opens read-only in a new profile, and the receiver can fork it', async () => {
    const page = await oneExchange();
    await page.getByRole('button', { name: 'More export options' }).click();
    await page.getByRole('menuitem', { name: 'Share link…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share link' });
    const input = dialog.getByRole('textbox', { name: 'Link' });
    await input.waitFor();
    const link = await input.inputValue();
    assert.ok(link.startsWith(app.site.url.replace(/#.*$/, '')), link);
    assert.match(link, /#share=1\./);
    assert.ok(!link.includes(KEY));
    assert.match(await dialog.innerText(), /of 32,000 characters/);
    const requestsBefore = app.api.requests.length;

    // A fresh profile, no key: the link opens straight on the conversation, no dialog first.
    const other = await newProfile();
    try {
      const p2 = other.page;
      await p2.goto(link);
      const shared = p2.getByRole('region', { name: 'Shared conversation' });
      await shared
        .getByRole('article', { name: 'Assistant message' })
        .getByText(HELLO_TEXT)
        .waitFor();
      assert.equal(await p2.getByRole('dialog').count(), 0);
      await shared
        .getByRole('article', { name: 'User message' })
        .getByText('Say hello in a few languages')
        .waitFor();
      // The transcript's names, unambiguous: the transcript is not shown beside it.
      assert.equal(await p2.getByRole('article', { name: 'Assistant message' }).count(), 1);
      assert.equal(await p2.getByRole('article', { name: 'User message' }).count(), 1);
      // Read-only: no composer or edit controls while it is shown, and nothing stored yet.
      assert.equal(await messageBox(p2).count(), 0);
      assert.equal(await shared.getByRole('textbox').count(), 0);
      assert.equal(
        await shared.getByRole('button', { name: /^(Edit|Delete|Regenerate)/ }).count(),
        0,
      );
      assert.equal(
        await conversations(p2)
          .getByRole('button', { name: /^Actions for Say hello/ })
          .count(),
        0,
      );

      await shared.getByRole('button', { name: 'Fork to edit' }).click();
      await shared.waitFor({ state: 'hidden' });
      await p2.getByRole('article', { name: 'Assistant message' }).getByText(HELLO_TEXT).waitFor();
      await conversations(p2)
        .getByRole('button', { name: /^Actions for Say hello in a few languages/ })
        .waitFor();
      assert.equal(new URL(p2.url()).hash, '');
      // The fork is stored: it survives a reload.
      await p2.reload();
      await p2
        .getByRole('dialog', { name: 'Settings' })
        .getByRole('button', { name: 'Cancel' })
        .click();
      await p2.getByRole('article', { name: 'Assistant message' }).getByText(HELLO_TEXT).waitFor();
      assert.deepEqual(other.pageErrors, []);
    } finally {
      await other.close();
    }
    // The link's content never went to a server: the API saw no new request.
    assert.equal(app.api.requests.length, requestsBefore);
  });
});

describe('the Conversations list', () => {
  it('search, rename, fork from a message, delete and undo', async () => {
    const page = await oneExchange('Tell me about otters');
    const nav = conversations(page);
    await nav.getByRole('button', { name: 'New conversation' }).click();
    // The new conversation is on screen (the old one's answer is gone) before typing in it.
    await page.getByRole('article', { name: 'Assistant message' }).waitFor({ state: 'detached' });
    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await send(page, 'Something about badgers');
    await page.getByRole('article', { name: 'Assistant message' }).getByText(HELLO_TEXT).waitFor();

    // Newest first (once the new one is saved: a new conversation is stored when touched).
    await nav.getByRole('button', { name: 'Actions for Something about badgers' }).waitFor();
    const titles = () => nav.locator('li .title').allInnerTexts();
    assert.deepEqual((await titles()).slice(0, 2), [
      'Something about badgers',
      'Tell me about otters',
    ]);

    // Search finds message text, not just titles.
    await nav.getByRole('searchbox', { name: 'Search conversations' }).fill('café');
    assert.equal(await nav.locator('li .title').count(), 2);
    await nav.getByRole('searchbox', { name: 'Search conversations' }).fill('otters');
    assert.deepEqual(await titles(), ['Tell me about otters']);
    await nav.getByRole('searchbox', { name: 'Search conversations' }).fill('');

    // Rename from the keyboard.
    await nav.getByRole('button', { name: 'Actions for Tell me about otters' }).click();
    await nav.getByRole('menuitem', { name: 'Rename Tell me about otters' }).click();
    const title = nav.getByRole('textbox', { name: 'Title of Tell me about otters' });
    await title.fill('Otters');
    await title.press('Enter');
    await nav.getByRole('button', { name: 'Actions for Otters' }).waitFor();

    // Fork the open conversation at its first message.
    await page
      .getByRole('article', { name: 'User message' })
      .getByRole('button', { name: 'Fork from here' })
      .click();
    await nav.getByRole('button', { name: 'Actions for Something about badgers (fork)' }).waitFor();
    assert.equal(await page.getByRole('article', { name: 'Assistant message' }).count(), 0);
    assert.equal(await page.getByRole('article', { name: 'User message' }).count(), 1);

    // Delete, then undo.
    await nav.getByRole('button', { name: 'Actions for Otters' }).click();
    await nav.getByRole('menuitem', { name: 'Delete Otters' }).click();
    await nav.getByText('Deleted “Otters”.').waitFor();
    assert.equal(await nav.getByRole('button', { name: 'Actions for Otters' }).count(), 0);
    await nav.getByRole('button', { name: 'Undo delete' }).click();
    await nav.getByRole('button', { name: 'Actions for Otters' }).waitFor();
    await page.reload();
    await conversations(page).getByRole('button', { name: 'Actions for Otters' }).waitFor();
    assert.equal(await conversations(page).locator('li .title').count(), 3);

    // What the browser said about keeping the data is shown.
    await page.getByText(/^Storage: (persistent|best effort|not guaranteed)\./).waitFor();
  });
});

describe('the key in no artefact', () => {
  it('a key pasted into a message and echoed by the server is in no export, link or view', async () => {
    const page = await app.openConfigured();
    const base = { id: 'chatcmpl-echo', object: 'chat.completion.chunk', model: 'gpt-4' };
    app.api.enqueue({
      sse: [
        {
          ...base,
          choices: [{ index: 0, delta: { role: 'assistant', content: `You sent ${KEY}. Done.` } }],
        },
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        'data: [DONE]\n\n',
      ],
    });
    await send(page, `Is ${KEY} my key?`);
    const answer = page.getByRole('article', { name: 'Assistant message' }).last();
    await answer.getByText('Done.', { exact: false }).waitFor();
    // The server did receive what the user typed (it is their message).
    assert.ok(JSON.stringify(app.api.requests.at(-1).body).includes(KEY));

    const more = (name) => async () => {
      const button = page.getByRole('button', { name: 'More export options' });
      // The menu may still be open from the last pick on a busy machine: a click would close it.
      if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
      await page.getByRole('menuitem', { name }).click();
    };
    await saved(page);
    const files = [
      await download(page, () => page.getByRole('button', { name: 'Export', exact: true }).click()),
      await download(page, more('Transcript (Markdown)')),
      await download(page, more('Next request body (JSON)')),
      await download(page, more('All conversations (JSON)')),
    ];
    for (const file of files) {
      assert.ok(!file.text.includes(KEY), `${file.name} holds the key`);
      assert.ok(file.text.includes('[redacted]'), `${file.name} says where the key was`);
    }

    await more('Share link…')();
    const dialog = page.getByRole('dialog', { name: 'Share link' });
    const link = await dialog.getByRole('textbox', { name: 'Link' }).inputValue();
    const packed = /#share=1\.(.+)$/.exec(link)?.[1];
    const shared = inflateRawSync(Buffer.from(packed, 'base64url')).toString('utf8');
    assert.ok(!shared.includes(KEY) && shared.includes('[redacted]'), 'the link holds the key');
    await page.keyboard.press('Escape');

    await answer.getByRole('button', { name: 'Request details' }).click();
    const details = answer.getByRole('region', { name: 'Request details' });
    await details.waitFor();
    assert.ok(!(await details.innerText()).includes(KEY), 'the request details show the key');
    await page.getByRole('button', { name: 'Request inspector' }).click();
    const inspector = page.getByRole('region', { name: 'Request inspector' });
    await inspector.getByLabel('Next request body').waitFor();
    assert.ok(!(await inspector.innerText()).includes(KEY), 'the inspector shows the key');
  });
});

describe('the next request body, exported', () => {
  it('is exactly what Send then sends, the unsent draft included', async () => {
    const page = await oneExchange('First question');
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('A draft, not sent yet');
    const file = await download(page, async () => {
      await page.getByRole('button', { name: 'More export options' }).click();
      await page.getByRole('menuitem', { name: 'Next request body (JSON)' }).click();
    });
    const exported = JSON.parse(file.text);
    assert.deepEqual(exported.messages.at(-1), { role: 'user', content: 'A draft, not sent yet' });

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await page.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Enter');
    const [, sent] = await app.waitForChatRequests(2);
    assert.deepEqual(sent.body, exported);
  });
});
