// Counts as the app writes them: en-US digit grouping, without Intl.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration } from '../../src/lib/model/format';

describe('formatCount', () => {
  it('groups thousands as en-US does', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(128_000)).toBe('128,000');
    expect(formatCount(-1_234_567)).toBe('-1,234,567');
  });

  it('writes every whole number exactly as toLocaleString("en-US")', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (n) => {
        expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
  });
});

describe('formatDuration', () => {
  it('says hours for waits of an hour or more', () => {
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(9_000_000)).toBe('2 h 30 min');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
    expect(formatDuration(850)).toBe('850 ms');
  });
});
