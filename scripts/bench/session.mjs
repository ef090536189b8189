// One Chromium per run, on a profile used once; the prepared profiles runs start from; and
// small things asked of the page (through the probe, see probe.mjs).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, importFile, messageBox, saved, sendButton, enabled } from './app.mjs';
import { copyProfile, freshProfileDir, launch, removeProfile } from './browser.mjs';
import { conversationFile } from './conversation-file.mjs';

/** Runs `fn` with Chromium on `dir`, and closes it whatever happens. */
async function session(dir, options, fn) {
  const b = await launch(dir, options);
  try {
    return await fn(b);
  } finally {
    for (const error of b.errors) process.stderr.write(`  page error: ${error}\n`);
    await b.close().catch(() => {});
  }
}

/** The same on a copy of `template` (or an empty profile), removed afterwards. */
export async function inBrowser(template, options, fn) {
  const dir = template ? copyProfile(template) : freshProfileDir();
  try {
    return await session(dir, options, fn);
  } finally {
    removeProfile(dir);
  }
}

/** When `marker` was painted (see probe.mjs); it must have been watched before it appeared. */
export async function painted(page, marker, options) {
  const shown = await page.evaluate(
    ([m, o]) => window.__parleyBench.whenPainted(m, o),
    [marker, options],
  );
  if (shown.late) throw new Error(`bench: "${marker}" was on the page before it was watched`);
  return shown;
}

/**
 * The newest message of an imported conversation painted, or an error that says what
 * the page shows instead (with a screenshot): it takes well under a second, so two
 * minutes is a page that will not show it.
 */
async function shownOrSaid(page, marker, when) {
  try {
    await painted(page, marker, { timeoutMs: 120_000 });
  } catch (err) {
    const shot = join(tmpdir(), `parley-bench-seed-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    const text = await page
      .evaluate(() => document.body.innerText.slice(0, 800))
      .catch((e) => `(unreadable: ${e})`);
    throw new Error(`bench: the imported conversation was not shown ${when} (${shot}):\n${text}`, {
      cause: err,
    });
  }
}

/** Resolves once the page has been idle for two idle periods in a row. */
export const settled = (page) => page.evaluate(() => window.__parleyBench.settled());

/** The probe's record so far (a structured copy). */
export const probeRecord = (page) =>
  page.evaluate(() => {
    const { longTasks, events, keys, probeMs, button } = window.__parleyBench;
    return { longTasks, events, keys, probeMs, button };
  });

/** The longest of the long tasks (over 50 ms by definition) that overlap [from, to]. */
export function longestTask(longTasks, from, to = Infinity) {
  const during = longTasks.filter((t) => t.start + t.duration > from && t.start < to);
  return { longest: Math.max(0, ...during.map((t) => t.duration)), count: during.length };
}

/**
 * Prepared profiles, each made once per bench and copied for every run:
 * `configured` has the settings saved (the bench server as endpoint, a key);
 * `withDraft` adds a one-word draft in the open conversation (Send needs something to send);
 * `seeded(file)` adds a long conversation, imported through the app's Import control.
 */
export function preparedProfiles(ctx) {
  const made = new Map();
  const once = (name, make) => {
    if (!made.has(name)) made.set(name, make());
    return made.get(name);
  };
  const dirs = [];
  const prepare = async (dir, probe, fn) => {
    dirs.push(dir);
    await session(dir, { probe }, (b) => fn(b.page));
    return dir;
  };
  const configured = () =>
    once('configured', () =>
      prepare(freshProfileDir(), {}, async (page) => {
        await page.goto(ctx.site.url);
        await configure(page, ctx.api.url);
        // Stored for good: a reload opens without asking for settings.
        await page.reload();
        await messageBox(page).waitFor();
        if (await page.getByRole('dialog', { name: 'Settings' }).isVisible()) {
          throw new Error('the settings were not kept across a reload');
        }
      }),
    );
  const withDraft = () =>
    once('withDraft', async () =>
      prepare(copyProfile(await configured()), {}, async (page) => {
        await page.goto(ctx.site.url);
        await messageBox(page).fill('Hello');
        await saved(page);
        await page.reload();
        // Send is enabled only once the draft is back.
        await enabled(sendButton(page)).catch((err) => {
          throw new Error('the draft was not restored after a reload', { cause: err });
        });
      }),
    );
  const seeded = (conversation) =>
    once(conversation.id, async () => {
      const { marker } = conversation;
      return prepare(copyProfile(await configured()), { markers: [marker] }, async (page) => {
        await page.goto(ctx.site.url);
        await messageBox(page).waitFor();
        await importFile(page, `${conversation.id}.json`, conversationFile(conversation));
        await shownOrSaid(page, marker, 'after the import');
        // Stored and reopened on load: the scenarios start from here.
        await page.reload();
        await shownOrSaid(page, marker, 'after a reload');
        await settled(page);
      });
    });
  /** Removes every prepared profile (at the end of the bench). */
  const remove = () => dirs.splice(0).forEach(removeProfile);
  return { configured, withDraft, seeded, remove };
}
