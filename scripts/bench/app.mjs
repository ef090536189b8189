// Driving Parley the way a person does: controls found by role and accessible name
// (../shared/ui-contract.md), so the bench keeps working while the app changes around them.

export const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
export const sendButton = (page) => page.getByRole('button', { name: 'Send', exact: true });
const pane = (page, n) => page.getByRole('region', { name: `Pane ${n}`, exact: true });

/** Resolves when the control is enabled (checked in the page at every frame). */
export async function enabled(locator, timeoutMs = 30_000) {
  await locator.waitFor();
  const handle = await locator.elementHandle();
  await handle.evaluate(
    (el, ms) =>
      new Promise((resolve, reject) => {
        const until = performance.now() + ms;
        const check = () => {
          if (!el.disabled) resolve();
          else if (performance.now() > until) reject(new Error(`still disabled after ${ms} ms`));
          else requestAnimationFrame(check);
        };
        check();
      }),
    timeoutMs,
  );
  return handle;
}

/** On a fresh profile: saves an API key and the bench server as the endpoint in the Settings a first run opens. */
export async function configure(page, baseURL) {
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  await dialog.getByLabel('API key').fill('sk-bench-0123456789abcdef');
  await dialog.getByRole('checkbox', { name: 'Remember key on this device' }).check();
  await dialog.getByRole('textbox', { name: 'Base URL' }).fill(baseURL);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Imports a Parley export file through the app's own Import control. */
export async function importFile(page, name, text) {
  await page.getByLabel('Import', { exact: true }).setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
}

/** Resolves when the header says the open conversation is stored as it is on screen. */
export async function saved(page) {
  await page.getByText('Saved', { exact: true }).waitFor();
}

/** Types the draft and presses Send. */
export async function send(page, text) {
  await messageBox(page).fill(text);
  await (await enabled(sendButton(page))).click();
}

/** Turns compare on and adds panes until there are `count`. */
export async function compareWith(page, count) {
  const toggle = page.getByRole('button', { name: 'Compare', exact: true });
  await toggle.click();
  await pane(page, 2).waitFor();
  for (let n = 3; n <= count; n++) {
    await page.getByRole('button', { name: 'Add pane', exact: true }).click();
    await pane(page, n).waitFor();
  }
}
