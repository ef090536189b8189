import { UNTITLED } from '../../lib/model/conversation';

/**
 * A title as the list shows it. "New conversation" names the button that
 * starts one, so an entry without a title of its own reads "Untitled" and
 * that name stays unique.
 */
export const shownTitle = (title: string) =>
  title.trim() === '' || title === UNTITLED ? 'Untitled' : title;

/** The time of day for today's entries, the date (and year, if not this one) for older ones. */
export function listTime(time: number, now: number): string {
  if (!Number.isFinite(time)) return '';
  const date = new Date(time);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  const sameYear = date.getFullYear() === today.getFullYear();
  return date.toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
  });
}
