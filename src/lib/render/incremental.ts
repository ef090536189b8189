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
import { hasPrefix, hasSuffix } from '../model/prefix';
import { cacheGet, cacheSet } from './block-cache';
import { headingReach, mayHoldDefinition, OpenTitles, stretchStart } from './reach';
import { currentHighlighter, engineOrLoad, wantHighlighter, type Engine } from './load.svelte';
import { currentFrame, mayRender, renderedOne, requestFrame, SLICE_MS } from './slices.svelte';
import type { Highlighter } from './markdown';
import type { SafeHtml } from './sanitize';

/** One top-level block of a rendered document. */
export interface RenderedBlock {
  /** Stable while the block's source and position are unchanged; use as an {#each} key. */
  readonly key: string;
  /** Sanitized HTML of the block: what sanitize.ts made, TrustedHTML in a browser. */
  readonly html: SafeHtml;
}

/** Text shown as it is, as plain text (never as HTML), until it is rendered. */
export interface PlainBlock {
  /** Stable for the block's place in the text; use as an {#each} key. */
  readonly key: string;
  readonly text: string;
}

/** What a message shows: its rendered blocks, then the rest of its text as it is. */
export interface MarkdownView {
  /** Rendered blocks, in order. */
  readonly blocks: readonly RenderedBlock[];
  /**
   * The blocks after them, not rendered yet: all of the text while the
   * renderer loads, and for a frame or two what an update brought beyond one
   * slice of work (slices.svelte.ts). One per lexed block, and text not
   * lexed yet in pieces of about LEX_CHARS, so that as text streams in only
   * the last one changes.
   */
  readonly plain: readonly PlainBlock[];
}

/** One top-level token of the text and what it rendered to. */
interface Entry {
  readonly token: Token;
  /** Where the token starts in the text (line endings as marked sees them). */
  readonly start: number;
  /** The link definitions of the text up to and including this token. */
  readonly links: Links;
  /** Not the last block when lexed, so finished: worth sharing through the cache. */
  readonly finished: boolean;
  /** Not rendered yet. */
  pending: boolean;
  /** What it renders to; null for blank lines and link definitions. */
  block: RenderedBlock | null;
  /** Where its block is among the blocks shown, once shown. */
  blockIndex: number;
  /** It shows a code block without colours, because highlight.js had not loaded. */
  plainCode: boolean;
  /** Its block is in the shared cache. */
  cached: boolean;
}

const NO_LINKS: Links = Object.freeze(Object.create(null) as Links);

/**
 * New text lexed in one go. An answer that arrived at once (a fast server, a
 * message opened) is lexed a few thousand characters per frame; until then the
 * rest shows as it is. Lexing is not sliced by time as rendering is, so this
 * bounds it: 2,000 tokens of Markdown take ~15 ms to lex on a small machine.
 */
export const LEX_CHARS = 3000;

/**
 * Text grown by more than this in one update is lexed from the next frame on,
 * not in the update itself: the update (a fast stream's last one, say) is
 * painted first, its new text as it is. Streams of up to ~1,000 tokens a
 * second grow by less per drawn update (update-cadence.ts) and are rendered
 * as they come.
 */
const DEFER_CHARS = 400;

/** Catching up on blocks left while the text still streams: no more often than this. */
const CATCH_UP_WHILE_STREAMING_MS = 50;

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

/** The cache key of a token's block: the token itself, definitions resolved into it. */
const cacheKey = (index: number, coloured: boolean, token: Token) =>
  `${index}\u0000${coloured ? 'hl' : ''}\u0000${JSON.stringify(token)}`;

/**
 * Renders one message's Markdown as blocks, remembering the text it last saw:
 * when the new text extends it (an answer streaming in), only the open end is
 * lexed and rendered again. Any other change starts over, still reusing the
 * blocks that come out the same. Rendering new blocks takes at most a slice
 * of each task (the rest shows as plain text until the next frames). One
 * instance per message on screen.
 */
export class IncrementalMarkdown {
  #source = '';
  #text = '';
  #entries: Entry[] = [];
  /** The blocks of the entries before #shown, in order. */
  #blocks: RenderedBlock[] = [];
  /** Entries before this index are rendered and shown. */
  #shown = 0;
  /** Entries before this index are checked for code shown without colours. */
  #coloured = 0;
  #view: MarkdownView = { blocks: [], plain: [] };
  /** The text beyond #source, not lexed yet (shown as it is). */
  #rest = '';
  /** The text of the last call. */
  #seen = '';
  /** The last update was painted before being worked on: the next frame only paints. */
  #paintFirst = false;
  #links: Links = NO_LINKS;
  #engine: Engine | null = null;
  #highlighter: Highlighter | null = null;
  #titles = new OpenTitles();
  /** The tokens' sources add up to the text, so their offsets can be trusted. */
  #exact = true;
  readonly #budgetMs: number;
  readonly #lexChars: number;

  /** Characters handed to the lexer so far (the work grows linearly with the text). */
  lexedChars = 0;
  /** Characters of Markdown rendered (parsed, highlighted, sanitized) so far. */
  renderedChars = 0;

  /**
   * `budgetMs`: time for rendering blocks per task (Infinity: everything at
   * once, lexing too); `lexChars`: new text lexed per task.
   */
  constructor({
    budgetMs = SLICE_MS,
    lexChars = budgetMs === Infinity ? Infinity : LEX_CHARS,
  }: { budgetMs?: number; lexChars?: number } = {}) {
    this.#budgetMs = budgetMs;
    this.#lexChars = lexChars;
  }

  /** The part of `full` to lex now: what was lexed, and up to #lexChars more, to a line end. */
  #toLex(full: string): string {
    const base = hasPrefix(full, this.#source) ? this.#source.length : 0;
    if (full.length - base <= this.#lexChars) return full;
    const cut = full.indexOf('\n', base + this.#lexChars);
    return cut < 0 ? full : full.slice(0, cut + 1);
  }

  /**
   * What to show for `full`. The first call starts loading the renderer.
   * Reactive: in a $derived it runs again when the renderer or highlight.js
   * arrives, and at the next frame while blocks are left to render (while
   * `catchUp` is false, as for a streaming answer, a few frames later: the
   * stream's reading comes first).
   */
  render(full: string, { catchUp = true }: { catchUp?: boolean } = {}): MarkdownView {
    const engine = engineOrLoad();
    if (!engine) return { blocks: [], plain: full ? [{ key: 'all', text: full }] : [] };
    // New text is painted before it is worked on when there is much of it, or
    // work left from before (a stream's end, after it arrived faster than it
    // was rendered): the next frames lex and render it.
    // The frame after such an update paints it and does no work either.
    const backlog = this.#rest !== '' || this.#shown < this.#entries.length;
    const textChanged = full !== this.#seen;
    const deferred =
      textChanged &&
      this.#lexChars !== Infinity &&
      hasPrefix(full, this.#source) &&
      // While streaming (no catch-up frames) the updates do the work.
      ((catchUp && backlog) || full.length - this.#source.length > DEFER_CHARS);
    const defer = deferred || (!textChanged && this.#paintFirst);
    this.#paintFirst = deferred;
    this.#seen = full;
    let source = defer ? this.#source : this.#toLex(full);
    // Much new text is lexed on the frame's shared slice (slices.svelte.ts),
    // as blocks are rendered: when other messages used it up (compare panes
    // ending at once), this one waits for the next frame, shown as it is.
    const bigLex =
      this.#lexChars !== Infinity &&
      source.length - this.#source.length > DEFER_CHARS &&
      hasPrefix(source, this.#source);
    if (bigLex && !mayRender(this.#budgetMs)) source = this.#source;
    let changed = full.length - source.length !== this.#rest.length || !hasSuffix(full, this.#rest);
    this.#rest = full.slice(source.length);
    if (source !== this.#source || engine !== this.#engine) {
      const extends_ =
        engine === this.#engine &&
        this.#exact &&
        source.length >= this.#source.length &&
        !this.#source.endsWith('\r') && // a "\n" after it would make one line ending of two
        hasPrefix(source, this.#source);
      const text = extends_
        ? this.#text + normalize(source.slice(this.#source.length))
        : normalize(source);
      if (!extends_) this.#titles.reset();
      const from = extends_ ? this.#restartIndex() : 0;
      this.#text = text;
      this.#lex(engine, text, from);
      if (bigLex) renderedOne();
      this.#source = source;
      this.#engine = engine;
      changed = true;
    }
    const highlighter = currentHighlighter();
    // A new highlighter (more languages came): code shown plain is looked at again.
    if (highlighter !== this.#highlighter && this.#highlighter !== null) this.#coloured = 0;
    this.#highlighter = highlighter;
    // With text still to lex, the blocks it may change are not final: they wait.
    const final = this.#rest === '' ? Infinity : this.#restartIndex();
    if (!defer) changed = this.#work(engine, final) || changed;
    if (changed) this.#view = { blocks: this.#blocks.slice(), plain: this.#plain() };
    if (
      this.#rest !== '' ||
      this.#shown < this.#entries.length ||
      (this.#highlighter && this.#coloured < this.#shown)
    ) {
      currentFrame(); // runs again at the next frame (while streaming, a few frames on)
      requestFrame(catchUp ? 0 : CATCH_UP_WHILE_STREAMING_MS);
    }
    return this.#view;
  }

  /** The tokens not shown yet, and the text not lexed yet, as they are. */
  #plain(): PlainBlock[] {
    const plain: PlainBlock[] = [];
    for (let i = this.#shown; i < this.#entries.length; i++) {
      const token = this.#entries[i]?.token;
      if (token && token.type !== 'space') plain.push({ key: `${i}`, text: token.raw });
    }
    // Not lexed: in the pieces the next frames will lex, one each (#toLex cuts
    // them the same way), so that as lexing catches up the pieces after keep
    // their DOM. A fast stream's end brings thousands of characters at once: a
    // few elements, not one per paragraph, are made for them in the end's task.
    const rest = this.#rest;
    const base = this.#source.length;
    for (let at = 0; at < rest.length;) {
      const cut = rest.indexOf('\n', at + this.#lexChars);
      const end = cut < 0 ? rest.length : cut + 1;
      const text = rest.slice(at, end);
      if (text.trim() !== '') plain.push({ key: `rest-${base + at}`, text });
      at = end;
    }
    return plain;
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

  /** Lexes `text` from token `from` on; tokens that did not come out the same wait to be rendered. */
  #lex(engine: Engine, text: string, from: number): void {
    const entries = this.#entries;
    const start = entries[from]?.start ?? 0;
    const tokens = engine.lex(flatCopy(text.slice(start)), entries[from - 1]?.links ?? NO_LINKS);
    this.lexedChars += text.length - start;
    if (tokens.reduce((sum, token) => sum + token.raw.length, 0) !== text.length - start) {
      // Not seen with marked 18; if a token ever drops or adds characters,
      // offsets are unreliable: lex the whole text, every time, to stay exact.
      if (from > 0) return this.#lex(engine, text, 0);
      this.#exact = false;
    } else this.#exact = true;

    // Blocks resolve `[text][label]` against the definitions of the whole
    // text. When those change, every block that may use one is lexed again.
    // (A definition streams in a few updates; most answers have none.)
    if (!sameLinks(tokens.links, this.#links)) {
      const first = entries.findIndex((entry, i) => i < from && entry.token.raw.includes('['));
      if (first !== -1) return this.#lex(engine, text, first);
      this.#links = tokens.links;
    }

    const previousTail = entries.splice(from);
    if (this.#shown > from) {
      this.#blocks.length = previousTail[0]?.blockIndex ?? this.#blocks.length;
      this.#shown = from;
    }
    this.#coloured = Math.min(this.#coloured, from);
    let lastBlock = tokens.length - 1;
    while (lastBlock >= 0 && tokens[lastBlock]?.type === 'space') lastBlock--;
    let offset = start;
    tokens.forEach((token, i) => {
      const previous = previousTail[i];
      // With the definitions resolved into it, an equal token renders the same.
      const same = previous !== undefined && !previous.pending && sameToken(previous.token, token);
      const entry: Entry = {
        token: same ? previous.token : token,
        start: offset,
        links: withDefinitions(entries.at(-1)?.links ?? NO_LINKS, token),
        finished: i < lastBlock,
        pending: !same,
        block: same ? previous.block : null,
        blockIndex: -1,
        plainCode: same ? previous.plainCode : false,
        cached: same ? previous.cached : false,
      };
      // A block that was the open last one when rendered is finished now: share it.
      if (same && entry.finished && entry.block && !entry.cached) {
        cacheSet(cacheKey(from + i, !entry.plainCode, token), {
          block: entry.block,
          plainCode: entry.plainCode,
        });
        entry.cached = true;
      }
      entries.push(entry);
      offset += token.raw.length;
    });
  }

  /**
   * Renders waiting blocks before `final` in order, then colours code shown
   * plain before highlight.js came, as far as this task's slice goes. Returns
   * whether the blocks shown changed.
   */
  #work(engine: Engine, final: number): boolean {
    const entries = this.#entries;
    const highlighter = this.#highlighter;
    let changed = false;
    let wanted = false;
    for (
      let entry = entries[this.#shown];
      entry && this.#shown < final;
      entry = entries[this.#shown]
    ) {
      if (entry.pending && !this.#renderEntry(engine, entry, this.#shown)) break;
      wanted ||= entry.plainCode;
      entry.blockIndex = this.#blocks.length;
      if (entry.block) this.#blocks.push(entry.block);
      this.#shown++;
      changed = true;
    }
    for (
      let entry = entries[this.#coloured];
      highlighter && entry && this.#coloured < this.#shown;
      entry = entries[this.#coloured]
    ) {
      if (entry.plainCode) {
        const plain = entry.block;
        if (!this.#renderEntry(engine, entry, this.#coloured)) break;
        // Same HTML (a language highlight.js does not know): keep the block and its DOM.
        // (Each render signs a new TrustedHTML, so the text is what is compared.)
        if (entry.block && plain && String(entry.block.html) === String(plain.html)) {
          entry.block = plain;
        } else if (entry.block) {
          this.#blocks[entry.blockIndex] = entry.block;
          changed = true;
        }
      }
      this.#coloured++;
    }
    if (wanted && !highlighter) wantHighlighter();
    return changed;
  }

  /**
   * Renders an entry's token, unless the slice of this task is used up (then
   * returns false). Blank lines, definitions and cached blocks cost nothing.
   */
  #renderEntry(engine: Engine, entry: Entry, index: number): boolean {
    const { token } = entry;
    const highlighter = this.#highlighter;
    entry.cached = false;
    if (token.type === 'space' || token.type === 'def') {
      entry.block = null;
      entry.plainCode = false;
    } else {
      // The open last block is new text every update: no use looking it up.
      const hit = entry.finished ? cacheGet(cacheKey(index, !!highlighter, token)) : undefined;
      if (hit) {
        entry.block = hit.block;
        entry.plainCode = hit.plainCode;
        entry.cached = true;
      } else {
        if (!mayRender(this.#budgetMs)) return false;
        const { html, wantedHighlighter } = engine.renderTokens([token], highlighter);
        renderedOne();
        this.renderedChars += token.raw.length;
        // Frozen: a block may be shared through the cache by several messages.
        // (A TrustedHTML is an object, truthy even when empty: its text decides.)
        entry.block =
          String(html) !== '' ? Object.freeze({ key: `${index}-${hash(token.raw)}`, html }) : null;
        entry.plainCode = wantedHighlighter;
        if (entry.finished && entry.block) {
          cacheSet(cacheKey(index, !wantedHighlighter, token), {
            block: entry.block,
            plainCode: wantedHighlighter,
          });
          entry.cached = true;
        }
      }
    }
    entry.pending = false;
    return true;
  }
}
