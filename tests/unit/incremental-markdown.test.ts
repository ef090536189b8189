// The incremental renderer's lexing (issue 15), checked fast: the sanitizer is
// left out here (DOMPurify needs a DOM; tests/component/render-stream.test.ts
// checks the whole path in jsdom), so many thousands of random documents can be
// streamed in pieces and compared with renderMarkdown() of the whole text.
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  IncrementalMarkdown,
  loadHighlighter,
  loadRenderer,
  renderMarkdown,
} from '../../src/lib/render';
import { cutsOf, markdownish, TRICKY } from '../builders/markdown';

vi.mock('../../src/lib/render/sanitize', () => ({ sanitizeHtml: (html: string) => html }));

beforeAll(async () => {
  await loadRenderer();
  await loadHighlighter();
});

/** Feeds `steps` to one renderer; after each, its blocks must join to the whole render. */
function expectStreamed(steps: string[]): void {
  const markdown = new IncrementalMarkdown();
  for (const text of steps) {
    const blocks = markdown.render(text) ?? [];
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
