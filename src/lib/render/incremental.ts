// Markdown that grows. While an answer streams, each update lexes and renders
// only the open end of the text: finished blocks keep their key, their HTML
// (the same object) and so, in RenderedMarkdown, their DOM. The joined blocks
// are always exactly renderMarkdown() of the whole text.
//
// marked lexes top-level blocks left to right, and most blocks are decided by
// their own lines and the line or two after them. So when text is appended,
// lexing again from the start of the second-to-last block, and of the block
// holding the line two above the last one, gives what lexing the whole text
// would: the last block is still open, and it may still merge into the one
// before (`x` then `-` after a paragraph may start a table). Setext headings
// and link reference definitions reach further back: reach.ts says how far.
// And a definition changes how earlier blocks render (`[text][label]`): the
// definitions are collected as blocks are lexed, and when they change, lexing
// restarts from the first block holding a `[`. Blocks that come out the same
// keep their block object.

import type { Links, Token, Tokens } from 'marked';
import { cacheGet, cacheSet } from './block-cache';
import { headingReach, mayHoldDefinition, OpenTitles, stretchStart } from './reach';
import { currentHighlighter, engineOrLoad, wantHighlighter, type Engine } from './load.svelte';
import type { Highlighter } from './markdown';

/** One top-level block of a rendered document. */
export interface RenderedBlock {
  /** Stable while the block's source and position are unchanged; use as an {#each} key. */
  readonly key: string;
  /** Sanitized HTML of the block. */
  readonly html: string;
}

/** One top-level token of the text and what it rendered to. */
interface Entry {
  readonly token: Token;
  /** Where the token starts in the text (line endings as marked sees them). */
  readonly start: number;
  /** What it renders to; null for blank lines and link definitions. */
  readonly block: RenderedBlock | null;
  /** How many blocks come before it. */
  readonly blockIndex: number;
  /** It shows a code block without colours, because highlight.js had not loaded. */
  readonly plainCode: boolean;
  /** The link definitions of the text up to and including this token. */
  readonly links: Links;
  /** Its block is in the shared cache. */
  cached: boolean;
}

const NO_LINKS: Links = Object.freeze(Object.create(null) as Links);

/**
 * A string of its own. Tokens keep slices of the text they were lexed from,
 * and V8 keeps a slice's whole parent alive: lexing a slice of the full text
 * would keep a copy of the whole answer, as it was then, for each update.
 */
const flatCopy = (text: string) => ` ${text}`.slice(1);

/** Line endings as marked normalizes them. */
const normalize = (text: string) => text.replace(/\r\n?/g, '\n');

/** FNV-1a, 32 bit: a short, cheap fingerprint of a block's source for its key. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** The definitions a token registers, in document order (lists and quotes may hold some). */
function definitionsIn(token: Token, found: Tokens.Def[] = []): Tokens.Def[] {
  if (token.type === 'def') found.push(token as Tokens.Def);
  else if (token.raw.includes(']:')) {
    const children = (token as { items?: Token[] }).items ?? (token as { tokens?: Token[] }).tokens;
    for (const child of children ?? []) definitionsIn(child, found);
  }
  return found;
}

/** `links` plus the token's definitions; as marked does, the first definition of a label wins. */
function withDefinitions(links: Links, token: Token): Links {
  const defs = definitionsIn(token).filter((def) => !(def.tag in links));
  if (defs.length === 0) return links;
  const next = Object.assign(Object.create(null) as Links, links);
  for (const def of defs) next[def.tag] ??= { href: def.href, title: def.title };
  return next;
}

function sameLinks(a: Links, b: Links): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => b[k]?.href === a[k]?.href && b[k]?.title === a[k]?.title);
}

const isSpace = (entry: Entry | undefined) => entry?.token.type === 'space';

/**
 * Whether `token` is the entry's token again. The same source is not enough: a
 * line may join a paragraph as its text or as an indented code block merged
 * into it, depending on what came after, and render differently.
 */
function sameToken(a: Token, b: Token): boolean {
  return a.raw === b.raw && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Renders one message's Markdown as blocks, remembering the text it last saw:
 * when the new text extends it (an answer streaming in), only the open end is
 * lexed and rendered again. Any other change starts over, still reusing the
 * blocks whose source is unchanged. One instance per message on screen.
 */
export class IncrementalMarkdown {
  #source = '';
  #text = '';
  #entries: Entry[] = [];
  #blocks: readonly RenderedBlock[] = [];
  #links: Links = NO_LINKS;
  #engine: Engine | null = null;
  #highlighter: Highlighter | null = null;
  #titles = new OpenTitles();
  /** The tokens' sources add up to the text, so their offsets can be trusted. */
  #exact = true;

  /** Characters handed to the lexer so far (the work grows linearly with the text). */
  lexedChars = 0;
  /** Characters of Markdown rendered (parsed, highlighted, sanitized) so far. */
  renderedChars = 0;

  /**
   * The blocks of `source`, or null while the renderer is still loading (the
   * first call starts the load; the caller shows the plain text meanwhile).
   * Reactive: in a $derived it runs again when the renderer or highlight.js
   * arrives.
   */
  render(source: string): readonly RenderedBlock[] | null {
    const engine = engineOrLoad();
    if (!engine) return null;
    const highlighter = currentHighlighter();
    if (source === this.#source && engine === this.#engine && highlighter === this.#highlighter) {
      return this.#blocks;
    }
    const extends_ =
      engine === this.#engine &&
      this.#exact &&
      source.length >= this.#source.length &&
      !this.#source.endsWith('\r') && // a "\n" after it would make one line ending of two
      source.startsWith(this.#source);
    const text = extends_
      ? this.#text + normalize(source.slice(this.#source.length))
      : normalize(source);
    if (!extends_) this.#titles.reset();
    this.#update(engine, highlighter, text, extends_ ? this.#restartIndex() : 0);
    this.#source = source;
    this.#text = text;
    this.#engine = engine;
    this.#highlighter = highlighter;
    return this.#blocks;
  }

  /** The first token that appended text may change (see the top of this file). */
  #restartIndex(): number {
    const entries = this.#entries;
    let last = entries.length - 1;
    while (last >= 0 && isSpace(entries[last])) last--;
    if (last < 0) return 0;
    let from = last - 1;
    while (from >= 0 && isSpace(entries[from])) from--;
    if (from < 0) from = last;
    // A block ends where the next line or two say so (a line then a `-` line
    // may start a table), so the block holding the line two above the last,
    // unfinished one may still change; so may blocks further up (reach.ts).
    const text = this.#text;
    const lastLine = text.lastIndexOf('\n');
    const lineBefore = lastLine > 0 ? text.lastIndexOf('\n', lastLine - 1) : -1;
    const twoAbove = lineBefore > 0 ? text.lastIndexOf('\n', lineBefore - 1) + 1 : 0;
    const stretch = stretchStart(text, text.length);
    let reach = Math.min(twoAbove, headingReach(text, stretch));
    if (mayHoldDefinition(text, stretch)) reach = Math.min(reach, stretch);
    const openTitle = this.#titles.openFrom(text);
    if (openTitle !== -1) reach = Math.min(reach, openTitle);
    while (from > 0 && (entries[from]?.start ?? 0) > reach) from--;
    return from;
  }

  /** Lexes `text` from token `from` on and renders what changed. */
  #update(engine: Engine, highlighter: Highlighter | null, text: string, from: number): void {
    const entries = this.#entries;
    const start = entries[from]?.start ?? 0;
    const tokens = engine.lex(flatCopy(text.slice(start)), entries[from - 1]?.links ?? NO_LINKS);
    this.lexedChars += text.length - start;
    if (tokens.reduce((sum, token) => sum + token.raw.length, 0) !== text.length - start) {
      // Not seen with marked 18; if a token ever drops or adds characters,
      // offsets are unreliable: lex the whole text, every time, to stay exact.
      if (from > 0) return this.#update(engine, highlighter, text, 0);
      this.#exact = false;
    } else this.#exact = true;

    // Blocks resolve `[text][label]` against the definitions of the whole
    // text. When those change, every block that may use one is lexed again.
    // (A definition streams in a few updates; most answers have none.)
    if (!sameLinks(tokens.links, this.#links)) {
      const first = entries.findIndex((entry, i) => i < from && entry.token.raw.includes('['));
      if (first !== -1) return this.#update(engine, highlighter, text, first);
      this.#links = tokens.links;
    }

    const previousTail = entries.splice(from);
    const kept = entries;
    const recoloured = highlighter !== this.#highlighter && this.#recolour(engine, highlighter);
    let wanted = false;
    let offset = start;
    let lastBlock = tokens.length - 1;
    while (lastBlock >= 0 && tokens[lastBlock]?.type === 'space') lastBlock--;
    tokens.forEach((token, i) => {
      const index = from + i;
      const before = kept.at(-1);
      const previous = previousTail[i];
      // With the definitions resolved into it, an equal token renders the same.
      const reusable =
        previous !== undefined &&
        sameToken(previous.token, token) &&
        !(previous.plainCode && highlighter);
      // The open last block is new text every update: no use looking it up.
      const { block, plainCode, cached } = reusable
        ? previous
        : this.#renderToken(engine, highlighter, token, index, i < lastBlock);
      wanted ||= plainCode;
      const entry: Entry = {
        token: reusable ? previous.token : token,
        start: offset,
        block,
        blockIndex: before ? before.blockIndex + (before.block ? 1 : 0) : 0,
        plainCode,
        links: withDefinitions(before?.links ?? NO_LINKS, token),
        cached,
      };
      // Only a finished block is worth sharing; the open one changes every update.
      if (!entry.cached && i < lastBlock && entry.block) {
        cacheSet(this.#cacheKey(index, highlighter, token), { block: entry.block, plainCode });
        entry.cached = true;
      }
      kept.push(entry);
      offset += token.raw.length;
    });
    if (wanted && !highlighter) wantHighlighter();
    this.#blocks = this.#collectBlocks(recoloured ? 0 : from);
  }

  /**
   * highlight.js has arrived: renders again the kept blocks that showed code
   * plain. Returns whether any block changed.
   */
  #recolour(engine: Engine, highlighter: Highlighter | null): boolean {
    if (!highlighter) return false;
    let changed = false;
    this.#entries.forEach((entry, i) => {
      if (!entry.plainCode) return;
      const rendered = this.#renderToken(engine, highlighter, entry.token, i, true);
      // Same HTML (a language highlight.js does not know): keep the block and its DOM.
      const block = rendered.block?.html === entry.block?.html ? entry.block : rendered.block;
      changed ||= block !== entry.block;
      this.#entries[i] = { ...entry, block, plainCode: false, cached: rendered.cached };
    });
    return changed;
  }

  /** The token itself (definitions resolved into it), so that equal keys render the same. */
  #cacheKey(index: number, highlighter: Highlighter | null, token: Token): string {
    return `${index}\u0000${highlighter ? 'hl' : ''}\u0000${JSON.stringify(token)}`;
  }

  #renderToken(
    engine: Engine,
    highlighter: Highlighter | null,
    token: Token,
    index: number,
    lookUp: boolean,
  ): { block: RenderedBlock | null; plainCode: boolean; cached: boolean } {
    // Blank lines and link definitions render to nothing.
    if (token.type === 'space' || token.type === 'def') {
      return { block: null, plainCode: false, cached: false };
    }
    const hit = lookUp ? cacheGet(this.#cacheKey(index, highlighter, token)) : undefined;
    if (hit) return { ...hit, cached: true };
    const { html, wantedHighlighter } = engine.renderTokens([token], highlighter);
    this.renderedChars += token.raw.length;
    // Frozen: a block may be shared through the cache by several messages.
    const block = html ? Object.freeze({ key: `${index}-${hash(token.raw)}`, html }) : null;
    return { block, plainCode: wantedHighlighter, cached: false };
  }

  /** The blocks of all entries, reusing the previous list up to entry `from`. */
  #collectBlocks(from: number): readonly RenderedBlock[] {
    const entries = this.#entries;
    const first = entries[from];
    const blocks = this.#blocks.slice(0, first ? first.blockIndex : 0);
    for (let i = first ? from : entries.length; i < entries.length; i++) {
      const block = entries[i]?.block;
      if (block) blocks.push(block);
    }
    return blocks;
  }
}
