// The answer side in real Chromium: token probabilities, n > 1 choices, the request
// inspector and View code, against the local replay server. Each test starts from a
// fresh browser profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saved, useApp } from './harness.mjs';
import { sharedFixturesDir } from './browser.mjs';
import { markdownAnswer, RICH_ANSWER } from './a11y.mjs';

const KEY = 'sk-test-e2e-answer-0123456789';
const HELLO_TEXT = 'Have a naïve, café-fuelled day ☀️';
const HELLO_REQUEST_ID = 'req_96f8d6bf392fc33edfba854fa57601db';

const app = useApp({ key: KEY });
const { chatRequests, openConfigured } = app;

const draftBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });

async function send(page, text) {
  await draftBox(page).fill(text);
  await draftBox(page).press('Control+Enter');
}

const lastAnswer = (page) => page.getByRole('article', { name: 'Assistant message' }).last();

/** A <pre> holding pretty-printed JSON, parsed. */
async function jsonIn(locator) {
  return JSON.parse(await locator.textContent());
}

describe('token probabilities', () => {
  it('a recorded logprobs stream (g01) shows each token with its probability on focus', async () => {
    const recorded = sharedFixturesDir() !== null;
    if (!recorded) console.warn('answer.test.mjs: g01 absent, using own_stream_logprobs instead');
    const page = await openConfigured();
    app.api.enqueue(
      recorded ? { fixture: 'g01_stream_logprobs_content' } : { ownFixture: 'own_stream_logprobs' },
    );
    await send(page, 'Say foo');
    const answer = lastAnswer(page);
    const [first, firstPct, second, secondPct] = recorded
      ? ['Foo', '99.7 %', '!', '76.6 %']
      : ['The', '99.7 %', ' sky', '98.8 %'];
    await answer.getByLabel('Usage').waitFor();

    const toggle = answer.getByRole('button', { name: 'Show token probabilities' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    const group = answer.getByRole('group', { name: 'Token probabilities' });
    await group.waitFor();
    assert.equal(await page.getByRole('tooltip').count(), 0);

    // Keyboard: Tab from the toggle lands on the first token, arrows move along.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), first);
    const tip = page.getByRole('tooltip');
    await tip.waitFor();
    assert.match(await tip.innerText(), new RegExp(`"${first}" ${firstPct}`));
    if (recorded) assert.match(await tip.innerText(), /No alternatives returned/);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), second);
    assert.match(await tip.innerText(), new RegExp(`"${second.replace('!', '!')}" ${secondPct}`));
    // The focused token is described by the tooltip, for screen readers too.
    const describedBy = await page.evaluate(() =>
      document.activeElement?.getAttribute('aria-describedby'),
    );
    assert.equal(describedBy, await tip.getAttribute('id'));
    assert.deepEqual(app.profile.pageErrors, []);
  });

  it('top alternatives with percentages, on keyboard focus and on hover; an emoji split over tokens reads whole', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_logprobs' });
    await send(page, 'What is the sky like?');
    const answer = lastAnswer(page);
    await answer.getByLabel('Usage').waitFor();
    await answer.getByRole('button', { name: 'Show token probabilities' }).click();
    const group = answer.getByRole('group', { name: 'Token probabilities' });
    // The text reads as the answer did.
    assert.equal(await group.locator('p').last().textContent(), 'The sky is blue 🌤\n');

    await group.getByText('blue', { exact: true }).focus();
    const tip = page.getByRole('tooltip');
    assert.equal(
      (await tip.innerText()).trim(),
      '" blue" 30.0 %. Alternatives: " clear" 62.5 %, " grey" 4.00 %.',
    );
    // Not by colour alone: an unlikely token is also underlined.
    const decoration = await group
      .getByText('blue', { exact: true })
      .evaluate((el) => getComputedStyle(el).textDecorationStyle);
    assert.equal(decoration, 'dotted');

    await group.getByText('sky', { exact: true }).hover();
    assert.match(
      await tip.innerText(),
      /^" sky" 98\.8 %\. Alternatives: " weather" 1\.01 %, " sun" 0\.24 %\.$/,
    );

    // The mouse leaves first: the tooltip of "sky" can sit over the emoji.
    await page.mouse.move(0, 0);
    await group.getByText('🌤', { exact: true }).hover();
    await tip.filter({ hasText: /45\.0 % in all:/ }).waitFor();

    // Off again: the answer is Markdown once more.
    await answer.getByRole('button', { name: 'Show token probabilities' }).click();
    await group.waitFor({ state: 'detached' });
    await answer.getByText('The sky is blue 🌤').waitFor();
  });
});

describe('n > 1', () => {
  it('shows every choice with its share, usage once; Use this choice picks what a follow-up sends', async () => {
    const page = await openConfigured();
    app.api.enqueue({ ownFixture: 'own_stream_n2' });
    await send(page, 'Hot drinks?');
    const answer = lastAnswer(page);
    const one = answer.getByRole('region', { name: 'Choice 1 of 2' });
    const two = answer.getByRole('region', { name: 'Choice 2 of 2' });
    await one.getByText('Tea is brewed from leaves.').waitFor();
    await two.getByText('Coffee comes from roasted beans.').waitFor();
    await answer.getByLabel('Usage').waitFor();
    assert.equal(await answer.getByLabel('Usage').count(), 1);
    assert.match(
      await answer.getByLabel('Usage').innerText(),
      /Prompt\s*14\s*Completion\s*12\s*Total\s*26/,
    );
    // No logprobs: the 12 tokens are split by length, and say so.
    assert.match(await one.innerText(), /Completion ≈ 5 tokens, estimated/);
    assert.match(await two.innerText(), /Completion ≈ 7 tokens, estimated/);
    assert.match(await one.innerText(), /A follow-up sends this choice/);
    assert.equal(await one.getByRole('button', { name: 'Use this choice' }).count(), 0);

    await two.getByRole('button', { name: 'Use this choice' }).click();
    await two.getByText('A follow-up sends this choice.').waitFor();
    await one.getByRole('button', { name: 'Use this choice' }).waitFor();

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await send(page, 'And which is stronger?');
    await lastAnswer(page).getByText(HELLO_TEXT).waitFor();
    assert.deepEqual(chatRequests()[1].body.messages, [
      { role: 'user', content: 'Hot drinks?' },
      { role: 'assistant', content: 'Coffee comes from roasted beans.' },
      { role: 'user', content: 'And which is stronger?' },
    ]);

    // The choices and the pick survive a reload.
    await saved(page);
    await page.reload();
    const restored = page.getByRole('article', { name: 'Assistant message' }).first();
    await restored
      .getByRole('region', { name: 'Choice 2 of 2' })
      .getByText('A follow-up sends this choice.')
      .waitFor();
  });
});

describe('request inspector', () => {
  it('shows the next request exactly as the server then receives it, the key redacted', async () => {
    const page = await openConfigured({ organization: 'org-answer' });
    await page.getByRole('textbox', { name: 'System message' }).fill('Be "brief" — it’s fine.');
    await draftBox(page).fill('Hello, inspector 👋');
    await page.getByRole('button', { name: 'Request inspector' }).click();
    const inspector = page.getByRole('region', { name: 'Request inspector' });
    await inspector.waitFor();
    const preview = await jsonIn(inspector.getByLabel('Next request body'));
    const headers = await inspector.getByLabel('Next request headers').innerText();
    assert.match(headers, /authorization:\s*Bearer \[redacted\]/);
    assert.match(headers, /openai-organization:\s*org-answer/);
    assert.doesNotMatch(await inspector.innerText(), /sk-test/);
    assert.match(await inspector.innerText(), new RegExp(`POST ${app.api.url}/chat/completions`));

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await draftBox(page).press('Control+Enter');
    const answer = lastAnswer(page);
    await answer.getByText(HELLO_TEXT).waitFor();
    assert.deepEqual(chatRequests()[0].body, preview);
    // The stream was fetched and read in the stream worker, which keeps the page's
    // no-referrer policy (SECURITY.md, "The stream worker").
    assert.ok(page.workers().some((w) => /stream\.worker/.test(w.url())));
    assert.equal(chatRequests()[0].headers.referer, undefined);

    // Now the next request carries the answer; it too is what goes out.
    await draftBox(page).fill('Thanks');
    await inspector.getByLabel('Next request body').getByText('"Thanks"').waitFor();
    const preview2 = await jsonIn(inspector.getByLabel('Next request body'));
    app.api.enqueue({ ownFixture: 'own_stream_no_usage' });
    await draftBox(page).press('Control+Enter');
    await page.getByText('No token usage reported by the provider.').waitFor();
    assert.deepEqual(chatRequests()[1].body, preview2);
    await inspector.getByRole('button', { name: 'Close' }).click();
    await inspector.waitFor({ state: 'detached' });

    // Each answer keeps its own request and raw response.
    const firstAnswer = page.getByRole('article', { name: 'Assistant message' }).first();
    await firstAnswer.getByRole('button', { name: 'Request details' }).click();
    const details = firstAnswer.getByRole('region', { name: 'Request details' });
    assert.deepEqual(await jsonIn(details.getByLabel('Request body')), chatRequests()[0].body);
    const sent = await details.getByLabel('Request headers').innerText();
    assert.match(sent, /authorization:\s*Bearer \[redacted\]/);
    assert.match(sent, /x-stainless-lang/i);
    assert.equal(chatRequests()[0].headers.authorization, `Bearer ${KEY}`);
    assert.doesNotMatch(await details.innerText(), /sk-test/);
    const facts = await details.innerText();
    assert.match(facts, /Status:?\s*200/);
    assert.match(facts, new RegExp(`Request id:?\\s*${HELLO_REQUEST_ID}`));
    assert.match(facts, /system_fingerprint:?\s*fp_d9dc3335ad/);
    // Only what CORS lets the page read: x-request-id yes, x-ratelimit-* no.
    const responseHeaders = await details.getByLabel('Response headers').innerText();
    assert.match(responseHeaders, new RegExp(`x-request-id:\\s*${HELLO_REQUEST_ID}`));
    assert.doesNotMatch(responseHeaders, /x-ratelimit/);

    await details.getByText(/\d+ stream chunks/).click();
    const chunks = details.getByRole('list', { name: 'Stream chunks' }).getByRole('listitem');
    const texts = await chunks.allTextContents();
    // own_stream_hello: a role chunk, 57 content chunks, finish, usage, [DONE].
    assert.equal(texts.length, 61);
    assert.equal(texts.at(-1), '[DONE]');
    assert.match(texts[0], /^\{"id":"chatcmpl-HcGYO6fThu6IABJ4tNeDLUcSbPPCb"/);
    assert.deepEqual(app.profile.pageErrors, []);
  });
});

/** The body embedded in a snippet, read back the way a user's tool would. */
function bodyOf(lang, code) {
  if (lang === 'curl') return JSON.parse(/<<'JSON'\n([\s\S]*)\nJSON\n?$/.exec(code)[1]);
  if (lang === 'Node') return JSON.parse(/\nconst body = ([\s\S]*?);\n\n/.exec(code)[1]);
  const literal = /\nbody = ([\s\S]*?)\n\n/.exec(code)[1];
  return JSON.parse(
    literal
      .replace(/"(?:[^"\\]|\\.)*"|\bTrue\b|\bFalse\b|\bNone\b/g, (t) =>
        t === 'True' ? 'true' : t === 'False' ? 'false' : t === 'None' ? 'null' : t,
      )
      .replace(/,(\s*[}\]])/g, '$1'),
  );
}

describe('View code', () => {
  it("each language's snippet carries exactly the body that is then sent, never the key", async () => {
    const page = await openConfigured();
    await page.getByRole('textbox', { name: 'System message' }).fill(`It's "quoted"; $HOME \`x\``);
    await draftBox(page).fill('Line one\nLine two — café');
    await page.getByRole('button', { name: 'View code' }).click();
    const dialog = page.getByRole('dialog', { name: 'View code' });
    await dialog.waitFor();
    const bodies = {};
    for (const lang of ['curl', 'Python', 'Node']) {
      const tab = dialog.getByRole('tab', { name: lang, exact: true });
      await tab.click();
      assert.equal(await tab.getAttribute('aria-selected'), 'true');
      const code = await dialog.getByRole('tabpanel').textContent();
      assert.doesNotMatch(code, /sk-test/);
      assert.match(code, /OPENAI_API_KEY/);
      bodies[lang] = bodyOf(lang, code);
    }
    await app.profile.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(app.site.url).origin,
    });
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByRole('status').getByText('Copied').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.deepEqual(bodyOf('Node', copied), bodies.Node);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await draftBox(page).press('Control+Enter');
    await lastAnswer(page).getByText(HELLO_TEXT).waitFor();
    const sent = chatRequests()[0].body;
    assert.deepEqual(bodies.curl, sent);
    assert.deepEqual(bodies.Python, sent);
    assert.deepEqual(bodies.Node, sent);
  });
});

describe('answers of any shape', () => {
  it('a 150 KB unbroken run streams, stays usable, and relayouts without kerning', async () => {
    const page = await openConfigured();
    const run = 'A'.repeat(150_000);
    const base = { id: 'chatcmpl-run', object: 'chat.completion.chunk', model: 'gpt-4' };
    const pieces = run.match(/[\s\S]{1,5000}/g);
    app.api.enqueue({
      sse: [
        ...pieces.map((content) => ({ ...base, choices: [{ index: 0, delta: { content } }] })),
        { ...base, choices: [{ index: 0, delta: { content: ' END' }, finish_reason: 'stop' }] },
        'data: [DONE]\n\n',
      ],
      delayMs: 0,
    });
    await send(page, 'One long word, please');
    await lastAnswer(page).getByText('END', { exact: false }).waitFor();
    // With kerning, each relayout of this text took seconds in Chromium: the
    // answer would not be done, nor the page usable, within the test's time.
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    await page.setViewportSize({ width: 1000, height: 800 });
    await draftBox(page).fill('still typing');
    assert.equal(await draftBox(page).inputValue(), 'still typing');
    const kerning = await lastAnswer(page).evaluate((el) => getComputedStyle(el).fontKerning);
    assert.equal(kerning, 'none');
    assert.equal((await lastAnswer(page).textContent()).includes(run), true);
  });
});

describe('a narrow window', () => {
  /** Boxes of `locator`'s element, on the page. */
  const box = (locator) => locator.evaluate((el) => el.getBoundingClientRect().toJSON());

  it('an answer starts right under its header; its actions show over it when pointed at; Copy sits beside the language, off the code', async () => {
    const page = await openConfigured();
    await page.setViewportSize({ width: 390, height: 844 });
    app.api.enqueue(markdownAnswer(RICH_ANSWER));
    await send(page, 'A tiny server, please');
    const answer = lastAnswer(page);
    await answer.getByLabel('Usage').waitFor();
    await answer.locator('pre .hljs-keyword').first().waitFor();
    await page.mouse.move(0, 0);

    // Too many actions for one row beside "ASSISTANT gpt-4": hidden, they leave no empty rows.
    const role = await box(answer.getByText('Assistant', { exact: true }));
    const heading = await box(answer.getByRole('heading', { name: 'A tiny server' }));
    assert.ok(heading.top - role.bottom < 16, `text ${heading.top - role.bottom}px below`);
    const fork = answer.getByRole('button', { name: 'Fork from here' });
    const shown = () => fork.evaluate((el) => getComputedStyle(el.parentElement).opacity);
    assert.equal(await shown(), '0');
    await answer.getByText('Run it with').hover();
    assert.equal(await shown(), '1');
    await answer.getByRole('button', { name: 'Raw text' }).click();
    await answer.getByText('## A tiny server').waitFor();
    await answer.getByRole('button', { name: 'Raw text' }).click();

    // A code block's Copy is on the block's first line with its language, not over its code.
    const block = answer.locator('pre').first();
    const copy = await box(block.getByRole('button', { name: 'Copy code' }));
    const code = await box(block.locator('code'));
    assert.ok(
      copy.bottom <= code.top,
      `Copy ends at ${copy.bottom}, the code starts at ${code.top}`,
    );
    const label = await block.evaluate((el) => getComputedStyle(el, '::before').content);
    assert.equal(label, '"js"');
  });

  it('while writing, the composer keeps Attach, Record audio and Send on one row, Stop too while answering', async () => {
    const page = await openConfigured();
    // Rows the buttons take, all measured in one layout (the footer moves as the
    // prompt count below it changes: buttons measured one by one may straddle that);
    // with `want`, whether they take that many.
    const rows = (want) => {
      const names = ['Attach', 'Record audio', 'Send', 'Stop'];
      const centers = [...document.querySelectorAll('button')]
        .filter((b) => names.includes(b.textContent.trim()))
        .map((b) => {
          const r = b.getBoundingClientRect();
          return Math.round(r.top + r.height / 2);
        });
      const n = centers.length >= 3 ? new Set(centers).size : `only ${centers.length} buttons`;
      return want === undefined ? n : n === want;
    };
    // Once the layout has settled after a resize (the side columns turn into drawers
    // a few frames later). A function, not a string: the page's CSP refuses eval.
    const oneRow = async (what) => {
      const settled = await page.waitForFunction(rows, 1, { timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      assert.ok(settled, `${what}: ${await page.evaluate(rows)} rows`);
    };
    // Empty: why Send waits is said, and on a phone it takes the line above the buttons.
    await page.setViewportSize({ width: 390, height: 844 });
    await oneRow('empty at 390 px');
    const why = await box(page.getByText('Type a message first.'));
    assert.ok(
      why.bottom <= (await box(page.getByRole('button', { name: 'Attach', exact: true }))).top,
    );
    await draftBox(page).fill('Hello');
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 844 });
      await oneRow(`at ${width} px`);
    }
    // Answering: Stop joins the row.
    app.api.enqueue({ ownFixture: 'own_stream_hello', stallAfter: 1 });
    await draftBox(page).press('Control+Enter');
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    await oneRow('with Stop at 390 px');
    // Stop and Send side by side at the right, with room to spare on the row.
    await page.setViewportSize({ width: 470, height: 844 });
    const stop = await box(page.getByRole('button', { name: 'Stop', exact: true }));
    const sendBox = await box(page.getByRole('button', { name: 'Send', exact: true }));
    assert.ok(
      sendBox.left - stop.right < 12,
      `${sendBox.left - stop.right}px between Stop and Send`,
    );
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });
});

describe('the message box', () => {
  it('starts at two lines, grows with the draft up to 40 % of the window, then scrolls', async () => {
    const page = await openConfigured();
    await page.setViewportSize({ width: 1440, height: 900 });
    const height = () => draftBox(page).evaluate((el) => el.getBoundingClientRect().height);
    const empty = await height();
    assert.ok(empty < 70, `an empty box is ${empty}px tall`);
    await draftBox(page).fill(Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join('\n'));
    const eight = await height();
    assert.ok(eight > empty * 2, `eight lines: ${eight}px (empty: ${empty}px)`);
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n');
    await draftBox(page).fill(lines);
    assert.equal(Math.round(await height()), 0.4 * 900);
    const scrolls = await draftBox(page).evaluate((el) => el.scrollHeight > el.clientHeight);
    assert.ok(scrolls, 'a draft taller than that scrolls inside the box');
  });

  it('growing keeps the newest message in view when the transcript is at its end', async () => {
    const page = await openConfigured();
    await page.setViewportSize({ width: 1440, height: 600 });
    await app.ask(page, 'Hello');
    await app.ask(page, 'Hello again');
    const newest = lastAnswer(page).getByText('Have a naïve');
    const inView = () =>
      newest.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const scroller = el.closest('[data-scroll-root]').getBoundingClientRect();
        return r.top >= scroller.top && r.bottom <= scroller.bottom;
      });
    await page.waitForFunction(() => document.querySelector('[data-scroll-root]').scrollTop > 0);
    assert.ok(await inView(), 'the newest answer ends the view');
    await draftBox(page).fill(Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join('\n'));
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-scroll-root]');
      return s.scrollHeight - s.scrollTop - s.clientHeight < 2;
    });
    assert.ok(await inView(), 'still in view above the taller box');
    assert.equal(await page.getByRole('button', { name: 'Jump to latest' }).count(), 0);
  });

  it('the system message and a message being edited grow with their text the same way', async () => {
    const page = await openConfigured();
    await page.setViewportSize({ width: 1440, height: 900 });
    /** Every line of the box in view, none scrolled away inside it. */
    const allShown = (locator) => locator.evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
    const system = page.getByRole('textbox', { name: 'System message' });
    const rules = Array.from({ length: 6 }, (_, i) => `Rule ${i + 1}.`).join('\n');
    await system.fill(rules);
    assert.ok(await allShown(system), 'six lines of system message are all shown');

    await app.ask(page, 'Hello');
    const answer = lastAnswer(page);
    await answer.hover();
    await answer.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit assistant message' });
    await editor.fill(`${await editor.inputValue()}\n${rules}\n${rules}`);
    assert.ok(await allShown(editor), 'lines added while editing are all shown');
  });
});
