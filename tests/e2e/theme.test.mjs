// The Theme control in real Chromium: Dark gives the JSON editors and the code blocks in
// answers dark backgrounds even on a light system, Light gives light ones, System follows
// the browser, and the choice survives a reload. Text keeps 4.5:1 in both themes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillEditor, pickTheme, saved, useApp } from './harness.mjs';
import {
  contrast,
  luminance,
  markdownAnswer,
  paintedBackground,
  RICH_ANSWER,
  textContrast,
} from './a11y.mjs';

const app = useApp();

const toolsEditor = (page) =>
  page.getByRole('region', { name: 'Tools' }).getByRole('textbox', { name: 'Tools JSON' });
const answer = (page) => page.getByRole('article', { name: 'Assistant message' }).last();

/** The backgrounds that must turn with the theme, as rgb() strings. */
async function backgrounds(page) {
  const editor = toolsEditor(page);
  return {
    page: await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
    editor: await editor.evaluate(
      (el) => getComputedStyle(el.closest('.cm-editor')).backgroundColor,
    ),
    editorContent: await paintedBackground(editor),
    codeBlock: await paintedBackground(
      answer(page).getByText("import { createServer } from 'node:http';"),
    ),
  };
}

/** Contrast of the text that must stay readable: body, muted, code, the editor's line. */
async function textContrasts(page) {
  const editor = toolsEditor(page);
  return {
    text: await textContrast(answer(page).getByText(/^Run it with/)),
    muted: await textContrast(answer(page).getByText('Quoted: ports below 1024 need root.')),
    codeComment: await textContrast(answer(page).getByText('// Answers every request with JSON.')),
    codeKeyword: await textContrast(answer(page).getByText('const', { exact: true })),
    // The cursor's line (the only line) is the active line, tinted.
    editorString: await textContrast(editor.getByText('"get_weather"')),
    editorKey: await textContrast(editor.getByText('"name"')),
    editorLineNumber: await textContrast(
      page.getByRole('region', { name: 'Tools' }).getByText('1', { exact: true }).first(),
    ),
  };
}

/** Fails when any text is under 4.5:1; reports every ratio for the record. */
function assertReadable(t, theme, ratios) {
  t.diagnostic(
    `${theme}: ${Object.entries(ratios)
      .map(([k, v]) => `${k} ${v.toFixed(2)}:1`)
      .join(', ')}`,
  );
  for (const [what, ratio] of Object.entries(ratios)) {
    assert.ok(ratio >= 4.5, `${theme}: ${what} at ${ratio.toFixed(2)}:1, under 4.5:1`);
  }
}

const isDark = (color) => luminance(color) < 0.05;
const isLight = (color) => luminance(color) > 0.75;

describe('Theme', () => {
  it('Dark on a light system darkens the editors and code blocks, Light lightens them, the choice survives a reload', async (t) => {
    const page = await app.openConfigured();
    await page.emulateMedia({ colorScheme: 'light' });
    app.api.enqueue(markdownAnswer(RICH_ANSWER));
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('A tiny server');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await answer(page).getByLabel('Usage').waitFor();
    await fillEditor(
      page,
      'Tools JSON',
      '[{"type": "function", "function": {"name": "get_weather"}}]',
    );
    await page
      .getByRole('region', { name: 'Tools' })
      .getByText('1 definition, sent as tools.')
      .waitFor();

    const light = await backgrounds(page);
    for (const [what, color] of Object.entries(light)) {
      assert.ok(isLight(color), `System on a light system: ${what} is ${color}`);
    }
    assertReadable(t, 'light', await textContrasts(page));

    await pickTheme(page, 'Dark');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const dark = await backgrounds(page);
    for (const [what, color] of Object.entries(dark)) {
      assert.ok(isDark(color), `Dark: ${what} is ${color}`);
    }
    assertReadable(t, 'dark', await textContrasts(page));
    // The editor shows it has focus, in the dark too.
    await toolsEditor(page).focus();
    await page.locator('.cm-editor.cm-focused').waitFor();
    const ring = await toolsEditor(page).evaluate((el) => {
      const style = getComputedStyle(el.closest('.cm-editor'), '::after');
      return { color: style.borderTopColor, width: style.borderTopWidth };
    });
    assert.equal(ring.width, '2px');
    assert.ok(contrast(ring.color, dark.editor) >= 3, `focus ring ${ring.color} on ${dark.editor}`);

    // Remembered: after a reload the page opens dark, on a light system.
    await saved(page);
    await page.reload();
    await answer(page).getByLabel('Usage').waitFor();
    await page.getByRole('button', { name: 'More actions' }).click();
    assert.equal(await page.getByRole('combobox', { name: 'Theme' }).inputValue(), 'dark');
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    for (const [what, color] of Object.entries(await backgrounds(page))) {
      assert.ok(isDark(color), `Dark after a reload: ${what} is ${color}`);
    }

    // Light on a dark system: light again.
    await page.emulateMedia({ colorScheme: 'dark' });
    await pickTheme(page, 'Light');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    for (const [what, color] of Object.entries(await backgrounds(page))) {
      assert.ok(isLight(color), `Light on a dark system: ${what} is ${color}`);
    }

    // System follows the browser: dark here, with no attribute on the page.
    await pickTheme(page, 'System');
    await page.waitForFunction(() => !('theme' in document.documentElement.dataset));
    for (const [what, color] of Object.entries(await backgrounds(page))) {
      assert.ok(isDark(color), `System on a dark system: ${what} is ${color}`);
    }
    assert.deepEqual(app.profile.pageErrors, []);
  });
});
