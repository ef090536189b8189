import { bench, describe } from 'vitest';
import {
  clearRenderCache,
  IncrementalMarkdown,
  loadHighlighter,
  loadRenderer,
  renderMarkdown,
} from '../../src/lib/render';
import { growingPrefixes, longAnswer } from '../builders/markdown';

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

function streamIncrementally(frames: string[]): void {
  clearRenderCache();
  const markdown = new IncrementalMarkdown();
  for (const text of frames) markdown.render(text);
}

// Few iterations: jsdom's DOMPurify is slow, and the naive way is quadratic.
const HEAVY = { time: 0, iterations: 3, warmupIterations: 1 };

describe('a 2,000-token answer streamed in 1,000 updates', () => {
  bench(
    'incremental: only the open end is lexed and rendered',
    () => {
      streamIncrementally(streams[2_000]);
    },
    HEAVY,
  );
  bench(
    'whole document every update (the naive way)',
    () => {
      for (const text of streams[2_000]) renderMarkdown(text);
    },
    HEAVY,
  );
});

describe('a 10,000-token answer streamed in 1,000 updates', () => {
  bench(
    'incremental: only the open end is lexed and rendered',
    () => {
      streamIncrementally(streams[10_000]);
    },
    HEAVY,
  );
});

describe('one more update at the end of a 10,000-token answer', () => {
  const markdown = new IncrementalMarkdown();
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
