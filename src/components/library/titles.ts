import { UNTITLED } from '../../lib/model/conversation';

/**
 * A title as the list shows it. "New conversation" names the button that
 * starts one, so an entry without a title of its own reads "Untitled" and
 * that name stays unique.
 */
export const shownTitle = (title: string) =>
  title.trim() === '' || title === UNTITLED ? 'Untitled' : title;

// One formatter each, made on first use: building one per call (what
// toLocale*String does) costs more than the whole list's other work.
let formats: { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat; dated: Intl.DateTimeFormat };
const formatter = () =>
  (formats ??= {
    time: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
    date: new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }),
    dated: new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }),
  });

/** The time of day for today's entries, the date (and year, if not this one) for older ones. */
export function listTime(time: number, now: number): string {
  if (!Number.isFinite(time)) return '';
  const date = new Date(time);
  const today = new Date(now);
  const f = formatter();
  if (date.toDateString() === today.toDateString()) return f.time.format(date);
  return (date.getFullYear() === today.getFullYear() ? f.date : f.dated).format(date);
}
