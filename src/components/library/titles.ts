import { UNTITLED } from '../../lib/model/conversation';

/**
 * A title as the list shows it. "New conversation" names the button that
 * starts one, so an entry without a title of its own reads "Untitled" and
 * that name stays unique.
 */
export const shownTitle = (title: string) =>
  title.trim() === '' || title === UNTITLED ? 'Untitled' : title;

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/**
 * The time of day for today's entries ("9:05 AM"), the date for older ones ("Mar 14",
 * and "Mar 14, 2024" when not this year). In English, as the rest of the page, and
 * without Intl: a page's first Intl formatter costs ~30-50 ms on a small machine (the
 * locale data), one long task for a few dates.
 */
export function listTime(time: number, now: number): string {
  if (!Number.isFinite(time)) return '';
  const date = new Date(time);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    const hours = date.getHours();
    const minutes = String(date.getMinutes()).padStart(2, '0');
    return `${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
  }
  const day = `${MONTHS[date.getMonth()]} ${date.getDate()}`;
  return date.getFullYear() === today.getFullYear() ? day : `${day}, ${date.getFullYear()}`;
}
