// The library's times: the time of day for today, the date for older entries
// (with the year only when it is not this one), in English as the rest of the page.
import { describe, expect, it } from 'vitest';
import { listTime } from '../../src/components/library/titles';

const now = new Date(2026, 11, 6, 15, 30).getTime();
const at = (...parts: [number, number, number, number, number?]) => new Date(...parts).getTime();

describe('listTime', () => {
  it('shows the time of day for an entry saved today, on a 12-hour clock', () => {
    expect(listTime(at(2026, 11, 6, 9, 5), now)).toBe('9:05 AM');
    expect(listTime(at(2026, 11, 6, 15, 30), now)).toBe('3:30 PM');
    expect(listTime(at(2026, 11, 6, 0, 10), now)).toBe('12:10 AM');
    expect(listTime(at(2026, 11, 6, 12, 0), now)).toBe('12:00 PM');
  });

  it('shows the day and month for this year, and the year for older ones', () => {
    expect(listTime(at(2026, 11, 5, 23, 59), now)).toBe('Dec 5');
    expect(listTime(at(2026, 2, 14, 12), now)).toBe('Mar 14');
    expect(listTime(at(2024, 2, 14, 12), now)).toBe('Mar 14, 2024');
    expect(listTime(at(2027, 0, 1, 12), now)).toBe('Jan 1, 2027');
  });

  it('shows nothing for a time that is not one', () => {
    expect(listTime(Number.NaN, now)).toBe('');
  });
});
