// One compare pane as a user meets it: its overrides as chips that open a
// compact editor (never the whole parameter panel by default), the notice of a
// pane added after the others answered, and the summary that warns when the
// panes were not asked the same thing before it ranks them.

import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import CompareSummary from '../../src/components/compare/CompareSummary.svelte';
import CompareView from '../../src/components/compare/CompareView.svelte';
import { emptyTools } from '../../src/lib/model/conversation';
import type { Message } from '../../src/lib/model/types';
import { answerState } from '../builders/answers';
import { compareSetup, timing } from './helpers/compare';
import { renderWithModels } from './helpers/context';

function renderCompare() {
  const s = compareSetup();
  s.compare.start();
  renderWithModels(CompareView, { compare: s.compare });
  return { ...s, user: userEvent.setup() };
}

const pane = (name: string) => screen.getByRole('region', { name });

/** Sends `text` to every pane and answers each with its model's name. */
async function turn(s: ReturnType<typeof compareSetup>, text: string) {
  const before = s.calls.length;
  s.shared.draft = text;
  const sent = s.compare.send();
  for (const c of s.calls.slice(before)) {
    const model = c.req.body.model;
    c.resolve({
      answer: answerState(`${model} on ${text}`, 'stop', { model }),
      outcome: 'done',
      timing,
    });
  }
  await sent;
}

describe('pane overrides: chips and the compact editor', () => {
  it('a pane, new or added, shows no parameter controls until its editor is opened', async () => {
    const { user } = renderCompare();
    await user.click(screen.getByRole('button', { name: 'Add pane' }));
    for (const name of ['Pane 1', 'Pane 2', 'Pane 3']) {
      expect(within(pane(name)).queryByRole('spinbutton')).toBeNull();
      expect(within(pane(name)).queryByRole('slider')).toBeNull();
    }
    const toggle = within(pane('Pane 3')).getByRole('button', {
      name: 'Change overrides of Pane 3',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const editor = within(pane('Pane 3')).getByRole('group', { name: 'Override editor of Pane 3' });
    // Compact: no sliders until a parameter is added, but the pane's own switches are there.
    expect(within(editor).queryByRole('slider')).toBeNull();
    expect(within(editor).getByRole('checkbox', { name: 'Stream' })).toBeChecked();
    expect(within(editor).getByRole('checkbox', { name: 'Own system message' })).not.toBeChecked();
  });

  it('a chip opens the editor on its parameter; "Use shared" drops the override; Escape closes', async () => {
    const { compare, user } = renderCompare();
    const two = compare.panes[1]!;
    two.session.params = { max_tokens: 64 };
    const chip = await within(pane('Pane 2')).findByRole('button', { name: 'max_tokens 64' });
    await user.click(chip);
    const box = within(pane('Pane 2')).getByRole('spinbutton', { name: 'Max tokens' });
    await vi.waitFor(() => expect(box).toHaveFocus());
    expect(box).toHaveValue(64);

    await user.clear(box);
    await user.type(box, '128');
    expect(two.overrides).toEqual({ max_tokens: 128 });
    expect(within(pane('Pane 2')).getByText('max_tokens 128')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Use the shared Max tokens in Pane 2' }));
    expect(two.overrides).toEqual({});
    // The row stays while the editor is open, saying it follows the shared value.
    expect(within(pane('Pane 2')).getByText(/Shared value/)).toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(
      within(pane('Pane 2')).queryByRole('group', { name: 'Override editor of Pane 2' }),
    ).toBeNull();
    expect(
      within(pane('Pane 2')).getByRole('button', { name: 'Change overrides of Pane 2' }),
    ).toHaveFocus();
  });

  it('own system message and "All parameters" are one click away, and show as chips', async () => {
    const { compare, shared, user } = renderCompare();
    const one = pane('Pane 1');
    await user.click(within(one).getByRole('button', { name: 'Change overrides of Pane 1' }));
    await user.click(within(one).getByRole('checkbox', { name: 'Own system message' }));
    const own = within(one).getByRole('textbox', { name: 'System message of Pane 1' });
    await user.clear(own);
    await user.type(own, 'Answer in French.');
    expect(compare.panes[0]!.systemMessage).toBe('Answer in French.');
    expect(shared.systemMessage).toBe('');
    expect(within(one).getByRole('button', { name: 'own system message' })).toBeInTheDocument();

    await user.click(within(one).getByRole('button', { name: 'All parameters' }));
    // The panel draws in steps (ParamsPanel): User is in its last.
    await user.type(await within(one).findByRole('textbox', { name: 'User' }), 'tester');
    expect(compare.panes[0]!.overrides).toEqual({ user: 'tester' });
    expect(within(one).getByRole('button', { name: 'user tester' })).toBeInTheDocument();
    await user.click(within(one).getByRole('button', { name: 'Done' }));
    expect(within(one).queryByRole('textbox', { name: 'User' })).toBeNull();
  });
});

describe('a pane added after earlier turns', () => {
  it('says it starts fresh and what it will see, then can continue from another pane', async () => {
    const s = renderCompare();
    await turn(s, 'Hello');
    await s.user.click(screen.getByRole('button', { name: 'Add pane' }));
    const three = pane('Pane 3');
    const note = within(three).getByRole('note', { name: 'Pane 3 joined later' });
    expect(note).toHaveTextContent('Pane 3 starts fresh.');
    expect(note).toHaveTextContent(
      'its next request carries the system message and your next message, not their turns',
    );
    // The panes that were there have no such notice.
    expect(within(pane('Pane 1')).queryByRole('note')).toBeNull();

    await s.user.click(within(note).getByRole('button', { name: "Continue from Pane 1's turns" }));
    expect(within(three).queryByRole('note')).toBeNull();
    expect(within(three).getByRole('article', { name: 'Assistant message' })).toHaveTextContent(
      'gpt-4 on Hello',
    );
  });

  it('counts the shared history it carries; once it answers, it still says it missed turns', async () => {
    const s = compareSetup();
    s.shared.replaceMessages([
      { id: 'u0', role: 'user', content: 'Hi' },
      { id: 'a0', role: 'assistant', content: 'Hello!' },
    ]);
    s.compare.start();
    renderWithModels(CompareView, { compare: s.compare });
    await turn(s, 'One');
    s.compare.addPane();
    const three = await screen.findByRole('region', { name: 'Pane 3' });
    const note = within(three).getByRole('note');
    expect(note).toHaveTextContent('carries the shared history (2 messages) and your next message');

    await turn(s, 'Two');
    await within(pane('Pane 3')).findByText('gpt-3.5-turbo on Two');
    expect(within(pane('Pane 3')).getByRole('note')).toHaveTextContent(
      'Pane 3 joined later: it has not seen 1 turn the other panes had',
    );
    // The summary names the difference before it ranks.
    const warning = screen.getByRole('note', { name: 'Inputs differ' });
    expect(warning).toHaveTextContent('earlier turns: Pane 3 differs from Pane 1');
  });
});

describe('CompareSummary warns when the inputs differ', () => {
  const answer = (model: string): Message => ({
    id: `a-${model}`,
    role: 'assistant',
    content: 'Paris.',
    status: 'done',
    finishReason: 'stop',
    usage: { prompt: 20, completion: 3, total: 23 },
    model,
    timing,
  });
  const input = {
    systemMessage: 'Be brief.',
    tools: emptyTools(),
    params: {},
    history: [{ id: 'u', role: 'user' as const, content: 'Capital of France?' }],
  };

  it('names what differs, above the ranking', () => {
    render(CompareSummary, {
      panes: [
        { name: 'Pane 1', model: 'gpt-4', answer: answer('gpt-4'), input },
        {
          name: 'Pane 2',
          model: 'gpt-4o',
          answer: answer('gpt-4o'),
          input: { ...input, systemMessage: 'Be verbose.', params: { n: 3 } },
        },
      ],
    });
    const summary = screen.getByRole('region', { name: 'Last turn summary' });
    const warning = within(summary).getByRole('note', { name: 'Inputs differ' });
    expect(warning).toHaveTextContent('not asked the same thing');
    expect(
      within(warning)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['system message: Pane 2 differs from Pane 1', 'n: Pane 1 not sent, Pane 2 3']);
    // The warning comes before the verdict and the table.
    const verdict = within(summary).getByText(/^Cheapest:/);
    expect(
      warning.compareDocumentPosition(verdict) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('says nothing when only the models and sampling differ', () => {
    render(CompareSummary, {
      panes: [
        { name: 'Pane 1', model: 'gpt-4', answer: answer('gpt-4'), input },
        {
          name: 'Pane 2',
          model: 'gpt-4o',
          answer: answer('gpt-4o'),
          input: { ...input, params: { temperature: 0 } },
        },
      ],
    });
    expect(screen.getByRole('region', { name: 'Last turn summary' })).toBeInTheDocument();
    expect(screen.queryByRole('note', { name: 'Inputs differ' })).toBeNull();
  });
});
