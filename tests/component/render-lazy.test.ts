// The renderer loads on first need (issue 15): marked and DOMPurify when the
// first answer is shown, highlight.js when the first code block names a
// language. Until then the text shows plain and escaped. Vitest gives each test
// file its own modules, so nothing has loaded when this file starts.
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import RenderedMarkdown from '../../src/components/RenderedMarkdown.svelte';
import { renderMarkdown } from '../../src/lib/render';
import { WARM_PIECES } from '../../src/lib/render/markdown';

const CODE = 'Intro **bold** <img src=x onerror=alert(1)>\n\n```js\nconst a = 1;\n```\n';

describe('loading the renderer on first need', () => {
  it('renderMarkdown() says it needs loadRenderer() first', () => {
    expect(() => renderMarkdown('x')).toThrow(/loadRenderer/);
  });

  it('shows plain escaped text until marked and DOMPurify arrive, then the rendered blocks', async () => {
    const { container } = render(RenderedMarkdown, { text: CODE });
    const wrapper = container.querySelector('.markdown');
    // Plain: one text node with the source as it is, nothing parsed as HTML.
    expect(wrapper).toHaveClass('pending');
    const plain = wrapper?.querySelector('p.plain');
    expect(plain?.textContent).toBe(CODE);
    expect(container.querySelector('strong, img, pre')).toBeNull();

    await waitFor(() => expect(wrapper).not.toHaveClass('pending'));
    expect(screen.getByText('bold').tagName).toBe('STRONG');
    expect(screen.getByText(/<img src=x onerror=alert\(1\)>/)).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
    // The code block asked for highlight.js; once it is there the block is coloured.
    await waitFor(() => expect(container.querySelector('pre .hljs-keyword')).not.toBeNull());
    expect(container.querySelector('pre code')?.textContent).toBe('const a = 1;\n');
  });
});

describe('a code block before and after highlight.js', () => {
  it('is plain escaped code in the same markup, then highlighted under the same key', async () => {
    // Fresh modules: the renderer without highlight.js, as on a first answer.
    vi.resetModules();
    const fresh = await import('../../src/lib/render');
    await fresh.loadRenderer();
    const markdown = new fresh.IncrementalMarkdown({ budgetMs: Infinity });
    const text = 'Intro\n\n```js\nconst a = "<b>";\n```\n\nAfter';
    const plain = markdown.render(text).blocks;
    expect(plain).toHaveLength(3);
    expect(plain[1]?.html).toBe(
      '<pre data-lang="js"><button type="button" class="md-copy" aria-label="Copy code">Copy</button>' +
        '<code class="hljs language-js">const a = "&lt;b&gt;";\n</code></pre>\n',
    );
    // That render asked for highlight.js; once it is there the block is coloured.
    await fresh.loadHighlighter();
    const coloured = markdown.render(text).blocks;
    expect(coloured[1]?.html).toContain('<span class="hljs-keyword">const</span>');
    expect(coloured[1]?.key).toBe(plain[1]?.key);
    // The blocks without code are the very same objects: their DOM stays.
    expect(coloured[0]).toBe(plain[0]);
    expect(coloured[2]).toBe(plain[2]);
  });
});

describe('warming the renderer while the page is idle', () => {
  it('does nothing before the renderer has loaded, then a pass per task, leaving renders as they were', async () => {
    vi.resetModules();
    const fresh = await import('../../src/lib/render');
    const tasks: (() => void)[] = [];
    fresh.warmRenderer(3, (fn) => tasks.push(fn));
    expect(tasks).toHaveLength(0); // not loaded: nothing to warm, nothing loaded for it

    await fresh.loadRenderer();
    const before = fresh.renderMarkdown(CODE);
    fresh.warmRenderer(3, (fn) => tasks.push(fn));
    // A piece of the sample at once, each piece queues the next, three times over,
    // then a task that finds none left.
    let queued = 0;
    while (tasks.length > 0) {
      tasks.shift()!();
      queued++;
      expect(queued).toBeLessThan(100);
    }
    expect(queued).toBe(3 * WARM_PIECES);
    expect(fresh.renderMarkdown(CODE)).toBe(before);
  });
});
