// Code in a language of the second set (Rust, Go, SQL, HTML, CSS, …) shows plain until
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

  it('colours HTML (and the CSS inside it) and CSS, from the second chunk', async () => {
    const md = new IncrementalMarkdown({ budgetMs: Infinity });
    const text =
      '```html\n<style>p { color: red; }</style>\n<p class="x">Hi</p>\n```\n\n' +
      '```css\n.card { margin: 0 auto; }\n```\n';
    await vi.waitFor(() => {
      const out = html(md, text);
      expect(out).toContain('hljs-tag'); // HTML
      expect(out).toContain('hljs-selector-class'); // CSS
      expect(out).toContain('hljs-attribute'); // CSS inside <style>
    });
  });
});
