// The answer diff of compare mode as a user meets it: two panes' answers word by word,
// removed words struck, added words underlined, identical runs hideable, and model
// output always shown as text.

import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import DiffView from '../../src/components/compare/DiffView.svelte';

const pane = (n: number, model: string, text: string) => ({ name: `Pane ${n}`, model, text });

const PANES = [
  pane(1, 'gpt-4', 'The cat sat on the mat.'),
  pane(2, 'gpt-4o-mini', 'The big cat sat on a mat.'),
  pane(3, 'o3', 'A dog slept on the mat.'),
];

const diffGroup = () => screen.findByRole('group', { name: 'Word diff' });
const texts = (group: HTMLElement, tag: 'ins' | 'del') =>
  Array.from(group.querySelectorAll(tag), (el) => el.textContent);

describe('DiffView', () => {
  // First in the file: the lazy word-diff chunk is not loaded yet.
  it('says it is loading, then shows added and removed words with the stats', async () => {
    render(DiffView, { panes: PANES });
    const region = screen.getByRole('region', { name: 'Answer diff' });
    expect(within(region).getByText('Loading the diff…')).toBeInTheDocument();

    const group = await diffGroup();
    expect(texts(group, 'ins')).toEqual(['big ', 'a']);
    expect(texts(group, 'del')).toEqual(['the']);
    // The "to" text with the removed words in place, and nothing else.
    expect(group.textContent).toBe('The big cat sat on thea mat.');
    expect(screen.queryByText('Loading the diff…')).toBeNull();
    expect(
      within(region).getByText('71% the same · 2 words added · 1 removed'),
    ).toBeInTheDocument();
  });

  it('labels the selects with pane and model and defaults to the first two panes', async () => {
    render(DiffView, { panes: PANES });
    const from = screen.getByRole('combobox', { name: 'Diff from' });
    const to = screen.getByRole('combobox', { name: 'Diff to' });
    expect(
      within(from)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Pane 1 · gpt-4', 'Pane 2 · gpt-4o-mini', 'Pane 3 · o3']);
    expect(from).toHaveDisplayValue('Pane 1 · gpt-4');
    expect(to).toHaveDisplayValue('Pane 2 · gpt-4o-mini');
    await diffGroup();
  });

  it('diffs the panes chosen in the selects', async () => {
    const user = userEvent.setup();
    render(DiffView, { panes: PANES });
    await diffGroup();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Diff to' }), 'Pane 3 · o3');
    await expect.poll(async () => texts(await diffGroup(), 'ins')).toEqual(['A dog slept']);
    expect(texts(await diffGroup(), 'del')).toEqual(['The cat sat']);

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Diff from' }),
      'Pane 2 · gpt-4o-mini',
    );
    await expect
      .poll(async () => texts(await diffGroup(), 'del'))
      .toEqual(['The big cat sat', 'a']);
    expect(texts(await diffGroup(), 'ins')).toEqual(['A dog slept', 'the']);
  });

  it('says so when from and to are the same pane', async () => {
    const user = userEvent.setup();
    render(DiffView, { panes: PANES });
    await diffGroup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Diff to' }), 'Pane 1 · gpt-4');
    expect(screen.getByText(/same pane/)).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Word diff' })).toBeNull();
  });

  it('hides a long identical run behind a count, and shows it again', async () => {
    const user = userEvent.setup();
    const middle = Array.from({ length: 30 }, (_, i) => `word${i + 1}`).join(' ');
    render(DiffView, {
      panes: [pane(1, 'gpt-4', `Yes ${middle} Bye`), pane(2, 'o3', `No ${middle} Ciao`)],
    });
    let group = await diffGroup();
    expect(group).toHaveTextContent('word15');
    expect(within(group).queryByText(/identical words/)).toBeNull();

    const hide = screen.getByRole('checkbox', { name: 'Hide identical runs' });
    await user.click(hide);
    group = await diffGroup();
    expect(within(group).getByText('… 24 identical words …')).toBeInTheDocument();
    expect(group).toHaveTextContent('word1 word2 word3');
    expect(group).toHaveTextContent('word28 word29 word30');
    expect(group).not.toHaveTextContent('word15');
    expect(texts(group, 'del')).toEqual(['Yes', 'Bye']);
    expect(texts(group, 'ins')).toEqual(['No', 'Ciao']);

    await user.keyboard(' '); // the checkbox keeps focus: Space shows everything again
    expect(hide).not.toBeChecked();
    expect(await diffGroup()).toHaveTextContent('word15');
  });

  it('shows model output as text, never as HTML', async () => {
    const evil = 'Look: <img src=x onerror=alert(1)> <b>bold</b>';
    render(DiffView, { panes: [pane(1, 'gpt-4', 'Look: nothing'), pane(2, 'o3', evil)] });
    const group = await diffGroup();
    expect(group.querySelector('img, b')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(group).toHaveTextContent('Look: nothing<img src=x onerror=alert(1)> <b>bold</b>');
    expect(texts(group, 'ins').join('')).toBe('<img src=x onerror=alert(1)> <b>bold</b>');
  });

  it('shows a whitespace-only change as plain text, not as a change', async () => {
    render(DiffView, {
      panes: [pane(1, 'gpt-4', 'One two.\nThree  four.'), pane(2, 'o3', 'One two. Three four.')],
    });
    const group = await diffGroup();
    expect(group.querySelectorAll('ins, del')).toHaveLength(0);
    expect(group.textContent).toBe('One two. Three four.');
    expect(screen.getByText('100% the same · 0 words added · 0 removed')).toBeInTheDocument();
  });

  it('asks for two answers while fewer than two panes have one', () => {
    render(DiffView, { panes: [pane(1, 'gpt-4', 'Only me.'), pane(2, 'o3', '')] });
    expect(screen.getByText('Both panes need an answer to compare.')).toBeInTheDocument();
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.queryByRole('group', { name: 'Word diff' })).toBeNull();
  });

  it('asks for two answers with a single pane', () => {
    render(DiffView, { panes: [pane(1, 'gpt-4', 'Only me.')] });
    expect(screen.getByText('Both panes need an answer to compare.')).toBeInTheDocument();
  });

  it('says which chosen pane has no answer yet', async () => {
    const user = userEvent.setup();
    render(DiffView, { panes: [...PANES, pane(4, 'gpt-5', '')] });
    await diffGroup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Diff to' }), 'Pane 4 · gpt-5');
    expect(screen.getByText('Pane 4 has no answer yet.')).toBeInTheDocument();
  });

  it('follows an answer as it changes (streaming)', async () => {
    const panes = [pane(1, 'gpt-4', 'Hello there.'), pane(2, 'o3', 'Hello')];
    const { rerender } = render(DiffView, { panes });
    expect(texts(await diffGroup(), 'del')).toEqual([' there.']);
    await rerender({ panes: [panes[0]!, pane(2, 'o3', 'Hello there, friend.')] });
    await expect
      .poll(async () => texts(await diffGroup(), 'ins'), { timeout: 10_000 })
      .toEqual([', friend']);
    expect(texts(await diffGroup(), 'del')).toEqual([]);
  });
});
