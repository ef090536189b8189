// Accessibility of every main screen, in the light and the dark theme: axe-core finds
// no serious or critical violation. On the way, each screen is photographed at 1440×900
// and 390×844 into test-results/screens/ for reviewers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillEditor, useApp } from './harness.mjs';
import {
  assertNoSeriousViolations,
  markdownAnswer,
  RICH_ANSWER,
  screenshots,
  useTheme,
  VIEWPORTS,
} from './a11y.mjs';

// axe is injected as an inline script, which the app's CSP forbids. So these pages run
// without the policy and are exempt from the check that fails a test on a policy
// violation (browser.mjs); the other suites run the app under the policy.
const app = useApp({ bypassCSP: true });

const draftBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const lastAnswer = (page) => page.getByRole('article', { name: 'Assistant message' }).last();
const toolsRegion = (page) => page.getByRole('region', { name: 'Tools' });
const pane = (page, n) => page.getByRole('region', { name: `Pane ${n}`, exact: true });

/** axe on the page as it is now, then its photographs, `subject` in view. */
async function check(page, screen, theme, subject) {
  await assertNoSeriousViolations(page, `${screen} (${theme})`);
  await screenshots(page, screen, theme, { subject });
}

/** A fresh profile whose browser prefers `theme`, at 1440×900, configured for the replay server. */
async function openIn(theme) {
  const page = await app.openConfigured();
  await page.setViewportSize(VIEWPORTS.wide);
  await useTheme(page, theme);
  return page;
}

async function askForRichAnswer(page) {
  app.api.enqueue(markdownAnswer(RICH_ANSWER));
  await draftBox(page).fill('A tiny server, please');
  await draftBox(page).press('Control+Enter');
  await lastAnswer(page).getByLabel('Usage').waitFor();
  // Checked and photographed as the reader sees it: rendered, the code coloured
  // (the renderer and highlight.js load on first need).
  await lastAnswer(page).locator('pre .hljs-keyword').first().waitFor();
}

for (const theme of ['light', 'dark']) {
  describe(`${theme} theme`, () => {
    it('the first-run Settings dialog follows the system; the empty app', async () => {
      const page = await app.openFresh();
      await page.setViewportSize(VIEWPORTS.wide);
      // Theme is System on a first run: the browser's scheme decides.
      await page.emulateMedia({ colorScheme: theme });
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
      await check(page, 'first-run-settings', theme);

      await dialog.getByLabel('API key').fill(app.key);
      await dialog.getByRole('textbox', { name: 'Base URL' }).fill(app.api.url);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await useTheme(page, theme);
      await check(page, 'empty', theme);
      // The phone layout too: a different arrangement of the same controls.
      await page.setViewportSize(VIEWPORTS.phone);
      await assertNoSeriousViolations(page, `empty at 390 px (${theme})`);
      assert.deepEqual(app.profile.pageErrors, []);
    });

    it('the demo endpoint: the first run’s Demo (no key), its label, an answer of its own', async () => {
      const page = await app.openFresh();
      await page.setViewportSize(VIEWPORTS.wide);
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByRole('button', { name: 'Demo (no key)' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await useTheme(page, theme);
      await page.getByRole('button', { name: 'Demo: answers are canned' }).waitFor();
      await page.getByRole('combobox', { name: 'Model' }).fill('demo-thoughtful');
      await draftBox(page).fill('How do I plan a garden?');
      await draftBox(page).press('Control+Enter');
      await lastAnswer(page).getByLabel('Usage').waitFor();
      await lastAnswer(page).locator('pre code').first().waitFor();
      await check(
        page,
        'demo-answer',
        theme,
        lastAnswer(page).getByText('Demo: answers are canned'),
      );

      // Settings with the demo chosen: its preset pressed, a word on keys.
      await page.getByRole('button', { name: 'Demo: answers are canned' }).click();
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings.getByText('Saving a new key switches to OpenAI').waitFor();
      await assertNoSeriousViolations(page, `settings with the demo chosen (${theme})`);
      assert.deepEqual(app.profile.pageErrors, []);
    });

    it('an answer, Tools with a lint error, the request inspector and each dialog', async () => {
      const page = await openIn(theme);
      await askForRichAnswer(page);
      await check(page, 'answer', theme, page.getByRole('heading', { name: 'A tiny server' }));

      // Token probabilities: each token tinted by how unlikely it was, a tip on focus.
      app.api.enqueue({ ownFixture: 'own_stream_logprobs' });
      await draftBox(page).fill('What is the sky like?');
      await draftBox(page).press('Control+Enter');
      await lastAnswer(page).getByLabel('Usage').waitFor();
      await lastAnswer(page).getByRole('button', { name: 'Show token probabilities' }).click();
      const tokens = lastAnswer(page).getByRole('group', { name: 'Token probabilities' });
      await tokens.getByText('blue', { exact: true }).focus();
      await page.getByRole('tooltip').waitFor();
      await check(page, 'token-probabilities', theme, tokens);

      // A trailing comma: the editor marks it and the region says where.
      await fillEditor(
        page,
        'Tools JSON',
        '[\n  {"type": "function", "function": {"name": "f"}},\n]',
      );
      await toolsRegion(page)
        .getByText(/^Line 2, column \d+: /)
        .waitFor();
      const editor = toolsRegion(page).getByRole('textbox', { name: 'Tools JSON' });
      await check(page, 'tools-lint-error', theme, editor);

      // The same editor, opened large in a dialog.
      await toolsRegion(page).getByRole('button', { name: 'Open large Tools editor' }).click();
      const large = page.getByRole('dialog', { name: 'Tools' });
      await large.getByRole('textbox', { name: 'Tools JSON' }).waitFor();
      await check(page, 'tools-large', theme);
      await large.getByRole('button', { name: 'Done' }).click();
      await large.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'Request inspector' }).click();
      const inspector = page.getByRole('region', { name: 'Request inspector' });
      await inspector.getByLabel('Next request body').waitFor();
      await check(page, 'request-inspector', theme);
      await inspector.getByRole('button', { name: 'Close' }).click();
      await inspector.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: 'View code' }).click();
      const code = page.getByRole('dialog', { name: 'View code' });
      await code.getByRole('tabpanel').waitFor();
      await check(page, 'view-code', theme);
      await code.getByRole('button', { name: 'Close' }).click();
      await code.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'More export options' }).click();
      await page.getByRole('menuitem', { name: 'Share link…' }).click();
      const share = page.getByRole('dialog', { name: 'Share link' });
      await share.getByRole('textbox', { name: 'Link' }).waitFor();
      await check(page, 'share', theme);
      await share.getByRole('button', { name: 'Close' }).click();
      await share.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('button', { name: 'Paste JSON…' }).click();
      const paste = page.getByRole('dialog', { name: 'Paste JSON to import' });
      await paste.getByLabel('JSON to import').waitFor();
      await check(page, 'paste-json', theme);
      await paste.getByRole('button', { name: 'Cancel' }).click();
      await paste.waitFor({ state: 'hidden' });
      assert.deepEqual(app.profile.pageErrors, []);
    });

    it('the key question for a new origin, and a retry waiting', async () => {
      const page = await openIn(theme);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings
        .getByRole('textbox', { name: 'Base URL' })
        .fill(app.api.url.replace('127.0.0.1', 'localhost'));
      await settings.getByRole('button', { name: 'Save' }).click();
      await settings.waitFor({ state: 'hidden' });
      app.api.enqueue({
        ownFixture: 'own_429_rate_limit',
        headers: { 'retry-after': '3600' },
        exposeHeaders: ['X-Request-ID', 'retry-after'],
      });
      await draftBox(page).fill('Hello?');
      await draftBox(page).press('Control+Enter');
      const ask = page.getByRole('dialog', { name: /^Send key to / });
      await ask.waitFor();
      await check(page, 'key-origin', theme);
      await ask.getByRole('button', { name: 'Send key' }).click();

      await page.getByRole('status').filter({ hasText: 'Retrying in' }).waitFor();
      await check(page, 'retry-notice', theme);
      await page.getByRole('button', { name: 'Cancel retry' }).click();
      assert.deepEqual(app.profile.pageErrors, []);
    });

    it('Settings locking the key, and the unlock prompt after a reload', async () => {
      const page = await openIn(theme);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings.getByRole('checkbox', { name: 'Lock key with a passphrase' }).check();
      await settings.getByLabel('Passphrase', { exact: true }).fill('short');
      await settings.getByRole('button', { name: 'Save' }).click();
      await settings.getByText('Use a passphrase of at least 8 characters.').waitFor();
      await check(page, 'settings-lock', theme);
      await settings.getByText('More').click();
      await settings.getByRole('button', { name: 'Clear all data…' }).click();
      await settings.getByRole('button', { name: 'Keep my data' }).waitFor();
      await check(page, 'settings-clear', theme, settings.getByRole('group', { name: /deletes/ }));
      await settings.getByRole('button', { name: 'Keep my data' }).click();
      await settings.getByLabel('Passphrase', { exact: true }).fill('long enough now');
      await settings.getByRole('button', { name: 'Save' }).click();
      await settings.waitFor({ state: 'hidden' });

      await page.reload();
      // The theme chosen is stored: the page comes back in it, under the prompt.
      await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
      const unlock = page.getByRole('dialog', { name: 'Unlock key' });
      await unlock.waitFor();
      await unlock.getByLabel('Passphrase', { exact: true }).fill('not it at all');
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await unlock.getByRole('alert').waitFor();
      await check(page, 'unlock-key', theme);
      assert.deepEqual(app.profile.pageErrors, []);
    });

    it('the newer request fields with a warning and an error; an answer with reasoning and sources', async () => {
      const page = await openIn(theme);
      const panel = page.getByRole('complementary', { name: 'Parameters' });
      await panel.getByText('More request fields').click();
      await panel.getByRole('combobox', { name: 'Verbosity' }).selectOption('low');
      await panel.getByRole('textbox', { name: 'Metadata' }).fill('{"experiment": ');
      await panel
        .getByText(/Metadata is not valid JSON/)
        .first()
        .waitFor();
      await check(page, 'request-fields', theme, panel.getByRole('textbox', { name: 'Metadata' }));
      await panel.getByRole('textbox', { name: 'Metadata' }).fill('');

      const base = { id: 'chatcmpl-a11y', object: 'chat.completion.chunk', model: 'o3' };
      const delta = (d) => ({ ...base, choices: [{ index: 0, delta: d }] });
      app.api.enqueue({
        sse: [
          delta({ role: 'assistant', reasoning_content: 'Look it up first.' }),
          delta({ content: 'Otters hold hands while they sleep.' }),
          delta({
            annotations: [
              {
                type: 'url_citation',
                url_citation: { url: 'https://example.org/otters', title: 'Otters' },
              },
            ],
          }),
          { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
          'data: [DONE]\n\n',
        ],
      });
      await draftBox(page).fill('Why do otters hold hands?');
      await draftBox(page).press('Control+Enter');
      const sources = lastAnswer(page).getByRole('navigation', { name: 'Sources' });
      await sources.waitFor();
      await lastAnswer(page).getByRole('group', { name: 'Reasoning' }).locator('summary').click();
      await check(page, 'answer-today', theme, sources);

      // Images attached to the next message: thumbnails, Remove, Image detail.
      await page.getByLabel('Attach files').setInputFiles({
        name: 'red.png',
        mimeType: 'image/png',
        buffer: Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
          'base64',
        ),
      });
      const attachment = page.getByRole('group', { name: 'Attachment red.png' });
      await attachment.waitFor();
      await check(page, 'composer-images', theme, attachment);
      assert.deepEqual(app.profile.pageErrors, []);
    });

    it('compare with 4 panes, each answered', async () => {
      const page = await openIn(theme);
      await page.getByRole('button', { name: 'Compare' }).click();
      await pane(page, 2).waitFor();
      await page.getByRole('button', { name: 'Add pane' }).click();
      await pane(page, 3).waitFor();
      await page.getByRole('button', { name: 'Add pane' }).click();
      await pane(page, 4).waitFor();
      for (let i = 0; i < 4; i++) app.api.enqueue(markdownAnswer(RICH_ANSWER));
      await draftBox(page).fill('A tiny server, please');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      for (const n of [1, 2, 3, 4]) {
        await pane(page, n)
          .getByRole('article', { name: 'Assistant message' })
          .getByLabel('Usage')
          .waitFor();
      }
      await check(
        page,
        'compare-4-panes',
        theme,
        // On a phone one pane shows at a time: the first one shown.
        page
          .getByRole('region', { name: /^Pane \d$/ })
          .first()
          .getByRole('combobox', { name: 'Model' }),
      );
      assert.deepEqual(app.profile.pageErrors, []);
    });
  });
}
