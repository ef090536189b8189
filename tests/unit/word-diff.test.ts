import { describe, expect, it } from 'vitest';
import {
  collapseSame,
  countWords,
  diffStats,
  wordDiff,
  type DiffPart,
} from '../../src/lib/model/word-diff';

const oldText = (parts: DiffPart[]): string =>
  parts
    .filter((p) => p.kind !== 'added')
    .map((p) => p.text)
    .join('');
const newText = (parts: DiffPart[]): string =>
  parts
    .filter((p) => p.kind !== 'removed')
    .map((p) => p.text)
    .join('');
/** Only the parts that change words (whitespace-only changes left out). */
const wordChanges = (parts: DiffPart[]): DiffPart[] =>
  parts.filter((p) => p.kind !== 'same' && p.text.trim() !== '');

/** Rebuilds both texts, never has empty parts, and never two neighbours of one kind. */
function expectWellFormed(parts: DiffPart[], a: string, b: string): void {
  expect(oldText(parts)).toBe(a);
  expect(newText(parts)).toBe(b);
  for (const [i, part] of parts.entries()) {
    expect(part.text).not.toBe('');
    if (i > 0) expect(part.kind).not.toBe(parts[i - 1]?.kind);
  }
}

/** A small deterministic generator (LCG), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const VOCABULARY = [
  'the',
  'a',
  'model',
  'answer',
  'is',
  'not',
  'Paris',
  'x',
  '42',
  '3.14',
  ',',
  '.',
  '!',
  '(',
  ')',
  '"quoted"',
  "don't",
  '😀',
  '👍🏽',
  '👨‍👩‍👧',
  '東京',
  '日本語',
  'é',
  'naïve',
  '<img src=x>',
  '**bold**',
  '`code`',
  '\u0301',
];
const SPACES = [' ', ' ', ' ', '', '  ', '\n', '\n\n', '\t', ' \n ', '\u00a0'];

function generate(rnd: () => number, maxWords: number): string {
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const n = Math.floor(rnd() * maxWords);
  let text = rnd() < 0.2 ? pick(SPACES) : '';
  for (let i = 0; i < n; i++) text += pick(VOCABULARY) + pick(SPACES);
  return text;
}

/** Edits some words of `text`: replaces, deletes, inserts, or changes the spacing. */
function mutate(rnd: () => number, text: string): string {
  const pieces = text.split(/(\s+)/);
  const out: string[] = [];
  for (const piece of pieces) {
    const r = rnd();
    if (r < 0.08) continue;
    if (r < 0.16) out.push(VOCABULARY[Math.floor(rnd() * VOCABULARY.length)] ?? '');
    else if (r < 0.24) out.push(piece, ' inserted ');
    else if (r < 0.3 && /^\s+$/.test(piece)) out.push('\n');
    else out.push(piece);
  }
  return out.join('');
}

describe('wordDiff', () => {
  it('gives one same part for identical texts, and nothing for two empty ones', () => {
    const text = 'The capital of France is Paris.\n\nIt is on the Seine.';
    expect(wordDiff(text, text)).toEqual([{ kind: 'same', text }]);
    expect(wordDiff('', '')).toEqual([]);
  });

  it('gives one removal and one insertion for fully different texts', () => {
    const parts = wordDiff('foo bar baz', 'one two three');
    expect(parts).toEqual([
      { kind: 'removed', text: 'foo bar baz' },
      { kind: 'added', text: 'one two three' },
    ]);
  });

  it('handles one side empty', () => {
    expect(wordDiff('', 'new text')).toEqual([{ kind: 'added', text: 'new text' }]);
    expect(wordDiff('old text', '')).toEqual([{ kind: 'removed', text: 'old text' }]);
  });

  it('marks an inserted word and keeps the rest the same', () => {
    const parts = wordDiff('the cat sat on the mat', 'the big cat sat on the mat');
    expect(wordChanges(parts)).toEqual([{ kind: 'added', text: 'big ' }]);
    expectWellFormed(parts, 'the cat sat on the mat', 'the big cat sat on the mat');
  });

  it('marks a deleted run of words', () => {
    const a = 'Paris is, without any doubt, the capital of France.';
    const b = 'Paris is the capital of France.';
    const parts = wordDiff(a, b);
    expect(wordChanges(parts)).toEqual([{ kind: 'removed', text: ', without any doubt,' }]);
    expectWellFormed(parts, a, b);
  });

  it('replaces a changed word without the whitespace around it', () => {
    expect(wordDiff('the cat sat', 'the dog sat')).toEqual([
      { kind: 'same', text: 'the ' },
      { kind: 'removed', text: 'cat' },
      { kind: 'added', text: 'dog' },
      { kind: 'same', text: ' sat' },
    ]);
  });

  it('treats punctuation marks as words of their own', () => {
    expect(wordDiff('Hello, world!', 'Hello world.')).toEqual([
      { kind: 'same', text: 'Hello' },
      { kind: 'removed', text: ',' },
      { kind: 'same', text: ' world' },
      { kind: 'removed', text: '!' },
      { kind: 'added', text: '.' },
    ]);
  });

  it('never turns a whitespace-only change into a word change', () => {
    const a = 'One two three.\nFour  five six.';
    const b = 'One two\nthree. Four five six.  ';
    const parts = wordDiff(a, b);
    expect(wordChanges(parts)).toEqual([]);
    expect(parts.filter((p) => p.kind === 'same').map((p) => p.text.trim())).toEqual([
      'One two',
      'three.',
      'Four',
      'five six.',
    ]);
    expectWellFormed(parts, a, b);
    expect(diffStats(parts)).toEqual({ same: 6, added: 0, removed: 0, similarity: 100 });
  });

  it('does not align on the spaces between different words', () => {
    const parts = wordDiff('alpha beta gamma delta', 'one two three four');
    expect(parts.map((p) => p.kind)).toEqual(['removed', 'added']);
  });

  it('keeps emoji, including skin tones and ZWJ families, whole', () => {
    const parts = wordDiff('I like 👍🏻 and 😀 👨‍👩‍👧', 'I like 👍🏿 and 😃 👨‍👩‍👧');
    expect(wordChanges(parts)).toEqual([
      { kind: 'removed', text: '👍🏻' },
      { kind: 'added', text: '👍🏿' },
      { kind: 'removed', text: '😀' },
      { kind: 'added', text: '😃' },
    ]);
    expectWellFormed(parts, 'I like 👍🏻 and 😀 👨‍👩‍👧', 'I like 👍🏿 and 😃 👨‍👩‍👧');
  });

  it('diffs CJK text without spaces by word, not as one block', () => {
    const parts = wordDiff('我喜欢猫。', '我喜欢狗。');
    expect(parts).toEqual([
      { kind: 'same', text: '我喜欢' },
      { kind: 'removed', text: '猫' },
      { kind: 'added', text: '狗' },
      { kind: 'same', text: '。' },
    ]);
  });

  it('keeps accented words whole', () => {
    const parts = wordDiff('un café très naïve', 'un café très naive');
    expect(wordChanges(parts)).toEqual([
      { kind: 'removed', text: 'naïve' },
      { kind: 'added', text: 'naive' },
    ]);
  });

  it('rebuilds both texts from its parts for many generated pairs', () => {
    const rnd = random(20240607);
    for (let round = 0; round < 400; round++) {
      const a = generate(rnd, 40);
      const b = rnd() < 0.7 ? mutate(rnd, a) : generate(rnd, 40);
      expectWellFormed(wordDiff(a, b), a, b);
    }
  });

  it('rebuilds both texts of long, very different answers (the give-up path)', () => {
    const rnd = random(7);
    const words = (n: number) =>
      Array.from({ length: n }, () => `w${Math.floor(rnd() * 400)}`).join(rnd() < 0.5 ? ' ' : '\n');
    const a = `Intro line.\n${words(1500)}\nThe end.`;
    const b = `Intro line.\n${words(1500)}\nThe end.`;
    const parts = wordDiff(a, b);
    expectWellFormed(parts, a, b);
    // Too many edits to align: the common start and end, and the middle replaced whole.
    expect(parts.map((p) => p.kind)).toEqual(['same', 'removed', 'added', 'same']);
    expect(parts[0]).toEqual({ kind: 'same', text: 'Intro line.\n' });
    expect(parts.at(-1)).toEqual({ kind: 'same', text: '\nThe end.' });
  });
});

/** `n` distinct words: w1 w2 … wn. */
const run = (n: number, from = 1): string =>
  Array.from({ length: n }, (_, i) => `w${from + i}`).join(' ');

describe('collapseSame', () => {
  it('keeps short identical runs, at most 2 × context words', () => {
    const parts = wordDiff(`${run(6)} old ${run(6, 7)}`, `${run(6)} new ${run(6, 7)}`);
    expect(collapseSame(parts)).toEqual(parts);
    expect(collapseSame([])).toEqual([]);
  });

  it('cuts a long run in the middle to context words each side', () => {
    const a = `start ${run(10)} end`;
    const b = `START ${run(10)} END`;
    expect(collapseSame(wordDiff(a, b))).toEqual([
      { kind: 'removed', text: 'start' },
      { kind: 'added', text: 'START' },
      { kind: 'same', text: ' w1 w2 w3' },
      { kind: 'skipped', words: 4 },
      { kind: 'same', text: 'w8 w9 w10 ' },
      { kind: 'removed', text: 'end' },
      { kind: 'added', text: 'END' },
    ]);
  });

  it('keeps only the last context words of a run at the start', () => {
    expect(collapseSame(wordDiff(`${run(10)} old`, `${run(10)} new`), 2)).toEqual([
      { kind: 'skipped', words: 8 },
      { kind: 'same', text: 'w9 w10 ' },
      { kind: 'removed', text: 'old' },
      { kind: 'added', text: 'new' },
    ]);
  });

  it('keeps only the first context words of a run at the end', () => {
    expect(collapseSame(wordDiff(`old ${run(10)}`, `new ${run(10)}`))).toEqual([
      { kind: 'removed', text: 'old' },
      { kind: 'added', text: 'new' },
      { kind: 'same', text: ' w1 w2 w3' },
      { kind: 'skipped', words: 7 },
    ]);
  });

  it('collapses two identical texts to one marker', () => {
    expect(collapseSame(wordDiff(run(20), run(20)))).toEqual([{ kind: 'skipped', words: 20 }]);
  });

  it('treats whitespace-only changes as part of an identical run', () => {
    const a = `x ${run(5)}\n${run(5, 6)} y`;
    const b = `X ${run(5)} ${run(5, 6)} Y`;
    const shown = collapseSame(wordDiff(a, b));
    expect(shown).toEqual([
      { kind: 'removed', text: 'x' },
      { kind: 'added', text: 'X' },
      { kind: 'same', text: ' w1 w2 w3' },
      { kind: 'skipped', words: 4 },
      { kind: 'same', text: 'w8 w9 w10 ' },
      { kind: 'removed', text: 'y' },
      { kind: 'added', text: 'Y' },
    ]);
  });

  it('with context 0 leaves only markers for identical runs', () => {
    expect(collapseSame(wordDiff(`a ${run(3)} b`, `A ${run(3)} B`), 0)).toEqual([
      { kind: 'removed', text: 'a' },
      { kind: 'added', text: 'A' },
      { kind: 'skipped', words: 3 },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
    ]);
  });
});

describe('diffStats', () => {
  it('counts words per kind and the similarity', () => {
    const parts = wordDiff(
      'The quick brown fox jumps over the lazy dog',
      'The quick red fox leaps over the dog',
    );
    expect(diffStats(parts)).toEqual({ same: 6, added: 2, removed: 3, similarity: 67 });
  });

  it('is 100% for two empty texts and identical texts, 0% for nothing shared', () => {
    expect(diffStats(wordDiff('', ''))).toEqual({ same: 0, added: 0, removed: 0, similarity: 100 });
    expect(diffStats(wordDiff('a b c', 'a b c')).similarity).toBe(100);
    expect(diffStats(wordDiff('a b c', 'x y'))).toEqual({
      same: 0,
      added: 2,
      removed: 3,
      similarity: 0,
    });
    expect(diffStats(wordDiff('', 'x y')).similarity).toBe(0);
  });

  it('never rounds different texts up to 100% or shared words down to 0%', () => {
    const long = run(300);
    expect(diffStats(wordDiff(`${long} old`, `${long} new`)).similarity).toBe(99);
    expect(diffStats(wordDiff(`same ${run(300)}`, `same ${run(300, 400)}`)).similarity).toBe(1);
  });

  it('counts words as whitespace-separated tokens', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  \n ')).toBe(0);
    expect(countWords(' one two\nthree\t4 ')).toBe(4);
  });
});
