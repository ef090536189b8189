// The Conversations list: one small entry per stored conversation, search,
// grouping by day, and forks. Pure TypeScript.

import { paneHistory, paneSetup } from './compare';
import { deriveTitle, modelsOf, withFreshIds } from './conversation';
import { migrateConversation } from './read-conversation';
import type { Conversation, Message } from './types';

export interface LibraryEntry {
  id: string;
  title: string;
  updatedAt: number;
  model: string;
  /**
   * Lower-cased searchable text: title + every message content in shared
   * history and panes, capped at 200k chars. toLibraryEntry also folds accents
   * (see `fold`), so searching does not have to redo it.
   */
  text: string;
}

/** Cap on LibraryEntry.text, in UTF-16 code units. */
export const LIBRARY_TEXT_MAX = 200_000;

// Combining diacritics (Latin, Greek, Cyrillic and their supplements) as NFD
// separates them: é -> e + U+0301. Deliberately not every mark (\p{M}): the
// Japanese voicing marks and Indic vowel signs change the letter, not its accent.
const DIACRITIC_RANGES: readonly [number, number][] = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];

const isDiacritic = (mark: string) => {
  const c = mark.codePointAt(0) ?? 0;
  return DIACRITIC_RANGES.some(([lo, hi]) => c >= lo && c <= hi);
};

/** Lower case without accents: "Café" -> "cafe". Idempotent. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, (mark) => (isDiacritic(mark) ? '' : mark))
    .toLowerCase();
}

/** At most `max` code units, never ending in half a surrogate pair. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

// A save hands the same snapshot to storage (for the other tabs) and to the
// list: its entry (folding up to 200k characters) is made once.
const entries = new WeakMap<Conversation, LibraryEntry>();

/** The entry the Conversations list shows and searches. */
export function toLibraryEntry(conv: Conversation): LibraryEntry {
  let entry = entries.get(conv);
  if (!entry) {
    entry = makeEntry(conv);
    entries.set(conv, entry);
  }
  return entry;
}

function makeEntry(conv: Conversation): LibraryEntry {
  const title = conv.title.trim() || deriveTitle(conv);
  const parts: string[] = [title];
  let length = title.length;
  const add = (messages: readonly Message[]) => {
    for (const m of messages) {
      if (length > LIBRARY_TEXT_MAX) return;
      if (m.content === '') continue;
      parts.push(m.content);
      length += m.content.length + 1;
    }
  };
  add(conv.messages);
  for (const pane of conv.compare?.panes ?? []) add(pane.messages);
  // Cut before folding (so a huge conversation is not folded whole) and after
  // (folding can change the length).
  const text = cap(fold(cap(parts.join('\n'), LIBRARY_TEXT_MAX)), LIBRARY_TEXT_MAX);
  return { id: conv.id, title, updatedAt: conv.updatedAt, model: modelsOf(conv), text };
}

const newestFirst = (a: LibraryEntry, b: LibraryEntry) => b.updatedAt - a.updatedAt;

// Folded text per entry object, for entries not made by toLibraryEntry (folding
// is idempotent, so an already folded text is only checked once).
const foldedText = new WeakMap<LibraryEntry, string>();

function textOf(entry: LibraryEntry): string {
  let text = foldedText.get(entry);
  if (text === undefined) {
    text = fold(entry.text);
    foldedText.set(entry, text);
  }
  return text;
}

/**
 * Entries matching every whitespace-separated term of `query`, ignoring case
 * and accents ("cafe" finds "Café"). Ranked by how many terms the title holds
 * (so title matches come before text-only ones), then newest first. A blank
 * query returns every entry, newest first. Never changes `entries`.
 */
export function searchLibrary(entries: LibraryEntry[], query: string): LibraryEntry[] {
  const terms = fold(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...entries].sort(newestFirst);
  const hits: { entry: LibraryEntry; inTitle: number }[] = [];
  for (const entry of entries) {
    const title = fold(entry.title);
    let inTitle = 0;
    let all = true;
    for (const term of terms) {
      if (title.includes(term)) inTitle++;
      else if (!textOf(entry).includes(term)) {
        all = false;
        break;
      }
    }
    if (all) hits.push({ entry, inTitle });
  }
  hits.sort((a, b) => b.inTitle - a.inTitle || newestFirst(a.entry, b.entry));
  return hits.map((h) => h.entry);
}

export type DayLabel = 'Today' | 'Yesterday' | 'Previous 7 days' | 'Older';

export interface DayGroup {
  label: DayLabel;
  items: LibraryEntry[];
}

/**
 * Entries by when they were last updated, in local time: today (future times
 * included), yesterday, the 7 days before today (yesterday excluded), older.
 * Newest first within each group; empty groups are left out.
 */
export function groupByDay(entries: LibraryEntry[], now: number = Date.now()): DayGroup[] {
  const today = new Date(now);
  // new Date(y, m, d - n) is local midnight n days ago, across DST changes too.
  const midnight = (daysAgo: number) =>
    new Date(today.getFullYear(), today.getMonth(), today.getDate() - daysAgo).getTime();
  const bounds: [DayLabel, number][] = [
    ['Today', midnight(0)],
    ['Yesterday', midnight(1)],
    ['Previous 7 days', midnight(7)],
    ['Older', Number.NEGATIVE_INFINITY],
  ];
  const groups: DayGroup[] = bounds.map(([label]) => ({ label, items: [] }));
  for (const entry of [...entries].sort(newestFirst)) {
    const at = Number.isFinite(entry.updatedAt) ? entry.updatedAt : Number.NEGATIVE_INFINITY;
    const i = bounds.findIndex(([, start]) => at >= start);
    groups[i]!.items.push(entry);
  }
  return groups.filter((g) => g.items.length > 0);
}

/** A deep copy as plain JSON, normalised the way a stored record is read back. */
function copy(conv: Conversation): Conversation {
  const checked = migrateConversation(conv);
  return checked.ok ? checked.value : (JSON.parse(JSON.stringify(conv)) as Conversation);
}

/**
 * A copy to take in another direction: new conversation, message and pane ids,
 * title "<title> (fork)", created and updated `now`, empty draft. With
 * `upToMessageId` naming a message of the shared history, only the shared
 * messages up to and including it are kept and the compare panes are dropped
 * (they continued a history the fork no longer has). An id not in the shared
 * history (a pane's message included) forks the whole conversation.
 */
export function forkConversation(
  conv: Conversation,
  upToMessageId?: string,
  now: number = Date.now(),
): Conversation {
  const fork = copy(conv);
  fork.title = `${conv.title.trim() || deriveTitle(conv)} (fork)`;
  fork.createdAt = now;
  fork.updatedAt = now;
  fork.draft = '';
  const cut =
    upToMessageId === undefined ? -1 : fork.messages.findIndex((m) => m.id === upToMessageId);
  if (cut >= 0) {
    fork.messages = fork.messages.slice(0, cut + 1);
    delete fork.compare;
  }
  // New ids last: the cut above is by the original message ids.
  return withFreshIds(fork);
}

/**
 * A branch of one compare pane: a plain conversation with that pane's model,
 * parameters (shared ones with the pane's overrides), system message, tools
 * and history (the shared turns when linked, then the pane's), up to and
 * including `upToMessageId`. An unknown pane forks the whole conversation.
 */
export function forkPane(
  conv: Conversation,
  paneId: string,
  upToMessageId: string,
  now: number = Date.now(),
): Conversation {
  const pane = conv.compare?.panes.find((p) => p.id === paneId);
  if (!pane) return forkConversation(conv, undefined, now);
  const history = paneHistory(conv, pane);
  const cut = history.findIndex((m) => m.id === upToMessageId);
  const { compare: _compare, ...shared } = conv;
  return forkConversation(
    {
      ...shared,
      title: `${conv.title.trim() || deriveTitle(conv)} · ${pane.model}`,
      ...paneSetup(conv, pane),
      messages: cut >= 0 ? history.slice(0, cut + 1) : history,
    },
    undefined,
    now,
  );
}
