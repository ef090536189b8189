// Shared set-up for the end-to-end suites: the built app served under /parley/, the
// replay server as its endpoint, and a fresh Chromium profile per test.
import { after, afterEach, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newProfile } from './browser.mjs';
import { startReplayServer } from './replay-server.mjs';
import { startStaticServer } from './static-server.mjs';

// PARLEY_DIST lets parallel runs build into their own folder.
export const DIST =
  process.env.PARLEY_DIST || fileURLToPath(new URL('../../dist-e2e/', import.meta.url));

/**
 * Registers the suite's hooks and returns its handles. `api`, `site` and `profile`
 * are filled in by the hooks, so read them from the returned object at test time.
 * `bypassCSP` is for suites that inject scripts of their own, `serviceWorkers: 'allow'`
 * for those that test the app offline (see newProfile).
 */
export function useApp({
  key = 'sk-test-e2e-0123456789',
  bypassCSP = false,
  serviceWorkers = 'block',
} = {}) {
  const app = {
    key,
    api: undefined,
    site: undefined,
    profile: undefined,
    /** Requests the app sent to POST /chat/completions, in order. */
    chatRequests: () => app.api.requests.filter((r) => r.path.endsWith('/chat/completions')),
    /** Waits until the app has sent `count` chat completion requests; returns them. */
    waitForChatRequests: (count) => app.api.waitForRequests(count, { path: '/chat/completions' }),
    /** A fresh profile on the app's start page; the first-run dialog is left open. */
    async openFresh() {
      app.profile = await newProfile({ bypassCSP, serviceWorkers });
      await app.profile.page.goto(app.site.url);
      return app.profile.page;
    },
    /**
     * Fills the open first-run Settings dialog for the replay server and saves
     * it; `remember` ticks "Remember key on this device", `more` fills other
     * fields first. Returns the dialog.
     */
    async fillFirstRun(page, { key = app.key, remember = false, more } = {}) {
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.waitFor();
      await dialog.getByLabel('API key').fill(key);
      if (remember) {
        await dialog.getByRole('checkbox', { name: 'Remember key on this device' }).check();
      }
      await dialog.getByRole('textbox', { name: 'Base URL' }).fill(app.api.url);
      await more?.(dialog);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      return dialog;
    },
    /**
     * Sends `text` from the composer and waits for its answer (the own
     * "hello" stream); returns the request the server received.
     */
    async ask(page, text) {
      const box = page.getByRole('textbox', { name: 'Message', exact: true });
      const before = app.chatRequests().length;
      app.api.enqueue({ ownFixture: 'own_stream_hello' });
      await box.fill(text);
      await box.press('Control+Enter');
      const sent = (await app.waitForChatRequests(before + 1)).at(-1);
      await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });
      return sent;
    },
    /** A fresh profile with the first-run settings filled in for the replay server. */
    async openConfigured({ key = app.key, stallSeconds, organization } = {}) {
      const page = await app.openFresh();
      // Remembered, as the suites reload pages (a first run keeps it for the session).
      await app.fillFirstRun(page, {
        key,
        remember: true,
        async more(dialog) {
          if (stallSeconds || organization) await dialog.getByText('More').click();
          if (stallSeconds) {
            await dialog.getByLabel(/Stop a stream that sends nothing/).fill(String(stallSeconds));
          }
          if (organization) await dialog.getByLabel('Organization').fill(organization);
        },
      });
      return page;
    },
  };
  before(async () => {
    app.api = await startReplayServer();
    app.site = await startStaticServer(DIST, '/parley/');
  });
  after(async () => {
    await app.api?.close();
    await app.site?.close();
  });
  afterEach(async () => {
    try {
      // Fails the test if the page broke its Content Security Policy (browser.mjs).
      await app.profile?.close();
    } finally {
      app.profile = undefined;
      app.api.reset();
    }
  });
  return app;
}

/** Replaces the whole text of a CodeMirror editor, as a paste would. */
export async function fillEditor(page, name, text) {
  const editor = page.getByRole('textbox', { name, exact: true });
  await editor.click();
  await page.keyboard.press('Control+A');
  // insertText is one input event, so bracket auto-closing does not add to it.
  await page.keyboard.insertText(text);
}

/**
 * Waits until the open conversation is stored as it is on screen: the header
 * says "Saved" (it says "Saving…" from the first change until the write lands).
 */
export async function saved(page) {
  await page.getByText('Saved', { exact: true }).waitFor();
}

/**
 * Waits until every Markdown answer in `scope` (a page or a locator) shows its
 * rendered form. The renderer loads on first need, so an answer shows as plain
 * text for a moment first; a check on the HTML must not run on that.
 */
export async function rendered(scope) {
  await scope.locator('.markdown').first().waitFor();
  await scope.locator('.markdown.pending').first().waitFor({ state: 'detached' });
}

/** Waits until the page has painted twice: anything a render would start has started. */
export async function painted(page) {
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
}

/** The Theme control lives in the More actions panel: opens it, picks, and closes it again. */
export async function pickTheme(page, label) {
  await page.getByRole('button', { name: 'More actions' }).click();
  const control = page.getByRole('combobox', { name: 'Theme' });
  await control.selectOption({ label });
  const value = await control.inputValue();
  await control.press('Escape');
  await control.waitFor({ state: 'detached' });
  return value;
}
