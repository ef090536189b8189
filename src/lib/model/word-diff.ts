// Word-level diff of two answers, for compare mode. Pure: no DOM, no framework.
//
// The algorithm is jsdiff's (Myers) over word tokens; whitespace is not part of a
// token, so a reflowed line or a doubled space never turns a common word into a
// change. Whitespace is still kept exactly, so the parts always rebuild both texts:
// same + removed texts, in order, give back `a`; same + added texts give back `b`.
// A whitespace-only difference between two common words is therefore a removed/added
// pair of pure whitespace: it counts as no word, and a view can show it as plain space.
//
// Import this module lazily in the browser: it pulls in `diff`.
import { diffArrays } from 'diff';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A run of identical words left out by {@link collapseSame}. */
export interface SkippedPart {
  kind: 'skipped';
  words: number;
}

export type ShownPart = DiffPart | SkippedPart;

export interface DiffStats {
  /** Words (whitespace-separated tokens) in the same, added and removed parts. */
  same: number;
  added: number;
  removed: number;
  /** same / (same + max(added, removed)) as a whole percentage; 100 for two empty texts. */
  similarity: number;
}

/**
 * Beyond this many edits the texts are too different for a word alignment to help, and
 * the search would get slow: the differing middle is then shown as one removal and one
 * insertion.
 */
const MAX_EDITS = 1000;

interface Token {
  /** A word, a number, a punctuation mark or an emoji: never whitespace. */
  word: string;
  /** The whitespace that follows it in its text (possibly ''). */
  space: string;
}

interface Tokens {
  /** Whitespace before the first token. */
  lead: string;
  tokens: Token[];
}

const WHITESPACE = /^\s+$/;

let segmenter: Intl.Segmenter | null | undefined;

function segments(text: string): string[] {
  if (segmenter === undefined) {
    segmenter =
      typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function'
        ? new Intl.Segmenter(undefined, { granularity: 'word' })
        : null;
  }
  if (segmenter) return Array.from(segmenter.segment(text), (s) => s.segment);
  // Without Intl.Segmenter: letter/number runs, one token per CJK character, any other
  // non-space code point alone.
  return (
    text.match(
      /\s+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{M}\p{N}_]+|\S/gu,
    ) ?? []
  );
}

function tokenize(text: string): Tokens {
  let lead = '';
  const tokens: Token[] = [];
  for (const segment of segments(text)) {
    if (WHITESPACE.test(segment)) {
      const last = tokens[tokens.length - 1];
      if (last) last.space += segment;
      else lead += segment;
    } else {
      tokens.push({ word: segment, space: '' });
    }
  }
  return { lead, tokens };
}

const joinTokens = (tokens: Token[]): string => tokens.map((t) => t.word + t.space).join('');

const isBlank = (text: string): boolean => text === '' || WHITESPACE.test(text);

/** Number of whitespace-separated tokens in a text. */
export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** Builds the parts, merging neighbours of one kind; in a change, removed comes first. */
class PartList {
  readonly parts: DiffPart[] = [];
  private removed = '';
  private added = '';

  same(text: string): void {
    if (!text) return;
    this.flush();
    this.push('same', text);
  }

  change(removed: string, added: string): void {
    if (removed === added) return this.same(removed);
    this.removed += removed;
    this.added += added;
  }

  flush(): void {
    let { removed, added } = this;
    this.removed = this.added = '';
    if (!removed && !added) return;
    if (removed && added) {
      // Whitespace on the same edge of both sides is common, not changed.
      const head = commonPrefix(leadingSpace(removed), leadingSpace(added));
      const tail = commonSuffix(
        trailingSpace(removed.slice(head.length)),
        trailingSpace(added.slice(head.length)),
      );
      removed = removed.slice(head.length, removed.length - tail.length);
      added = added.slice(head.length, added.length - tail.length);
      this.push('same', head);
      this.push('removed', removed);
      this.push('added', added);
      this.push('same', tail);
    } else {
      this.push('removed', removed);
      this.push('added', added);
    }
  }

  private push(kind: DiffPart['kind'], text: string): void {
    if (!text) return;
    const last = this.parts[this.parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else this.parts.push({ kind, text });
  }
}

const leadingSpace = (text: string): string => /^\s*/.exec(text)?.[0] ?? '';
const trailingSpace = (text: string): string => {
  let i = text.length;
  while (i > 0 && /\s/.test(text[i - 1] ?? '')) i--;
  return text.slice(i);
};

function commonPrefix(x: string, y: string): string {
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i);
}

function commonSuffix(x: string, y: string): string {
  let i = 0;
  while (i < x.length && i < y.length && x[x.length - 1 - i] === y[y.length - 1 - i]) i++;
  return x.slice(x.length - i);
}

/** Common words, each followed by its whitespace in `a` and in `b`. */
function emitCommon(out: PartList, fromA: Token[], fromB: Token[]): void {
  fromA.forEach((tokenA, i) => {
    const tokenB = fromB[i] ?? tokenA;
    out.same(tokenA.word);
    out.change(tokenA.space, tokenB.space);
  });
}

/**
 * Word-level diff of `a` → `b`. Words, numbers, punctuation marks and emoji are the
 * units; whitespace is carried along exactly but never aligned on.
 */
export function wordDiff(a: string, b: string): DiffPart[] {
  const ta = tokenize(a);
  const tb = tokenize(b);
  const out = new PartList();
  out.change(ta.lead, tb.lead);

  const wordsA = ta.tokens.map((t) => t.word);
  const wordsB = tb.tokens.map((t) => t.word);
  const changes = diffArrays(wordsA, wordsB, { maxEditLength: MAX_EDITS });
  if (changes) {
    let i = 0;
    let j = 0;
    for (const change of changes) {
      const n = change.count;
      if (change.removed) {
        out.change(joinTokens(ta.tokens.slice(i, i + n)), '');
        i += n;
      } else if (change.added) {
        out.change('', joinTokens(tb.tokens.slice(j, j + n)));
        j += n;
      } else {
        emitCommon(out, ta.tokens.slice(i, i + n), tb.tokens.slice(j, j + n));
        i += n;
        j += n;
      }
    }
  } else {
    // Too many edits: keep the common start and end, and replace the middle wholesale.
    let start = 0;
    while (start < wordsA.length && start < wordsB.length && wordsA[start] === wordsB[start]) {
      start++;
    }
    let end = 0;
    while (
      end < wordsA.length - start &&
      end < wordsB.length - start &&
      wordsA[wordsA.length - 1 - end] === wordsB[wordsB.length - 1 - end]
    ) {
      end++;
    }
    emitCommon(out, ta.tokens.slice(0, start), tb.tokens.slice(0, start));
    out.change(
      joinTokens(ta.tokens.slice(start, ta.tokens.length - end)),
      joinTokens(tb.tokens.slice(start, tb.tokens.length - end)),
    );
    emitCommon(
      out,
      ta.tokens.slice(ta.tokens.length - end),
      tb.tokens.slice(tb.tokens.length - end),
    );
  }
  out.flush();
  return out.parts;
}

/** Whether a part reads as unchanged: a same part, or a change of whitespace only. */
export function isUnchanged(part: DiffPart): boolean {
  return part.kind === 'same' || isBlank(part.text);
}

const countSameWords = (parts: DiffPart[]): number =>
  parts.reduce((sum, part) => sum + (part.kind === 'same' ? countWords(part.text) : 0), 0);

/**
 * Cuts `parts` (all unchanged) so that the first `count` words go to the head: at the end
 * of that word when `edge` is 'end', else at the start of word `count` (0-based).
 */
function cutAtWord(
  parts: DiffPart[],
  count: number,
  edge: 'start' | 'end',
): [DiffPart[], DiffPart[]] {
  let seen = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (!part || part.kind !== 'same') continue;
    for (const match of part.text.matchAll(/\S+/g)) {
      const index = match.index;
      if (edge === 'start' && seen === count) {
        return splitPart(parts, p, index);
      }
      seen++;
      if (edge === 'end' && seen === count) {
        return splitPart(parts, p, index + match[0].length);
      }
    }
  }
  return [parts, []];
}

function splitPart(parts: DiffPart[], p: number, at: number): [DiffPart[], DiffPart[]] {
  const part = parts[p] as DiffPart;
  const head = parts.slice(0, p);
  const tail = parts.slice(p + 1);
  if (at > 0) head.push({ kind: part.kind, text: part.text.slice(0, at) });
  if (at < part.text.length) tail.unshift({ kind: part.kind, text: part.text.slice(at) });
  return [head, tail];
}

/**
 * For "hide identical runs": every run of unchanged parts (same text, and whitespace-only
 * changes inside it) longer than `2 * context` words keeps only its first `context` and
 * last `context` words around a `{ kind: 'skipped', words }` marker. A run at the very
 * start keeps only its last `context` words, one at the very end only its first `context`.
 * Words are whitespace-separated tokens.
 */
export function collapseSame(parts: DiffPart[], context = 3): ShownPart[] {
  const keep = Math.max(0, Math.floor(context));
  const result: ShownPart[] = [];
  let p = 0;
  while (p < parts.length) {
    const first = parts[p] as DiffPart;
    if (first.kind !== 'same' && !isBlank(first.text)) {
      result.push(first);
      p++;
      continue;
    }
    let q = p;
    while (q < parts.length && isUnchanged(parts[q] as DiffPart)) q++;
    const run = parts.slice(p, q);
    const atStart = p === 0;
    const atEnd = q === parts.length;
    p = q;
    const words = countSameWords(run);
    if (words <= 2 * keep || !run.some((part) => part.kind === 'same')) {
      result.push(...run);
      continue;
    }
    const headWords = atStart ? 0 : keep;
    const tailWords = atEnd ? 0 : keep;
    const [head, rest] = headWords > 0 ? cutAtWord(run, headWords, 'end') : [[], run];
    const tail = tailWords > 0 ? cutAtWord(rest, countSameWords(rest) - tailWords, 'start')[1] : [];
    result.push(...head, { kind: 'skipped', words: words - headWords - tailWords }, ...tail);
  }
  return result;
}

/** Words same, added and removed, and how similar the two texts are. */
export function diffStats(parts: readonly DiffPart[]): DiffStats {
  let same = 0;
  let added = 0;
  let removed = 0;
  for (const part of parts) {
    const words = countWords(part.text);
    if (part.kind === 'same') same += words;
    else if (part.kind === 'added') added += words;
    else removed += words;
  }
  const changed = Math.max(added, removed);
  let similarity = same + changed === 0 ? 100 : Math.round((100 * same) / (same + changed));
  // Rounding must not claim "100% the same" for different texts, nor 0% for shared words.
  if (changed > 0) similarity = Math.min(similarity, 99);
  if (same > 0) similarity = Math.max(similarity, 1);
  return { same, added, removed, similarity };
}
