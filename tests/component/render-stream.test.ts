// Incremental Markdown (issue 15): while an answer streams, only its open end is
// lexed and rendered again, and the blocks always join to exactly what
// renderMarkdown() makes of the whole text. Here through the whole render path,
// sanitizer included; tests/unit/incremental-markdown.test.ts runs many more
// random documents without it.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  IncrementalMarkdown,
  loadHighlighter,
  loadRenderer,
  renderMarkdown,
  type MarkdownView,
} from '../../src/lib/render';
import { cutsOf, growingPrefixes, longAnswer, markdownish, TRICKY } from '../builders/markdown';

beforeAll(async () => {
  await loadRenderer();
  await loadHighlighter();
});

/** The blocks' HTML, joined; everything must be rendered (nothing left as plain text). */
const joined = ({ blocks, plain }: MarkdownView) => {
  expect(plain).toEqual([]);
  return blocks.map((b) => b.html).join('');
};

/** Feeds `steps` to a fresh renderer; each must join to the whole render. */
function expectStreamed(steps: string[]): IncrementalMarkdown {
  // No slice limit: everything is rendered at once, so every step can be compared.
  const markdown = new IncrementalMarkdown({ budgetMs: Infinity });
  for (const text of steps) expect(joined(markdown.render(text))).toBe(renderMarkdown(text));
  return markdown;
}

// jsdom sanitizes slowly: each property renders thousands of small documents.
const RUNS = Number(process.env.PARLEY_PROPERTY_RUNS ?? 200);
const PROPERTY = { timeout: 180_000 * Math.max(1, RUNS / 200) };
const SLOW_STREAM = { timeout: 120_000 };

describe('IncrementalMarkdown', () => {
  it(
    'joins to renderMarkdown(prefix) for random Markdown fed in growing prefixes',
    PROPERTY,
    () => {
      fc.assert(
        fc.property(markdownish, fc.array(fc.nat(), { maxLength: 30 }), (text, picks) => {
          expectStreamed(cutsOf(text, picks));
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('joins to renderMarkdown(text) after any change, not only appends', PROPERTY, () => {
    fc.assert(
      fc.property(fc.array(markdownish, { minLength: 1, maxLength: 6 }), (texts) => {
        // Each text, then growing again from there.
        expectStreamed(texts.flatMap((text) => [text, `${text}\n\n[a]: /late\n`]));
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it.each(TRICKY)('every prefix of %j (each once broke a simpler rule)', (text) => {
    expectStreamed(Array.from({ length: text.length + 1 }, (_, end) => text.slice(0, end)));
  });
});

describe('the work of streaming an answer', () => {
  /** Streams an answer of `tokens` tokens, ten tokens (40 characters) per update. */
  function stream(tokens: number) {
    const text = longAnswer(tokens);
    const markdown = new IncrementalMarkdown({ budgetMs: Infinity });
    let mostLexed = 0;
    for (const prefix of growingPrefixes(text, tokens / 10)) {
      const before = markdown.lexedChars;
      markdown.render(prefix);
      mostLexed = Math.max(mostLexed, markdown.lexedChars - before);
    }
    expect(joined(markdown.render(text))).toBe(renderMarkdown(text));
    return {
      length: text.length,
      lexed: markdown.lexedChars,
      rendered: markdown.renderedChars,
      mostLexed,
    };
  }

  it(
    'grows linearly: twice the answer, twice the characters lexed and rendered',
    SLOW_STREAM,
    () => {
      const half = stream(5_000);
      const full = stream(10_000); // 1,000 updates
      // Lexing the whole text on every update would be 500 passes over it; this is a few.
      expect(full.lexed / full.length).toBeLessThan(12);
      expect(full.rendered / full.length).toBeLessThan(12);
      // Quadratic work would grow four times; linear, two.
      expect(full.lexed / half.lexed).toBeLessThan(2.5);
      expect(full.rendered / half.rendered).toBeLessThan(2.5);
      // No update lexes more than the open end: a block or two, not the 40,000 characters.
      expect(full.mostLexed).toBeLessThan(2_000);
      expect(full.mostLexed).toBeLessThanOrEqual(half.mostLexed * 1.5);
    },
  );
});
