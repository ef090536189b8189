import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import RenderedMarkdown from '../../src/components/RenderedMarkdown.svelte';
import {
  clearRenderCache,
  IncrementalMarkdown,
  loadHighlighter,
  loadRenderer,
  renderMarkdown,
  safeUrl,
  type RenderedBlock,
} from '../../src/lib/render';
import { sanitizeHtml, type SafeHtml } from '../../src/lib/render/sanitize';
import { longAnswer } from '../builders/markdown';
import { markdownRendered } from './helpers/markdown';

/** Parses HTML the way {@html} would and returns the container. */
function mount(html: SafeHtml): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = String(html); // jsdom has no Trusted Types: a string all along
  return root;
}

const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background'];
const FORBIDDEN_TAGS = 'script,iframe,object,embed,style,img,svg,math,form,input,details,link,meta';

/** Every safety property the render layer promises, checked on a DOM tree. */
function expectSafe(root: HTMLElement): void {
  expect(root.querySelectorAll(FORBIDDEN_TAGS)).toHaveLength(0);
  const offenders: string[] = [];
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) offenders.push(`${el.tagName} ${attr.name}`);
      // Browsers drop whitespace and control characters inside a scheme.
      // eslint-disable-next-line no-control-regex
      const squeezed = attr.value.replace(/[\u0000-\u0020]/g, '');
      if (URL_ATTRS.includes(attr.name) && /^(?:javascript|data|vbscript):/i.test(squeezed)) {
        offenders.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
    }
  }
  expect(offenders).toEqual([]);
}

// The renderer loads on first need (render-lazy.test.ts checks that); here it
// is loaded up front, so everything renders synchronously.
beforeAll(async () => {
  await loadRenderer();
  await loadHighlighter();
});
beforeEach(() => clearRenderCache());

describe('renderMarkdown: untrusted input never runs', () => {
  // [name, markdown, text that must be visible literally (escaped raw HTML)]
  const corpus: [string, string, string | null][] = [
    ['img onerror', 'Hi <img src=x onerror=alert(1)> there', '<img src=x onerror=alert(1)>'],
    ['script block', '<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['script inline', 'a <script>alert(1)</script> b', '<script>alert(1)</script>'],
    ['svg onload', '<svg onload=alert(1)><circle r=1 /></svg>', '<svg onload=alert(1)>'],
    ['iframe', '<iframe src="javascript:alert(1)"></iframe>', '<iframe src="javascript:alert(1)">'],
    ['object/embed', '<object data="x.swf"></object><embed src="x.swf">', '<embed src="x.swf">'],
    ['raw anchor', '<a href="javascript:alert(1)">click</a>', '<a href="javascript:alert(1)">'],
    [
      'details ontoggle',
      '<details open ontoggle=alert(1)>\n<summary>s</summary>\n</details>',
      'ontoggle=alert(1)',
    ],
    ['style', '<style>body{display:none}</style>', '<style>body{display:none}</style>'],
    [
      'form/input',
      '<form action="javascript:x"><input autofocus onfocus=alert(1)></form>',
      '<input autofocus onfocus=alert(1)>',
    ],
    [
      'html comment',
      '<!-- <img src=x onerror=alert(1)> -->',
      '<!-- <img src=x onerror=alert(1)> -->',
    ],
    ['md link javascript', '[x](javascript:alert(1))', null],
    ['md link JAVASCRIPT', '[x](JAVASCRIPT:alert(1))', null],
    ['md link leading spaces', '[x](  javascript:alert(1))', null],
    ['md link tab in scheme', '[x](<java\tscript:alert(1)>)', null],
    ['md link entity', '[x](&#106;avascript:alert(1))', null],
    ['md link hex entity', '[x](&#x6A;avascript&#x3A;alert(1))', null],
    ['md link named entity', '[x](javascript&colon;alert(1))', null],
    ['md link data', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', null],
    ['md link vbscript', '[x](vbscript:msgbox(1))', null],
    ['reference link javascript', '[x][r]\n\n[r]: javascript:alert(1)', null],
    ['autolink javascript', '<javascript:alert(1)>', null],
    ['autolink data', '<data:text/html,<script>alert(1)</script>>', null],
    ['image onerror-ish alt', '![x" onerror="alert(1)](https://example.com/a.png)', null],
    ['image javascript', '![pic](javascript:alert(1))', null],
    ['image data', '![pic](data:image/svg+xml,<svg onload=alert(1)>)', null],
    ['link in code stays text', '`<img src=x onerror=alert(1)>`', '<img src=x onerror=alert(1)>'],
    ['fence html', '```html\n<script>alert(1)</script>\n```', '<script>alert(1)</script>'],
  ];

  it.each(corpus)('%s', (_name, markdown, literal) => {
    const root = mount(renderMarkdown(markdown));
    expectSafe(root);
    if (literal !== null) expect(root.textContent).toContain(literal);
  });

  it('renders a link with an unsafe destination as its text only', () => {
    for (const markdown of [
      '[click me](javascript:alert(1))',
      '[click me](&#106;avascript:alert(1))',
    ]) {
      const root = mount(renderMarkdown(markdown));
      expect(root.querySelector('a')).toBeNull();
      expect(root.textContent?.trim()).toBe('click me');
    }
  });

  it('treats raw HTML as paragraph text, so markdown inside it still renders', () => {
    const root = mount(renderMarkdown('<div class="x">\n**bold** <b>b</b>\n</div>'));
    const p = root.querySelector('p');
    expect(p?.querySelector('strong')).toHaveTextContent('bold');
    expect(p?.querySelector('b, div')).toBeNull();
    expect(p?.textContent).toBe('<div class="x">\nbold <b>b</b>\n</div>');
  });

  it('renders images as links, never as <img>', () => {
    const root = mount(renderMarkdown('![a chart](https://example.com/c.png "Chart")'));
    expect(root.querySelector('img')).toBeNull();
    const link = root.querySelector('a');
    expect(link).toHaveAttribute('href', 'https://example.com/c.png');
    expect(link).toHaveClass('md-image');
    // The host it would load from shows before any click; nothing is fetched.
    expect(link).toHaveTextContent('a chart (example.com)');
  });

  it('does not nest a link inside a link for a linked image', () => {
    const root = mount(
      renderMarkdown('[![badge](https://img.example/b.svg)](https://example.com)'),
    );
    const links = root.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute('href', 'https://example.com');
    expect(links[0]).toHaveTextContent('badge');
  });

  it('renders task list items without <input>', () => {
    const root = mount(renderMarkdown('- [x] done\n- [ ] todo'));
    expect(root.querySelector('input')).toBeNull();
    expect(root.querySelectorAll('[role="img"]')[0]).toHaveAttribute('aria-label', 'Done');
    expect(root.querySelectorAll('[role="img"]')[1]).toHaveAttribute('aria-label', 'Not done');
  });

  it('the sanitizer alone strips what the markdown layer would never emit', () => {
    const root = mount(
      sanitizeHtml(
        '<p onclick="x()" class="primary hljs-keyword" id="app" style="color:red">p</p>' +
          '<a href=" JaVaScRiPt:alert(1)">a</a><a href="data:text/html,x">b</a>' +
          '<img src=x onerror=alert(1)><svg><a href="javascript:1">s</a></svg>' +
          '<iframe></iframe><style>*{}</style><input><form></form><script>1</script>',
      ),
    );
    expectSafe(root);
    const p = root.querySelector('p');
    expect(p?.getAttribute('class')).toBe('hljs-keyword');
    expect(p).not.toHaveAttribute('id');
    expect(p).not.toHaveAttribute('style');
    expect(root.querySelectorAll('a[href]')).toHaveLength(0);
  });

  it('safeUrl allows http(s), mailto and relative; rejects other schemes', () => {
    expect(safeUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeUrl('http://example.com')).toBe('http://example.com');
    expect(safeUrl('mailto:a@example.com')).toBe('mailto:a@example.com');
    expect(safeUrl('/docs?a=1&b=2')).toBe('/docs?a=1&b=2');
    expect(safeUrl('#section')).toBe('#section');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(' \tJaVa\nScRiPt:alert(1)')).toBeNull();
    expect(safeUrl('&#106;avascript:alert(1)')).toBeNull();
    expect(safeUrl('javascript&colon;alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,x')).toBeNull();
    expect(safeUrl('vbscript:x')).toBeNull();
    expect(safeUrl('file:///etc/passwd')).toBeNull();
  });
});

describe('renderMarkdown: links and formatting', () => {
  it('opens links in a new tab without opener or referrer, and keeps https hrefs', () => {
    const root = mount(
      renderMarkdown(
        'See [docs](https://example.com/docs "Docs"), <https://a.example> and www.b.example.',
      ),
    );
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/docs',
      'https://a.example',
      'http://www.b.example',
    ]);
    for (const a of links) {
      expect(a).toHaveAttribute('target', '_blank');
      expect(a).toHaveAttribute('rel', 'noopener noreferrer');
    }
    expect(links[0]).toHaveAttribute('title', 'Docs');
  });

  it('keeps mailto and relative links', () => {
    const root = mount(renderMarkdown('[mail](mailto:a@example.com) [rel](./x) [frag](#y)'));
    expect([...root.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'mailto:a@example.com',
      './x',
      '#y',
    ]);
  });

  it('renders GFM tables, strikethrough and blockquotes', () => {
    const root = mount(renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~gone~~\n\n> quoted'));
    expect(root.querySelector('.md-table > table th')).toHaveTextContent('a');
    expect(root.querySelector('td[align="right"]')).toHaveTextContent('2');
    expect(root.querySelector('del')).toHaveTextContent('gone');
    expect(root.querySelector('blockquote')).toHaveTextContent('quoted');
  });
});

describe('renderMarkdown: code', () => {
  it('highlights a fence with a known language', () => {
    const root = mount(renderMarkdown('```ts {1}\nconst answer: number = 42; // yes\n```'));
    const pre = root.querySelector('pre');
    expect(pre).toHaveAttribute('data-lang', 'ts');
    const code = pre?.querySelector('code');
    expect(code).toHaveClass('hljs', 'language-ts');
    expect(code?.querySelector('.hljs-keyword')).toHaveTextContent('const');
    expect(code?.querySelector('.hljs-number')).toHaveTextContent('42');
    expect(code?.querySelector('.hljs-comment')).toHaveTextContent('// yes');
    expect(code?.textContent).toBe('const answer: number = 42; // yes\n');
  });

  it('resolves aliases and treats ```shell as bash', () => {
    const root = mount(
      renderMarkdown('```py\ndef f(): pass\n```\n\n```shell\nif true; then echo hi; fi\n```'),
    );
    const [py, sh] = root.querySelectorAll('pre code');
    expect(py?.querySelector('.hljs-keyword')).toHaveTextContent('def');
    expect(sh?.querySelector('.hljs-keyword')).toHaveTextContent('if');
  });

  it('renders an unknown language as escaped plain text', () => {
    const html = renderMarkdown('```klingon\nQapla <b>x</b> & "y"\n```');
    const code = mount(html).querySelector('pre code');
    expect(code).toHaveClass('hljs', 'language-klingon');
    expect(code?.children).toHaveLength(0);
    expect(code?.textContent).toBe('Qapla <b>x</b> & "y"\n');
    expect(html).toContain('Qapla &lt;b&gt;x&lt;/b&gt; &amp;');
  });

  it('keeps an unterminated fence as code until the end while streaming', () => {
    const root = mount(renderMarkdown('Intro\n\n```js\nconst a = 1;\n\nconst b'));
    expect(root.querySelector('p')).toHaveTextContent('Intro');
    expect(root.querySelector('pre code')?.textContent).toBe('const a = 1;\n\nconst b\n');
  });
});

describe('IncrementalMarkdown blocks', () => {
  // One renderer per test, as RenderedMarkdown has one per message.
  let markdown: IncrementalMarkdown;
  // No slice limit: everything is rendered at once (slicing is tested below).
  beforeEach(() => (markdown = new IncrementalMarkdown({ budgetMs: Infinity })));
  const renderMarkdownBlocks = (text: string) => markdown.render(text).blocks;

  const answer = [
    '# Title',
    '',
    'Intro with a [reference link][docs] and **bold** text.',
    '',
    '- one',
    '- two',
    '',
    '- three, after a blank line (loose list)',
    '  continued lazily',
    '',
    '1. first',
    '2. second',
    '   ```py',
    '   print("nested")',
    '   ```',
    '',
    '> quote',
    'lazy quote line',
    '',
    'Setext heading',
    '--------------',
    '',
    '| a | b |',
    '|---|---|',
    '| 1 | 2 |',
    '',
    '```ts',
    'const x: number = 1;',
    '',
    'function f() {}',
    '```',
    '',
    'Raw <img src=x onerror=alert(1)> stays text, see [docs].',
    '',
    '[docs]: https://example.com/docs "Docs"',
    '',
    'Last paragraph.',
  ].join('\n');

  const joined = (blocks: readonly RenderedBlock[]) => blocks.map((b) => b.html).join('');
  // jsdom sanitizes slowly; these tests render hundreds of documents.
  const SLOW = { timeout: 30_000 };

  it('gives the same HTML as renderMarkdown for every prefix of a streamed answer', SLOW, () => {
    let checked = 0;
    for (let end = 1; end <= answer.length; end++) {
      const prefix = answer.slice(0, end);
      const whole = renderMarkdown(prefix);
      if (joined(renderMarkdownBlocks(prefix)) !== whole) {
        // One precise failure beats hundreds of near-identical ones.
        expect({ prefix, html: joined(renderMarkdownBlocks(prefix)) }).toEqual({
          prefix,
          html: whole,
        });
      }
      checked++;
    }
    expect(checked).toBe(answer.length);
    // And the final render really contains the constructs under test.
    const root = mount(joined(renderMarkdownBlocks(answer)));
    expect(root.querySelectorAll('a[href="https://example.com/docs"]')).toHaveLength(2);
    expect(root.querySelector('h2')).toHaveTextContent('Setext heading');
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
    expectSafe(root);
  });

  it('re-renders a block that uses a reference once its definition arrives', () => {
    const before = renderMarkdownBlocks('See [docs][d].\n\n');
    expect(mount(joined(before)).querySelector('a')).toBeNull();
    const after = renderMarkdownBlocks('See [docs][d].\n\n[d]: https://example.com');
    expect(mount(joined(after)).querySelector('a')).toHaveAttribute('href', 'https://example.com');
    expect(after[0]?.key).toBe(before[0]?.key);
  });

  it('keeps unchanged blocks (same key, same object) as the text grows', SLOW, () => {
    // Without reference links: a definition arriving late rightly changes an
    // earlier block (tested above).
    const text = answer
      .replace('[reference link][docs]', 'reference link')
      .replace(', see [docs]', '')
      .replace('[docs]: https://example.com/docs "Docs"\n\n', '');
    expect(text).not.toContain('[docs]');
    let previous = new Map<string, RenderedBlock>();
    let reused = 0;
    for (let end = 1; end <= text.length; end += 3) {
      const blocks = renderMarkdownBlocks(text.slice(0, end));
      const keys = blocks.map((b) => b.key);
      expect(new Set(keys).size).toBe(keys.length);
      // Every block but the growing last one was there, unchanged, a step ago.
      for (const block of blocks.slice(0, -2)) {
        const before = previous.get(block.key);
        if (before) {
          expect(block).toBe(before);
          reused++;
        }
      }
      previous = new Map(blocks.map((b) => [b.key, b]));
    }
    expect(reused).toBeGreaterThan(400);
  });

  it('returns cached blocks for an unchanged prefix and a new object only for the tail', () => {
    const first = renderMarkdownBlocks('Para one.\n\nPara two is str');
    const second = renderMarkdownBlocks('Para one.\n\nPara two is streaming');
    expect(second).toHaveLength(2);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.key).not.toBe(first[1]?.key);
    expect(second[1]?.html).toBe('<p>Para two is streaming</p>\n');
  });

  it(
    'keeps every finished block of a document with more blocks than the shared cache holds',
    SLOW,
    () => {
      const text = Array.from({ length: 1100 }, (_, i) => `p${i}`).join('\n\n');
      const first = renderMarkdownBlocks(text);
      const second = renderMarkdownBlocks(`${text} grows`);
      expect(second).toHaveLength(1100);
      expect(second.slice(0, -1).every((block, i) => block === first[i])).toBe(true);
      expect(second.at(-1)).not.toBe(first.at(-1));
    },
  );

  it('shares finished blocks with the next renderer of the same text (a message scrolled back into view)', () => {
    const text = 'Para one.\n\n```js\nconst a = 1;\n```\n\nThe end';
    const first = renderMarkdownBlocks(text);
    const again = new IncrementalMarkdown({ budgetMs: Infinity }).render(text).blocks;
    expect(again.map((b) => b.html)).toEqual(first.map((b) => b.html));
    // All but the open last block came from the cache: the same objects.
    expect(again.slice(0, -1).every((block, i) => block === first[i])).toBe(true);
  });

  it('gives identical blocks distinct keys and skips blank blocks', () => {
    const blocks = renderMarkdownBlocks('same\n\nsame\n\n\n\n---\n\n---\n\n');
    expect(blocks.map((b) => b.html)).toEqual([
      '<p>same</p>\n',
      '<p>same</p>\n',
      '<hr>\n',
      '<hr>\n',
    ]);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(4);
  });
});

describe('RenderedMarkdown', () => {
  afterEach(() => {
    // jsdom has no clipboard; the copy test installs one.
    Reflect.deleteProperty(navigator, 'clipboard');
  });

  it('shows links with safe rel/target and never an <img> with a handler', async () => {
    const { container } = render(RenderedMarkdown, {
      text: 'Read [the docs](https://example.com/docs).\n\n<img src=x onerror=alert(1)>\n\n![chart](https://example.com/c.png)',
    });
    await markdownRendered(container);
    const link = screen.getByRole('link', { name: 'the docs' });
    expect(link).toHaveAttribute('href', 'https://example.com/docs');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(link).toHaveAttribute('target', '_blank');
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /chart/ })).toHaveClass('md-image');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.markdown')).not.toBeNull();
    expectSafe(container);
  });

  it('keeps the DOM of unchanged blocks while the text streams', async () => {
    const { container, rerender } = render(RenderedMarkdown, { text: 'First block.\n\nSecond bl' });
    await markdownRendered(container);
    const firstP = container.querySelector('p');
    expect(firstP).toHaveTextContent('First block.');
    await rerender({ text: 'First block.\n\nSecond block is longer now.' });
    await markdownRendered(container);
    const paragraphs = container.querySelectorAll('p');
    expect(paragraphs[0]).toBe(firstP);
    expect(paragraphs[1]).toHaveTextContent('Second block is longer now.');
    expect(paragraphs).toHaveLength(2);
  });

  it('renders a long answer that arrives at once over several frames, the rest as text meanwhile', async () => {
    const text = longAnswer(10_000);
    const { container } = render(RenderedMarkdown, { text });
    const wrapper = container.querySelector('.markdown');
    // One slice of work in the first frame: some blocks, then the rest as plain text.
    expect(wrapper).toHaveClass('pending');
    const plain = [...(wrapper?.querySelectorAll('p.plain') ?? [])].map((p) => p.textContent);
    const squeezed = (s: string) => s.replace(/\s+/g, '');
    expect(plain.length).toBeGreaterThan(0);
    expect(squeezed(text).endsWith(squeezed(plain.join('')))).toBe(true);
    expect(wrapper?.querySelectorAll('h2').length).toBeLessThan(50);
    // Then the next frames render the rest.
    await waitFor(() => expect(wrapper).not.toHaveClass('pending'), { timeout: 60_000 });
    expect(wrapper?.querySelector('p.plain')).toBeNull();
    expect(wrapper?.querySelectorAll('h2')).toHaveLength(text.match(/^## /gm)?.length ?? 0);
  });

  it('copies a code block with its Copy button', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(RenderedMarkdown, { text: '```js\nconst a = 1;\n```' });
    const button = await screen.findByRole('button', { name: 'Copy code' });
    await fireEvent.click(button);
    expect(writeText).toHaveBeenCalledWith('const a = 1;\n');
    await waitFor(() => expect(button).toHaveTextContent('Copied'));
  });
});
