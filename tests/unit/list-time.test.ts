// The library's times: the time of day for today, the date for older entries
// (with the year only when it is not this one).
import { describe, expect, it } from 'vitest';
import { listTime } from '../../src/components/library/titles';

const now = new Date(2026, 11, 6, 15, 30).getTime();

describe('listTime', () => {
  it('shows the time of day for an entry saved today', () => {
    const at = new Date(2026, 11, 6, 9, 5);
    expect(listTime(at.getTime(), now)).toBe(
      at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
    );
  });

  it('shows the day and month for this year, and the year for older ones', () => {
    const march = new Date(2026, 2, 14, 12);
    expect(listTime(march.getTime(), now)).toBe(
      march.toLocaleDateString(undefined, { day: 'numeric', month: 'short' }),
    );
    const old = new Date(2024, 2, 14, 12);
    expect(listTime(old.getTime(), now)).toBe(
      old.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }),
    );
    expect(listTime(old.getTime(), now)).toContain('2024');
  });

  it('shows nothing for a time that is not one', () => {
    expect(listTime(Number.NaN, now)).toBe('');
  });
});
