// hasPrefix / hasSuffix (model/prefix.ts) stand in for startsWith / endsWith
// where texts grow by appending (a streamed answer, the Markdown it renders):
// they must answer exactly as those do, whatever the strings and however
// they were built.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasPrefix, hasSuffix } from '../../src/lib/model/prefix';

/** A text built as a stream builds it: piece by piece, appended (a rope in V8). */
const appended = fc
  .array(fc.string({ unit: 'grapheme-composite' }), { maxLength: 30 })
  .map((pieces) => {
    let text = '';
    for (const p of pieces) text += p;
    return text;
  });

describe('hasPrefix and hasSuffix', () => {
  it('answer as startsWith and endsWith do, for any two texts', () => {
    fc.assert(
      fc.property(appended, appended, (text, other) => {
        expect(hasPrefix(text, other)).toBe(text.startsWith(other));
        expect(hasSuffix(text, other)).toBe(text.endsWith(other));
      }),
    );
  });

  it('find every beginning and end of an appended text, and nothing that differs by one character', () => {
    fc.assert(
      fc.property(appended, fc.nat(), (text, n) => {
        const cut = text.length === 0 ? 0 : n % (text.length + 1);
        expect(hasPrefix(text, text.slice(0, cut))).toBe(true);
        expect(hasSuffix(text, text.slice(cut))).toBe(true);
        if (cut > 0) {
          const head = text.slice(0, cut - 1) + String.fromCharCode(text.charCodeAt(cut - 1) ^ 1);
          expect(hasPrefix(text, head)).toBe(false);
        }
        if (cut < text.length) {
          const tail = String.fromCharCode(text.charCodeAt(cut) ^ 1) + text.slice(cut + 1);
          expect(hasSuffix(text, tail)).toBe(false);
        }
      }),
    );
  });

  it('say no to a longer text and yes to an empty one', () => {
    expect(hasPrefix('ab', 'abc')).toBe(false);
    expect(hasSuffix('bc', 'abc')).toBe(false);
    expect(hasPrefix('abc', '')).toBe(true);
    expect(hasSuffix('', '')).toBe(true);
  });
});
