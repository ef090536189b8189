// Code in a language of the second set (Rust, Go, SQL, …) shows plain until
// that chunk arrives, then coloured; the common languages need no wait.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IncrementalMarkdown, loadHighlighter, loadRenderer } from '../../src/lib/render';

// jsdom's sanitizer is not under test here.
vi.mock('../../src/lib/render/sanitize', () => ({ sanitizeHtml: (html: string) => html }));

beforeAll(async () => {
  await loadRenderer();
  await loadHighlighter();
});

const html = (md: IncrementalMarkdown, text: string) =>
  md
    .render(text)
    .blocks.map((b) => String(b.html))
    .join('');

describe('highlighting languages in two chunks', () => {
  it('colours Python at once', () => {
    const md = new IncrementalMarkdown({ budgetMs: Infinity });
    expect(html(md, '```python\ndef f():\n    return 1\n```\n')).toContain('hljs-keyword');
  });

  it('shows Rust plain first, and coloured once its grammar has come', async () => {
    const md = new IncrementalMarkdown({ budgetMs: Infinity });
    const text = '```rust\nfn main() { let x = 1; }\n```\n';
    const first = html(md, text);
    expect(first).not.toContain('hljs-keyword');
    expect(first).toContain('fn main() { let x = 1; }');
    await vi.waitFor(() => expect(html(md, text)).toContain('hljs-keyword'));
  });
});
