// The Conversations sidebar as a user meets it: day groups, search, rename,
// duplicate, delete and its undo, the skipped-records warning, and the
// selection that exports several conversations at once.

import type { ComponentProps } from 'svelte';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ConversationList from '../../src/components/library/ConversationList.svelte';
import { UNTITLED, createConversation } from '../../src/lib/model/conversation';
import { toLibraryEntry, type LibraryEntry } from '../../src/lib/model/library';

// Noon, 15 June 2024, local time.
const NOW = new Date(2024, 5, 15, 12, 0).getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function entry(id: string, title: string, updatedAt: number, text = ''): LibraryEntry {
  return { id, title, updatedAt, model: 'gpt-4o', text: `${title}\n${text}`.toLowerCase() };
}

/** A real conversation's entry: the words "photosynthesis" only in a reply. */
function plantEntry(): LibraryEntry {
  const conv = createConversation({ model: 'gpt-4o-mini' });
  conv.id = 'plants';
  conv.title = 'Plants';
  conv.updatedAt = NOW - 3 * DAY;
  conv.messages = [
    { id: 'm1', role: 'user', content: 'How do leaves eat?' },
    { id: 'm2', role: 'assistant', content: 'By Photosynthesis: light becomes sugar.' },
  ];
  return toLibraryEntry(conv);
}

const library = (): LibraryEntry[] => [
  entry('a', 'Alpha', NOW - HOUR, 'the solar system'),
  entry('b', 'Beta', NOW - 2 * HOUR, 'json schema'),
  entry('c', 'Gamma', NOW - DAY, 'café au lait'),
  plantEntry(),
  entry('d', 'Delta', NOW - 40 * DAY, 'old notes'),
];

function setup(props: Partial<ComponentProps<typeof ConversationList>> = {}) {
  const callbacks = {
    onOpen: vi.fn(),
    onNew: vi.fn(),
    onRename: vi.fn(),
    onDuplicate: vi.fn(),
    onDelete: vi.fn(),
    onUndoDelete: vi.fn(),
    onExportSelected: vi.fn(),
  };
  const result = render(ConversationList, {
    entries: library(),
    currentId: 'b',
    now: NOW,
    ...callbacks,
    ...props,
  });
  return { ...callbacks, ...result, user: userEvent.setup() };
}

/** Titles in the order the list shows them, read from the entries' action menus. */
const shownTitles = () =>
  screen
    .getAllByRole('button', { name: /^Actions for / })
    .map((b) => b.getAttribute('aria-label')!.slice('Actions for '.length));

/** Runs one action of an entry from its menu ("Rename", "Duplicate", "Delete"). */
async function entryAction(
  user: ReturnType<typeof userEvent.setup>,
  action: string,
  title: string,
) {
  await user.click(screen.getByRole('button', { name: `Actions for ${title}` }));
  await user.click(screen.getByRole('menuitem', { name: `${action} ${title}` }));
}

/** The main button of the entry titled `title`. */
const openButton = (title: string) => screen.getByRole('button', { name: new RegExp(`^${title}`) });

describe('Conversations list', () => {
  it('is the Conversations navigation, newest first in day groups', () => {
    setup();
    const nav = screen.getByRole('navigation', { name: 'Conversations' });
    expect(
      within(nav)
        .getAllByRole('heading')
        .map((h) => h.textContent),
    ).toEqual(['Today', 'Yesterday', 'Previous 7 days', 'Older']);
    expect(shownTitles()).toEqual(['Alpha', 'Beta', 'Gamma', 'Plants', 'Delta']);
    const today = screen.getByRole('heading', { name: 'Today' }).parentElement!;
    expect(
      within(today)
        .getAllByRole('listitem')
        .map((li) => within(li).getByRole('button', { name: /^Actions for/ }).ariaLabel),
    ).toEqual(['Actions for Alpha', 'Actions for Beta']);
    const older = screen.getByRole('heading', { name: 'Older' }).parentElement!;
    expect(within(older).getByRole('button', { name: /^Delta/ })).toBeInTheDocument();
  });

  it('shows the model on each entry and marks the open conversation', async () => {
    const { user, onOpen } = setup();
    expect(openButton('Beta')).toHaveAttribute('aria-current', 'page');
    expect(openButton('Alpha')).not.toHaveAttribute('aria-current');
    expect(openButton('Plants')).toHaveTextContent('gpt-4o-mini');
    await user.click(openButton('Alpha'));
    expect(onOpen).toHaveBeenCalledExactlyOnceWith('a');
  });

  it('shows when each entry was saved from the start: the hour today, else the date', () => {
    setup();
    // Spaced from the model name on both sides (the separator's spaces do not wrap).
    expect(openButton('Alpha').textContent).toContain('gpt-4o\u00a0·\u00a011:00 AM');
    expect(openButton('Delta').textContent).toContain('gpt-4o\u00a0·\u00a0May 6');
  });

  it('shows an entry without a title as Untitled, leaving New conversation unique', async () => {
    const { user, onNew } = setup({
      entries: [entry('u1', UNTITLED, NOW - HOUR), entry('u2', '  ', NOW - 2 * HOUR)],
      currentId: 'u1',
    });
    expect(shownTitles()).toEqual(['Untitled', 'Untitled']);
    const news = screen.getAllByRole('button', { name: /new conversation/i });
    expect(news).toHaveLength(1);
    expect(screen.queryAllByText(/new conversation/i)).toHaveLength(1);
    await user.click(news[0]!);
    expect(onNew).toHaveBeenCalledOnce();
  });

  it('helps when the library is empty', () => {
    setup({ entries: [] });
    expect(screen.getByText(/No saved conversations yet/)).toBeVisible();
    expect(screen.queryByRole('searchbox')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New conversation' })).toBeEnabled();
  });

  describe('search', () => {
    it('finds conversations by the text of their messages, ignoring case', async () => {
      const { user } = setup();
      const search = screen.getByRole('searchbox', { name: 'Search conversations' });
      await user.type(search, 'PHOTOSYNTH');
      expect(shownTitles()).toEqual(['Plants']);
      expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual(['Previous 7 days']);
      await user.clear(search);
      await user.type(search, 'schema');
      expect(shownTitles()).toEqual(['Beta']);
    });

    it('says when nothing matches, and Escape clears the box', async () => {
      const { user } = setup();
      const search = screen.getByRole('searchbox', { name: 'Search conversations' });
      await user.type(search, 'zebra  ');
      expect(screen.getByText('No conversation matches “zebra”.')).toBeVisible();
      expect(screen.queryByRole('button', { name: /^Rename / })).not.toBeInTheDocument();
      await user.keyboard('{Escape}');
      expect(search).toHaveValue('');
      expect(screen.queryByText(/No conversation matches/)).not.toBeInTheDocument();
      expect(shownTitles()).toHaveLength(5);
    });
  });

  describe('rename', () => {
    it('edits the title in place; Enter saves the trimmed title and refocuses the entry', async () => {
      const { user, onRename } = setup();
      await entryAction(user, 'Rename', 'Alpha');
      const input = screen.getByRole('textbox', { name: 'Title of Alpha' });
      expect(input).toHaveFocus();
      expect(input).toHaveValue('Alpha');
      expect([
        (input as HTMLInputElement).selectionStart,
        (input as HTMLInputElement).selectionEnd,
      ]).toEqual([0, 5]);
      await user.keyboard('  Solar system  {Enter}');
      expect(onRename).toHaveBeenCalledExactlyOnceWith('a', 'Solar system');
      expect(screen.queryByRole('textbox', { name: 'Title of Alpha' })).not.toBeInTheDocument();
      expect(openButton('Alpha')).toHaveFocus();
    });

    it('Escape cancels without renaming', async () => {
      const { user, onRename } = setup();
      await entryAction(user, 'Rename', 'Beta');
      await user.keyboard('Something else{Escape}');
      expect(screen.queryByRole('textbox', { name: 'Title of Beta' })).not.toBeInTheDocument();
      expect(openButton('Beta')).toHaveFocus();
      expect(onRename).not.toHaveBeenCalled();
    });

    it('leaving the box saves too, and an unchanged title is not sent', async () => {
      const { user, onRename } = setup();
      await entryAction(user, 'Rename', 'Gamma');
      await user.keyboard('Café talk');
      await user.click(screen.getByRole('searchbox'));
      expect(onRename).toHaveBeenCalledExactlyOnceWith('c', 'Café talk');
      expect(screen.queryByRole('textbox', { name: /^Title of/ })).not.toBeInTheDocument();

      await entryAction(user, 'Rename', 'Delta');
      await user.keyboard('{Enter}');
      expect(onRename).toHaveBeenCalledOnce();
    });

    it('an emptied title asks for the default title back', async () => {
      const { user, onRename } = setup();
      await entryAction(user, 'Rename', 'Alpha');
      await user.keyboard('{Backspace}{Enter}');
      expect(onRename).toHaveBeenCalledExactlyOnceWith('a', '');
    });
  });

  describe('duplicate and delete', () => {
    it('duplicates through the callback', async () => {
      const { user, onDuplicate } = setup();
      await entryAction(user, 'Duplicate', 'Gamma');
      expect(onDuplicate).toHaveBeenCalledExactlyOnceWith('c');
    });

    it('deletes at once and keeps the focus in the list', async () => {
      const user = userEvent.setup();
      const onDelete = vi.fn((id: string) =>
        rerender({ entries: library().filter((e) => e.id !== id) }),
      );
      const { rerender } = render(ConversationList, {
        entries: library(),
        currentId: 'b',
        now: NOW,
        onOpen: vi.fn(),
        onNew: vi.fn(),
        onRename: vi.fn(),
        onDuplicate: vi.fn(),
        onDelete,
        onUndoDelete: vi.fn(),
        onExportSelected: vi.fn(),
      });
      // From the keyboard: the entry's menu opens on Enter and Delete is its last item.
      screen.getByRole('button', { name: 'Actions for Alpha' }).focus();
      await user.keyboard('{Enter}');
      expect(screen.getByRole('menuitem', { name: 'Rename Alpha' })).toHaveFocus();
      await user.keyboard('{End}{Enter}');
      expect(onDelete).toHaveBeenCalledExactlyOnceWith('a');
      expect(shownTitles()).toEqual(['Beta', 'Gamma', 'Plants', 'Delta']);
      expect(openButton('Beta')).toHaveFocus();
    });

    it('offers to undo the last delete', async () => {
      const { user, onUndoDelete, rerender } = setup({ deleted: { id: 'x', title: 'Epsilon' } });
      const line = screen.getByText('Deleted “Epsilon”.');
      expect(line.closest('[role="status"]')).not.toBeNull();
      await user.click(screen.getByRole('button', { name: 'Undo delete' }));
      expect(onUndoDelete).toHaveBeenCalledOnce();
      await rerender({ deleted: null });
      expect(screen.queryByText(/^Deleted/)).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Undo delete' })).not.toBeInTheDocument();
    });
  });

  describe('skipped records', () => {
    it('warns about one unreadable conversation in the singular', () => {
      setup({ skipped: 1 });
      expect(
        screen.getByText('1 saved conversation could not be read and was skipped.'),
      ).toHaveAttribute('role', 'status');
    });

    it('warns about several in the plural', () => {
      setup({ skipped: 3 });
      expect(
        screen.getByText('3 saved conversations could not be read and were skipped.'),
      ).toHaveAttribute('role', 'status');
    });

    it('says nothing when every record was read', () => {
      setup({ skipped: 0 });
      expect(screen.queryByText(/could not be read/)).not.toBeInTheDocument();
    });
  });

  describe('selection', () => {
    it('exports the chosen conversations in list order', async () => {
      const { user, onExportSelected } = setup();
      expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
      const select = screen.getByRole('button', { name: 'Select' });
      expect(select).toHaveAttribute('aria-pressed', 'false');
      await user.click(select);
      expect(select).toHaveAttribute('aria-pressed', 'true');
      expect(screen.getByRole('button', { name: 'Export selected (0)' })).toBeDisabled();

      await user.click(screen.getByRole('checkbox', { name: 'Select Delta' }));
      await user.click(screen.getByRole('checkbox', { name: 'Select Alpha' }));
      const all = screen.getByRole('checkbox', { name: 'Select all' }) as HTMLInputElement;
      expect(all.indeterminate).toBe(true);
      expect(all).not.toBeChecked();
      await user.click(screen.getByRole('button', { name: 'Export selected (2)' }));
      expect(onExportSelected).toHaveBeenCalledExactlyOnceWith(['a', 'd']);
    });

    it('Select all takes every visible conversation, and clears them again', async () => {
      const { user, onExportSelected } = setup();
      await user.click(screen.getByRole('button', { name: 'Select' }));
      const all = screen.getByRole('checkbox', { name: 'Select all' }) as HTMLInputElement;
      await user.click(all);
      expect(all).toBeChecked();
      expect(all.indeterminate).toBe(false);
      expect(screen.getByRole('checkbox', { name: 'Select Plants' })).toBeChecked();
      await user.click(screen.getByRole('button', { name: 'Export selected (5)' }));
      expect(onExportSelected).toHaveBeenCalledExactlyOnceWith(['a', 'b', 'c', 'plants', 'd']);
      await user.click(all);
      expect(screen.getByRole('button', { name: 'Export selected (0)' })).toBeDisabled();
    });

    it('Select all during a search takes only the matches', async () => {
      const { user, onExportSelected } = setup();
      await user.click(screen.getByRole('button', { name: 'Select' }));
      await user.type(screen.getByRole('searchbox'), 'json');
      await user.click(screen.getByRole('checkbox', { name: 'Select all' }));
      expect(screen.getByRole('button', { name: 'Export selected (1)' })).toBeEnabled();
      await user.clear(screen.getByRole('searchbox'));
      expect(screen.getByRole('checkbox', { name: 'Select Beta' })).toBeChecked();
      expect(screen.getByRole('checkbox', { name: 'Select Alpha' })).not.toBeChecked();
      await user.click(screen.getByRole('button', { name: 'Export selected (1)' }));
      expect(onExportSelected).toHaveBeenCalledExactlyOnceWith(['b']);
    });

    it('turning Select off forgets the selection', async () => {
      const { user } = setup();
      const select = screen.getByRole('button', { name: 'Select' });
      await user.click(select);
      await user.click(screen.getByRole('checkbox', { name: 'Select Gamma' }));
      expect(screen.getByRole('button', { name: 'Export selected (1)' })).toBeEnabled();
      await user.click(select);
      expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /^Export selected/ })).not.toBeInTheDocument();
      await user.click(select);
      expect(screen.getByRole('checkbox', { name: 'Select Gamma' })).not.toBeChecked();
      expect(screen.getByRole('button', { name: 'Export selected (0)' })).toBeDisabled();
    });

    it('drops chosen conversations that leave the library', async () => {
      const { user, rerender } = setup();
      await user.click(screen.getByRole('button', { name: 'Select' }));
      await user.click(screen.getByRole('checkbox', { name: 'Select Alpha' }));
      await user.click(screen.getByRole('checkbox', { name: 'Select Beta' }));
      await rerender({ entries: library().filter((e) => e.id !== 'a') });
      expect(screen.getByRole('button', { name: 'Export selected (1)' })).toBeEnabled();
      // Coming back (say, by another tab) does not bring the old choice back.
      await rerender({ entries: library() });
      expect(screen.getByRole('checkbox', { name: 'Select Alpha' })).not.toBeChecked();
      expect(screen.getByRole('button', { name: 'Export selected (1)' })).toBeEnabled();
    });
  });

  it('reaches every action by keyboard', async () => {
    const { user } = setup({ entries: [entry('a', 'Alpha', NOW - HOUR)], currentId: 'a' });
    await user.tab(); // New conversation
    await user.tab(); // Search
    await user.tab(); // Select
    await user.tab();
    expect(openButton('Alpha')).toHaveFocus();
    await user.tab();
    const actions = screen.getByRole('button', { name: 'Actions for Alpha' });
    expect(actions).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Rename Alpha' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Duplicate Alpha' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Delete Alpha' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(actions).toHaveFocus();
  });
});
