// The incremental renderer's lexing (issue 15), checked fast: the sanitizer is
// left out here (DOMPurify needs a DOM; tests/component/render-stream.test.ts
// checks the whole path in jsdom), so many thousands of random documents can be
// streamed in pieces and compared with renderMarkdown() of the whole text.
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  clearRenderCache,
  IncrementalMarkdown,
  loadHighlighter,
  loadRenderer,
  renderMarkdown,
  type MarkdownView,
} from '../../src/lib/render';
import { cutsOf, growingPrefixes, longAnswer, markdownish, TRICKY } from '../builders/markdown';
import { LEX_CHARS } from '../../src/lib/render/incremental';

vi.mock('../../src/lib/render/sanitize', () => ({ sanitizeHtml: (html: string) => html }));

beforeAll(async () => {
  await loadRenderer();
  await loadHighlighter();
});

/** Feeds `steps` to one renderer; after each, its blocks must join to the whole render. */
function expectStreamed(steps: string[]): void {
  // No slice limit: everything is rendered at once, so every step can be compared.
  const markdown = new IncrementalMarkdown({ budgetMs: Infinity });
  for (const text of steps) {
    const { blocks, plain } = markdown.render(text);
    expect(plain).toEqual([]);
    expect(blocks.map((b) => b.html).join('')).toBe(renderMarkdown(text));
  }
}

const prefixes = (text: string) =>
  Array.from({ length: text.length + 1 }, (_, end) => text.slice(0, end));

// PARLEY_PROPERTY_RUNS=300000 for a long search (a minute or two).
const RUNS = Number(process.env.PARLEY_PROPERTY_RUNS ?? 5000);
const LONG = { timeout: 60_000 * Math.max(1, RUNS / 5000) };

describe('IncrementalMarkdown lexes as the whole text would', () => {
  it.each(TRICKY)('every prefix of %j', (text) => {
    expectStreamed(prefixes(text));
  });

  it('random Markdown fed in growing prefixes, cut anywhere or after every character', LONG, () => {
    fc.assert(
      fc.property(
        markdownish,
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.boolean(),
        (text, picks, everyCharacter) => {
          expectStreamed(everyCharacter ? prefixes(text) : cutsOf(text, picks));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('random edits, not only appends, each then growing again', LONG, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(markdownish, fc.array(fc.nat(), { maxLength: 8 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (texts) => {
          expectStreamed(texts.flatMap(([text, picks]) => cutsOf(text, picks)));
        },
      ),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

describe('rendering in slices', () => {
  const html = (view: MarkdownView) => view.blocks.map((b) => b.html).join('');
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  const squeezed = (text: string) => text.replace(/\s+/g, '');

  /** What is shown is always the whole render's start, then the rest of the text as it is. */
  function expectConsistent(view: MarkdownView, text: string): void {
    expect(renderMarkdown(text).startsWith(html(view))).toBe(true);
    // Blank lines between blocks are not shown, so compare without white space.
    const rest = squeezed(view.plain.map((p) => p.text).join(''));
    expect(squeezed(text).endsWith(rest)).toBe(true);
  }

  /**
   * Renders `text` task after task until nothing is left as plain text, each
   * view consistent on the way; the last is the whole render. Returns the tasks.
   */
  async function renderToTheEnd(markdown: IncrementalMarkdown, text: string, view: MarkdownView) {
    let tasks = 1;
    while (view.plain.length > 0) {
      expectConsistent(view, text);
      await nextTask();
      view = markdown.render(text);
      tasks++;
    }
    expect(html(view)).toBe(renderMarkdown(text));
    return tasks;
  }

  it('renders a long answer that came at once over several tasks, showing the rest as text', async () => {
    clearRenderCache();
    const text = longAnswer(2_000);
    const markdown = new IncrementalMarkdown({ budgetMs: 0 }); // one block per task
    const tasks = await renderToTheEnd(markdown, text, markdown.render(text));
    expect(tasks).toBeGreaterThan(50);
  });

  it('lexes a long answer that came at once a few thousand characters per task', async () => {
    clearRenderCache();
    const text = longAnswer(5_000);
    expect(text.length).toBeGreaterThan(4 * LEX_CHARS);
    const markdown = new IncrementalMarkdown();
    const first = markdown.render(text);
    // The first task lexed about LEX_CHARS (to a line end), and shows the rest as it is.
    expect(markdown.lexedChars).toBeLessThan(LEX_CHARS + 200);
    expect(first.plain.at(-1)?.key).toMatch(/^rest-/);
    expect(text.endsWith(first.plain.at(-1)!.text)).toBe(true);
    expect(await renderToTheEnd(markdown, text, first)).toBeGreaterThanOrEqual(4);
  });

  it('shows text not lexed yet in the pieces the next tasks lex, so the pieces after keep their key', async () => {
    clearRenderCache();
    const text = longAnswer(5_000);
    const markdown = new IncrementalMarkdown({ budgetMs: Infinity, lexChars: LEX_CHARS });
    markdown.render(text.slice(0, 100));
    const update = markdown.render(text); // painted as it is first
    const rest = update.plain.filter((p) => p.key.startsWith('rest-'));
    // A few pieces of about LEX_CHARS each (not one per paragraph), together the text.
    expect(rest.length).toBeGreaterThan(3);
    expect(rest.length).toBeLessThanOrEqual(Math.ceil(text.length / LEX_CHARS) + 1);
    for (const piece of rest.slice(0, -1)) {
      expect(piece.text.length).toBeGreaterThanOrEqual(LEX_CHARS);
      expect(piece.text.length).toBeLessThan(LEX_CHARS + 200);
    }
    expect(squeezed(rest.map((p) => p.text).join(''))).toBe(squeezed(text.slice(100)));
    // Each later task lexes the first piece left; the others are shown unchanged.
    let before = rest;
    let view = markdown.render(text);
    for (let tasks = 0; view.plain.some((p) => p.key.startsWith('rest-')); tasks++) {
      await nextTask();
      view = markdown.render(text);
      const now = view.plain.filter((p) => p.key.startsWith('rest-'));
      if (now.length < before.length) expect(now).toEqual(before.slice(before.length - now.length));
      before = now;
      expect(tasks).toBeLessThan(100);
    }
    expect(html(view)).toBe(renderMarkdown(text));
  });

  it('paints a big update as text first, and works on it from the frame after', () => {
    clearRenderCache();
    const text = longAnswer(1_000);
    // Rendering unbounded in time, so what is tested is only when work happens.
    const markdown = new IncrementalMarkdown({ budgetMs: Infinity, lexChars: LEX_CHARS });
    markdown.render(text.slice(0, 100));
    const update = markdown.render(text); // far more than one update's worth of new text
    expect(markdown.lexedChars).toBeLessThanOrEqual(100);
    expect(text.endsWith(update.plain.at(-1)!.text)).toBe(true);
    const painting = markdown.render(text); // the frame that paints it
    expect(painting.blocks.length).toBe(update.blocks.length);
    const working = markdown.render(text); // the frame after: lexing and rendering resume
    expect(markdown.lexedChars).toBeGreaterThan(100);
    expect(working.blocks.length).toBeGreaterThan(update.blocks.length);
  });

  it('shares one slice between messages: one that finds it used waits to lex', async () => {
    clearRenderCache();
    const text = longAnswer(2_000);
    // Two messages drawn in the same task (compare panes whose answers ended at once).
    const first = new IncrementalMarkdown({ budgetMs: 0 });
    const second = new IncrementalMarkdown({ budgetMs: 0 });
    // Painted as text first; the first task that lexes is the first one's.
    let views = [first.render(text), second.render(text)];
    while (first.lexedChars === 0) {
      await nextTask();
      views = [first.render(text), second.render(text)];
    }
    expect(second.lexedChars).toBe(0); // shown as it is for now
    expect(views[1]!.plain.map((p) => p.text).join('')).toBe(text);
    let tasks = 0;
    while (views.some((v) => v.plain.length > 0)) {
      await nextTask();
      views = [first.render(text), second.render(text)];
      tasks++;
      expect(tasks).toBeLessThan(2_000);
    }
    for (const view of views) expect(html(view)).toBe(renderMarkdown(text));
  });

  it('keeps up with a stream while blocks wait, and ends as the whole render', async () => {
    clearRenderCache();
    const text = longAnswer(2_000);
    const markdown = new IncrementalMarkdown({ budgetMs: 0 });
    for (const prefix of growingPrefixes(text, 40)) {
      expectConsistent(markdown.render(prefix), prefix);
      await nextTask();
    }
    let view = markdown.render(text);
    while (view.plain.length > 0) {
      await nextTask();
      view = markdown.render(text);
    }
    expect(html(view)).toBe(renderMarkdown(text));
  });
});
