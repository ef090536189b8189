import { bench, describe } from 'vitest';
import { clearRenderCache, renderMarkdown, renderMarkdownBlocks } from '../../src/lib/render';

// A long answer with prose, lists and code, as a model writes it.
const section = (i: number) =>
  `## Part ${i}\n\nSome prose with **bold**, \`code\` and a [link](https://example.com/${i}).\n\n` +
  `- item one\n- item two\n\n\`\`\`ts\nconst x${i} = ${i};\nconsole.log(x${i});\n\`\`\`\n\n`;
const answer = Array.from({ length: 40 }, (_, i) => section(i)).join('');
// What the screen sees while streaming: one render per frame, the text a little longer each time.
const frames = Array.from({ length: 60 }, (_, i) =>
  answer.slice(0, ((i + 1) * answer.length) / 60),
);

describe('markdown while streaming (60 frames of a 40-section answer)', () => {
  bench('block-cached render, as the app does', () => {
    clearRenderCache();
    for (const text of frames) renderMarkdownBlocks(text);
  });
  bench('whole-document render every frame (the naive way)', () => {
    for (const text of frames) renderMarkdown(text);
  });
});
