// The JSON toolkit: guards for untrusted values, the path-reporting reader,
// syntax errors at line:column in words, and the one pretty-printer.

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  Fields,
  isCount,
  isObject,
  kindOf,
  lineColumn,
  own,
  parseJson,
  parseJsonObject,
  prettyJson,
  sameJson,
  ShapeError,
  withItemAppended,
} from '../../src/lib/model/json';
import { firstJsonSyntaxError, parseJsonTree } from '../../src/lib/model/json/syntax';

describe('guards', () => {
  it('isObject accepts plain objects only', () => {
    expect(isObject({})).toBe(true);
    expect(isObject([])).toBe(false);
    expect(isObject(null)).toBe(false);
    expect(isObject('x')).toBe(false);
  });

  it('own ignores what a tampered prototype provides', () => {
    const o = Object.create({ id: 'inherited' }) as Record<string, unknown>;
    o.name = 'mine';
    expect(own(o, 'name')).toBe('mine');
    expect(own(o, 'id')).toBeUndefined();
  });

  it('isCount takes non-negative safe integers', () => {
    expect([0, 3, Number.MAX_SAFE_INTEGER].every(isCount)).toBe(true);
    expect([-1, 1.5, NaN, Infinity, 2 ** 53, '3'].some(isCount)).toBe(false);
  });

  it('kindOf names a value for messages', () => {
    expect([null, [], {}, 'x', 1, true].map(kindOf)).toEqual([
      'null',
      'an array',
      'an object',
      'a string',
      'a number',
      'a boolean',
    ]);
  });

  it('sameJson ignores key order but not arrays versus objects', () => {
    expect(sameJson({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(sameJson({ 0: 'x' }, ['x'])).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });
});

describe('Fields', () => {
  it('names the path of the first wrong field', () => {
    const f = Fields.of({ usage: { total: -1 } }, 'messages[3]');
    const usage = Fields.of(f.get('usage'), f.at('usage'));
    expect(() => usage.count('total')).toThrow(
      new ShapeError('messages[3].usage.total: expected a non-negative integer'),
    );
    expect(() => Fields.of([], 'messages[0]')).toThrow('messages[0]: expected an object');
  });

  it('treats absent optional fields as undefined and falls back where asked', () => {
    const f = Fields.of({ name: 'a' }, '');
    expect(f.optStr('title')).toBeUndefined();
    expect(f.str('title', 'untitled')).toBe('untitled');
    expect(f.bool('stream', true)).toBe(true);
    expect(() => f.str('id')).toThrow('id: expected a string');
  });
});

describe('syntax errors', () => {
  it.each(['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\"\\u00e9"]} ', '0', '"s"'])(
    'finds no error in valid JSON %j',
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(firstJsonSyntaxError(text)).toBeNull();
    },
  );

  it.each([
    ['', 0, 'Unexpected end of text: expected a value.'],
    ['{', 0, 'Unexpected end of text: expected } to close the object.'],
    ['{} x', 3, 'Unexpected "x": expected a value'],
    ['[1 2]', 3, 'Expected a comma (,) before this.'],
    ['"a\nb"', 0, 'Unterminated string: add the closing double quote.'],
    ['"\\x"', 0, 'Invalid escape in a string'],
    ['-', 0, 'Unexpected "-": expected a value'],
    ['{"a": 1,}', 7, 'Trailing comma: remove the comma before }.'],
  ])('places the error in %j at offset %i and says why', (text, from, message) => {
    expect(() => JSON.parse(text)).toThrow();
    const error = firstJsonSyntaxError(text);
    expect(error?.from).toBe(from);
    expect(error?.message.startsWith(message)).toBe(true);
  });

  it('gives 1-based lines and columns', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    expect(firstJsonSyntaxError(text)).toEqual({
      from: 13,
      to: 16,
      line: 3,
      column: 3,
      message: 'Expected a comma (,) before this.',
    });
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('the tree keeps what parsed and every error, one per place, in order', () => {
    const { root, errors } = parseJsonTree('[{"a": 1,}, tru]');
    expect(root?.type).toBe('array');
    expect(errors.map((e) => [e.from, e.message])).toEqual([
      [8, 'Trailing comma: remove the comma before }.'],
      [12, expect.stringMatching(/^Unexpected "tru"/)],
      [15, 'Expected a value.'],
    ]);
  });
});

describe('parseJson', () => {
  it('returns the value', () => {
    expect(parseJson('{"a": [1]}', 'The file is')).toEqual({ ok: true, value: { a: [1] } });
  });

  it('says about what, where and why', () => {
    expect(parseJson('{"a": 1,\n}', 'The file is')).toEqual({
      ok: false,
      error:
        'The file is not valid JSON (line 1, column 8): Trailing comma: remove the comma before }.',
    });
  });

  it("says why in the engine's words until the parser that places errors has loaded", async () => {
    // A fresh copy of the module: the unit setup loads the parser for every other test.
    vi.resetModules();
    const fresh = await import('../../src/lib/model/json/parse');
    const early = fresh.parseJson('{"a": 1,\n}', 'The file is');
    expect(early.ok).toBe(false);
    expect(!early.ok && early.error).toMatch(/^The file is not valid JSON: \S/);
    expect(!early.ok && early.error).not.toMatch(/position|line \d/);
    // Whatever loads the parser (the page once up, the Tools panel's checker) hands it over.
    await import('../../src/lib/model/json/syntax');
    expect(fresh.parseJson('{"a": 1,\n}', 'The file is')).toEqual({
      ok: false,
      error:
        'The file is not valid JSON (line 1, column 8): Trailing comma: remove the comma before }.',
    });
  });

  it('falls back to the engine when the text is too deep to place the error', () => {
    const text = '['.repeat(100_000) + '}';
    const r = parseJson(text, 'The file is');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^The file is not valid JSON(?: \(line 1, column \d+\))?: /);
  });

  it('parseJsonObject refuses anything but an object', () => {
    expect(parseJsonObject('{"type": "object"}', 'The JSON schema')).toEqual({
      ok: true,
      value: { type: 'object' },
    });
    expect(parseJsonObject('[]', 'The JSON schema')).toEqual({
      ok: false,
      error: 'The JSON schema must be a JSON object {…}.',
    });
    expect(parseJsonObject('{', 'The JSON schema')).toEqual({
      ok: false,
      error:
        'The JSON schema is not valid JSON (line 1, column 1): Unexpected end of text: expected } to close the object.',
    });
  });
});

describe('prettyJson', () => {
  it('indents by two spaces and keeps every literal as typed', () => {
    expect(prettyJson('{"a":1.0,"big":12345678901234567890,"e":1e3,"s":"\\u00e9","l":[]}')).toBe(
      '{\n  "a": 1.0,\n  "big": 12345678901234567890,\n  "e": 1e3,\n  "s": "\\u00e9",\n  "l": []\n}',
    );
  });

  it('lays out any JSON as JSON.stringify does with two spaces, however it was spaced', () => {
    const blank = fc.constantFrom('', ' ', '\n', '\t', '\r\n  ');
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(4), blank, (value, indent, space) => {
        // Spaced out at random between tokens (never inside strings: those are copied).
        const text = `${space}${JSON.stringify(value, null, indent)}${space}`;
        expect(prettyJson(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
      }),
    );
    expect(prettyJson('{ "q\\"}": [ "a\\\\", {} , [ ] ] }')).toBe(
      '{\n  "q\\"}": [\n    "a\\\\",\n    {},\n    []\n  ]\n}',
    );
  });

  it('returns null for text that is not JSON', () => {
    expect(prettyJson('{"a": 1,}')).toBeNull();
    expect(prettyJson('')).toBeNull();
    expect(prettyJson('data: {"a": 1}')).toBeNull();
  });

  it('withItemAppended adds to the array without rewriting the rest', () => {
    expect(withItemAppended('[1.0]', { b: true })).toBe('[\n  1.0,\n  {\n    "b": true\n  }\n]');
    expect(withItemAppended('[]', 2)).toBe('[\n  2\n]');
    expect(withItemAppended(' [ \n ] \n', 'x')).toBe('[\n  "x"\n]');
    expect(withItemAppended('[[], {"a": [1e3]}]\n\n', [])).toBe(
      '[\n  [],\n  {\n    "a": [\n      1e3\n    ]\n  },\n  []\n]',
    );
  });

  it('withItemAppended gives the same array plus the item, however the text is spaced', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.jsonValue(), fc.nat(4), (items, item, indent) => {
        const text = ` ${JSON.stringify(items, null, indent)} \n`;
        expect(JSON.parse(withItemAppended(text, item))).toEqual(
          JSON.parse(JSON.stringify([...items, item])),
        );
      }),
    );
  });
});
