// Markdown while an answer streams: the incremental renderer against rendering
// the whole document on every update. The sanitizer is left out: in jsdom,
// DOMPurify gets slower and bigger with every call (jsdom keeps state from each
// one), which would time jsdom rather than Parley. It runs once per rendered
// block either way, so its share grows with `renderedChars` like the rest;
// tests/e2e measures the real thing in Chromium.
import { bench, describe, vi } from 'vitest';
import {
  clearRenderCache,
  IncrementalMarkdown,
  loadHighlighter,
  loadRenderer,
  renderMarkdown,
} from '../../src/lib/render';
import { growingPrefixes, longAnswer } from '../builders/markdown';

vi.mock('../../src/lib/render/sanitize', () => ({ sanitizeHtml: (html: string) => html }));

// The renderer loads on first need in the app; here, up front.
await loadRenderer();
await loadHighlighter();

// What the screen sees while an answer streams at full speed: one render per
// update, the text a little longer each time (updates come at most once a frame).
const UPDATES = 1_000;
const streams = {
  2_000: growingPrefixes(longAnswer(2_000), UPDATES),
  10_000: growingPrefixes(longAnswer(10_000), UPDATES),
};

// No slice limit: a loop is one task, and slicing would leave the work for
// frames that never come; it spreads the same work, it does not change it.
const UNSLICED = { budgetMs: Infinity };

function streamIncrementally(frames: string[]): void {
  clearRenderCache();
  const markdown = new IncrementalMarkdown(UNSLICED);
  for (const text of frames) markdown.render(text);
}

// Few iterations: the naive way is quadratic.
const HEAVY = { time: 0, iterations: 5, warmupIterations: 1 };

for (const tokens of [2_000, 10_000] as const) {
  describe(`a ${tokens.toLocaleString('en')}-token answer streamed in 1,000 updates`, () => {
    bench(
      'incremental: only the open end is lexed and rendered',
      () => {
        streamIncrementally(streams[tokens]);
      },
      HEAVY,
    );
    bench(
      'whole document every update (the naive way)',
      () => {
        for (const text of streams[tokens]) renderMarkdown(text);
      },
      HEAVY,
    );
  });
}

describe('one more update at the end of a 10,000-token answer', () => {
  const markdown = new IncrementalMarkdown(UNSLICED);
  let text = longAnswer(10_000);
  markdown.render(text);
  let update = 0;
  bench('incremental: only the open end is lexed and rendered', () => {
    // A few words per update, a new paragraph now and then, as a stream goes on.
    text += ++update % 8 === 0 ? '\n\nMore' : ' words';
    markdown.render(text);
  });
  bench(
    'whole document (renderMarkdown)',
    () => {
      renderMarkdown(text);
    },
    HEAVY,
  );
});
