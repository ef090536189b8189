// Compare mode as a user meets it: the summary table that ranks the panes by
// cost and speed, the sweep form, the panes with their model and overrides,
// the phone tabs, and the one shared composer that sends to and stops every pane.

import { createRawSnippet } from 'svelte';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ChatPane from '../../src/components/ChatPane.svelte';
import CompareSummary from '../../src/components/compare/CompareSummary.svelte';
import CompareView from '../../src/components/compare/CompareView.svelte';
import SweepForm from '../../src/components/compare/SweepForm.svelte';
import { formatDuration } from '../../src/lib/model/format';
import { checkParam } from '../../src/lib/model/params';
import { costOfUsage, findPrice, formatUsd } from '../../src/lib/model/pricing';
import type { Message, Usage } from '../../src/lib/model/types';
import type { SweepSpec } from '../../src/lib/state/compare.svelte';
import { answerState } from '../builders/answers';
import { compareSetup, timing } from './helpers/compare';
import { renderWithModels } from './helpers/context';

// ---------------------------------------------------------------------------
// Helpers

/** A shared conversation on gpt-4 and compare mode on: Pane 1 gpt-4, Pane 2 gpt-3.5-turbo. */
function setup() {
  const s = compareSetup();
  s.compare.start();
  return s;
}

function renderCompare() {
  const s = setup();
  renderWithModels(CompareView, { compare: s.compare });
  return { ...s, user: userEvent.setup() };
}

const pane = (name: string) => screen.getByRole('region', { name });
const queryPane = (name: string) => screen.queryByRole('region', { name });

/** Sends "Hello" to both panes and lets them answer. */
async function answerBoth(s: ReturnType<typeof setup>) {
  s.shared.draft = 'Hello';
  const sent = s.compare.send();
  s.answer('gpt-4', 'Four');
  s.answer('gpt-3.5-turbo', 'Three');
  await sent;
}

// ---------------------------------------------------------------------------
// CompareSummary

/** A finished answer as the pane stores it. */
function answer(model: string, usage: Usage | null, t?: Message['timing']): Message {
  const m: Message = {
    id: `a-${model}`,
    role: 'assistant',
    content: 'An answer.',
    status: 'done',
    finishReason: 'stop',
    usage,
    model,
  };
  if (t) m.timing = t;
  return m;
}

const costOf = (model: string, usage: Usage) =>
  formatUsd(costOfUsage(usage, findPrice(model)!.price));

/** The row of one pane as { column header: cell text }. */
function rowOf(name: string): Record<string, string> {
  const table = screen.getByRole('table');
  const headers = within(table)
    .getAllByRole('columnheader')
    .map((h) => h.textContent.trim());
  const row = within(table).getByRole('row', { name: new RegExp(`^${name}\\b`) });
  const cells = [within(row).getByRole('rowheader'), ...within(row).queryAllByRole('cell')].map(
    (c) => c.textContent.trim(),
  );
  return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
}

describe('CompareSummary', () => {
  const gpt4Usage = { prompt: 100, completion: 50, total: 150 };
  const turboUsage = { prompt: 1000, completion: 200, total: 1200 };
  // gpt-4 costs more but answers faster; gpt-3.5-turbo is cheaper but slower.
  const fast = { startedAt: 0, firstTokenAt: 300, endedAt: 800 };
  const slow = { startedAt: 0, firstTokenAt: 500, endedAt: 2300 };

  it('shows tokens, cost and time per pane, ranks them, and names the cheapest and fastest', () => {
    render(CompareSummary, {
      panes: [
        { name: 'Pane 1', model: 'gpt-4', answer: answer('gpt-4-0613', gpt4Usage, fast) },
        {
          name: 'Pane 2',
          model: 'gpt-3.5-turbo',
          answer: answer('gpt-3.5-turbo-0125', turboUsage, slow),
        },
      ],
    });
    const region = screen.getByRole('region', { name: 'Last turn summary' });
    expect(within(region).getByRole('table')).toBeInTheDocument();

    const one = rowOf('Pane 1');
    const two = rowOf('Pane 2');
    expect(one).toMatchObject({
      Model: 'gpt-4-0613',
      Tokens: '100 + 50 = 150',
      Cost: costOf('gpt-4-0613', gpt4Usage),
      'Cost rank': '2',
      'First token': formatDuration(300),
      'Total time': formatDuration(800),
      'Speed rank': '1',
    });
    expect(two).toMatchObject({
      Model: 'gpt-3.5-turbo-0125',
      Tokens: '1000 + 200 = 1200',
      Cost: costOf('gpt-3.5-turbo-0125', turboUsage),
      'Cost rank': '1',
      'Total time': formatDuration(2300),
      'Speed rank': '2',
    });

    const verdict = within(region).getByText(/^Cheapest:/);
    expect(verdict).toHaveTextContent(
      `Cheapest: Pane 2 (${costOf('gpt-3.5-turbo-0125', turboUsage)}). ` +
        `Fastest: Pane 1 (${formatDuration(800)}).`,
    );
  });

  it('a pane without an answer says so; a model without a price has no cost and no cost rank', () => {
    render(CompareSummary, {
      panes: [
        { name: 'Pane 1', model: 'gpt-4', answer: answer('gpt-4-0613', gpt4Usage, slow) },
        { name: 'Pane 2', model: 'my-local-llm', answer: answer('my-local-llm', turboUsage, fast) },
        { name: 'Pane 3', model: 'gpt-3.5-turbo', answer: undefined },
      ],
    });
    expect(rowOf('Pane 3')).toMatchObject({ Model: 'gpt-3.5-turbo', Tokens: 'no answer yet' });

    const unpriced = rowOf('Pane 2');
    expect(unpriced).toMatchObject({
      Tokens: '1000 + 200 = 1200',
      Cost: '—',
      'Cost rank': '—',
      'Speed rank': '1',
    });
    expect(rowOf('Pane 1')).toMatchObject({ 'Cost rank': '1', 'Speed rank': '2' });
    expect(screen.getByTitle('No price known for this model')).toHaveTextContent('—');
    expect(screen.getByText(/^Cheapest:/)).toHaveTextContent(
      `Cheapest: Pane 1 (${costOf('gpt-4-0613', gpt4Usage)}). Fastest: Pane 2`,
    );
  });

  it('shows nothing until some pane has an answer', () => {
    render(CompareSummary, {
      panes: [
        { name: 'Pane 1', model: 'gpt-4', answer: undefined },
        { name: 'Pane 2', model: 'gpt-3.5-turbo', answer: undefined },
      ],
    });
    expect(screen.queryByRole('region', { name: 'Last turn summary' })).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// SweepForm

function renderSweep() {
  const onSweep = vi.fn<(spec: SweepSpec) => void>();
  render(SweepForm, { model: 'gpt-4o-mini', paneCount: 2, onSweep });
  const values = screen.getByRole('textbox', { name: 'Sweep values' });
  const submit = () => user.click(screen.getByRole('button', { name: 'Make panes' }));
  const user = userEvent.setup();
  return { onSweep, values, submit, user };
}

describe('SweepForm', () => {
  it('makes three temperature panes for the model by default', async () => {
    const { onSweep, submit } = renderSweep();
    expect(screen.getByRole('textbox', { name: 'Sweep model' })).toHaveValue('gpt-4o-mini');
    expect(screen.getByRole('combobox', { name: 'Sweep parameter' })).toHaveValue('temperature');
    expect(screen.getByText(/replacing the 2 panes here/)).toBeInTheDocument();
    await submit();
    expect(onSweep).toHaveBeenCalledExactlyOnceWith({
      model: 'gpt-4o-mini',
      key: 'temperature',
      values: [0, 0.7, 1.4],
    });
  });

  it('a value that is not a number is named, marked invalid, and nothing is made', async () => {
    const { onSweep, values, submit, user } = renderSweep();
    await user.clear(values);
    await user.type(values, '0, warm');
    await submit();
    expect(onSweep).not.toHaveBeenCalled();
    expect(values).toHaveAttribute('aria-invalid', 'true');
    expect(values).toHaveAccessibleDescription('"warm" is not a number.');
    expect(screen.getByText('"warm" is not a number.')).toBeInTheDocument();

    // Fixed, it goes through and the error clears.
    await user.clear(values);
    await user.type(values, '0, 1');
    await submit();
    expect(onSweep).toHaveBeenCalledOnce();
    expect(values).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText('"warm" is not a number.')).toBeNull();
  });

  it('a value out of the parameter range shows the range error', async () => {
    const { onSweep, values, submit, user } = renderSweep();
    await user.clear(values);
    await user.type(values, '0.5, 3');
    await submit();
    const check = checkParam('temperature', 3);
    expect(check.ok).toBe(false);
    expect(values).toHaveAccessibleDescription(check.ok ? '' : check.error);
    expect(onSweep).not.toHaveBeenCalled();
  });

  it('one value is not a sweep, and the model cannot be empty', async () => {
    const { onSweep, values, submit, user } = renderSweep();
    await user.clear(values);
    await user.type(values, '0.5');
    await submit();
    expect(values).toHaveAccessibleDescription('A sweep needs at least two values.');

    await user.clear(values);
    await user.type(values, '0.5 1');
    await user.clear(screen.getByRole('textbox', { name: 'Sweep model' }));
    await submit();
    expect(screen.getByText('Choose the model to sweep.')).toBeInTheDocument();
    expect(onSweep).not.toHaveBeenCalled();
  });

  it('"Samples per pane (n)" adds n to every pane; a bad n is refused', async () => {
    const { onSweep, submit, user } = renderSweep();
    const samples = screen.getByRole('spinbutton', { name: 'Samples per pane (n)' });
    // Below its min the browser's own validation holds the form back.
    await user.type(samples, '0');
    await submit();
    expect(samples).toBeInvalid();
    expect(onSweep).not.toHaveBeenCalled();

    await user.clear(samples);
    await user.type(samples, '3');
    await submit();
    expect(onSweep).toHaveBeenCalledExactlyOnceWith({
      model: 'gpt-4o-mini',
      key: 'temperature',
      values: [0, 0.7, 1.4],
      n: 3,
    });
  });

  it('sweeps another parameter: seed', async () => {
    const { onSweep, values, submit, user } = renderSweep();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sweep parameter' }), 'seed');
    expect(screen.getByRole('combobox', { name: 'Sweep parameter' })).toHaveDisplayValue(
      'Seed (seed)',
    );
    await user.clear(values);
    await user.type(values, '1, 2, 42');
    await submit();
    expect(onSweep).toHaveBeenCalledExactlyOnceWith({
      model: 'gpt-4o-mini',
      key: 'seed',
      values: [1, 2, 42],
    });
  });
});

// ---------------------------------------------------------------------------
// CompareView and its panes

describe('CompareView panes', () => {
  it('Fork from here on a pane answer names that pane and that message', async () => {
    const s = setup();
    const onFork = vi.fn();
    renderWithModels(CompareView, { compare: s.compare, onFork });
    await answerBoth(s);
    const user = userEvent.setup();
    const answer2 = within(pane('Pane 2')).getByRole('article', { name: 'Assistant message' });
    await user.click(within(answer2).getByRole('button', { name: 'Fork from here' }));
    const p2 = s.compare.panes[1]!;
    const answered = p2.session.messages.at(-1)!;
    expect(answered.content).toBe('Three');
    expect(onFork).toHaveBeenCalledWith(p2.id, answered.id);
  });

  it('shows one region per pane with its own model', () => {
    renderCompare();
    expect(within(pane('Pane 1')).getByRole('combobox', { name: 'Model' })).toHaveValue('gpt-4');
    expect(within(pane('Pane 2')).getByRole('combobox', { name: 'Model' })).toHaveValue(
      'gpt-3.5-turbo',
    );
    expect(
      within(pane('Pane 1')).getByRole('group', { name: 'Overrides of Pane 1' }),
    ).toHaveTextContent('Same setup as the shared one');
  });

  it('typing a model into a pane changes that pane only', async () => {
    const { compare, user } = renderCompare();
    const picker = within(pane('Pane 2')).getByRole('combobox', { name: 'Model' });
    await user.clear(picker);
    await user.type(picker, 'gpt-4o');
    expect(compare.panes.map((p) => p.model)).toEqual(['gpt-4', 'gpt-4o']);
  });

  it('a parameter changed in one pane becomes an override chip that resets to the shared value', async () => {
    const { compare, user } = renderCompare();
    const two = pane('Pane 2');
    await user.click(within(two).getByRole('button', { name: 'Change overrides of Pane 2' }));
    await user.selectOptions(
      within(two).getByRole('combobox', { name: 'Override a parameter in Pane 2' }),
      'Temperature',
    );
    const temperature = within(two).getByRole('spinbutton', { name: 'Temperature' });
    expect(temperature).toHaveFocus();
    await user.clear(temperature);
    await user.type(temperature, '0.3');

    const chips = within(two).getByRole('group', { name: 'Overrides of Pane 2' });
    expect(within(chips).getByText('temperature 0.3')).toBeInTheDocument();
    expect(compare.panes[1]!.params.temperature).toBe(0.3);
    // Pane 1 still follows the shared parameters.
    expect(
      within(pane('Pane 1')).getByRole('group', { name: 'Overrides of Pane 1' }),
    ).not.toHaveTextContent('temperature');
    expect(compare.panes[0]!.params).not.toHaveProperty('temperature');

    await user.click(
      within(chips).getByRole('button', {
        name: 'Reset temperature in Pane 2 to the shared value',
      }),
    );
    expect(within(chips).queryByText('temperature 0.3')).toBeNull();
    expect(compare.panes[1]!.overrides).toEqual({});
    expect(within(two).getByRole('checkbox', { name: 'Set Temperature' })).not.toBeChecked();
  });

  it('"Add pane" adds Pane 3 with the last pane model', async () => {
    const { user } = renderCompare();
    await user.click(screen.getByRole('button', { name: 'Add pane' }));
    expect(within(pane('Pane 3')).getByRole('combobox', { name: 'Model' })).toHaveValue(
      'gpt-3.5-turbo',
    );
  });

  it('"Add pane" is disabled at eight panes', async () => {
    const { compare, user } = renderCompare();
    const add = screen.getByRole('button', { name: 'Add pane' });
    while (compare.panes.length < 8) await user.click(add);
    expect(pane('Pane 8')).toBeInTheDocument();
    expect(add).toBeDisabled();
  });

  it('removing a pane can be undone', async () => {
    const { user } = renderCompare();
    await user.click(screen.getByRole('button', { name: 'Remove Pane 2' }));
    expect(queryPane('Pane 2')).toBeNull();
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Removed Pane 2 (gpt-3.5-turbo).');
    // The last pane stays.
    expect(screen.getByRole('button', { name: 'Remove Pane 1' })).toBeDisabled();

    await user.click(within(status).getByRole('button', { name: 'Undo' }));
    expect(within(pane('Pane 2')).getByRole('combobox', { name: 'Model' })).toHaveValue(
      'gpt-3.5-turbo',
    );
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('"Use this answer" makes the pane thread the shared history and offers to leave with its model', async () => {
    const s = renderCompare();
    await answerBoth(s);
    const two = pane('Pane 2');
    const article = within(two).getByRole('article', { name: 'Assistant message' });
    expect(article).toHaveTextContent('Three');

    await s.user.click(within(article).getByRole('button', { name: 'Use this answer' }));
    expect(s.shared.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Three'],
    ]);
    // Every linked pane starts afresh from the new shared history.
    expect(within(pane('Pane 1')).queryByRole('article')).toBeNull();
    expect(within(pane('Pane 2')).queryByRole('article')).toBeNull();
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent("Pane 2's answer is now the shared history.");

    await s.user.click(
      within(status).getByRole('button', { name: 'Leave compare with gpt-3.5-turbo' }),
    );
    expect(s.compare.active).toBe(false);
    expect(s.shared.model).toBe('gpt-3.5-turbo');
  });

  it('Undo after "Use this answer" brings back both panes\' answers', async () => {
    const s = renderCompare();
    await answerBoth(s);
    await s.user.click(within(pane('Pane 1')).getByRole('button', { name: 'Use this answer' }));
    expect(s.shared.messages.map((m) => m.content)).toEqual(['Hello', 'Four']);
    await s.user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(s.shared.messages).toEqual([]);
    expect(
      within(pane('Pane 1')).getByRole('article', { name: 'Assistant message' }),
    ).toHaveTextContent('Four');
    expect(
      within(pane('Pane 2')).getByRole('article', { name: 'Assistant message' }),
    ).toHaveTextContent('Three');
  });

  it('shows the summary once the panes have answered', async () => {
    const s = renderCompare();
    expect(screen.queryByRole('region', { name: 'Last turn summary' })).toBeNull();
    await answerBoth(s);
    const summary = screen.getByRole('region', { name: 'Last turn summary' });
    expect(within(summary).getByRole('row', { name: /^Pane 1 gpt-4 / })).toBeInTheDocument();
    expect(
      within(summary).getByRole('row', { name: /^Pane 2 gpt-3\.5-turbo / }),
    ).toBeInTheDocument();
  });

  it('a sweep from the toolbar replaces the panes with labelled ones', async () => {
    const { compare, user } = renderCompare();
    await user.click(screen.getByText('Sweep', { selector: 'summary' }));
    await user.click(screen.getByRole('button', { name: 'Make panes' }));
    expect(compare.panes.map((p) => [p.model, p.overrides])).toEqual([
      ['gpt-4', { temperature: 0 }],
      ['gpt-4', { temperature: 0.7 }],
      ['gpt-4', { temperature: 1.4 }],
    ]);
    const heading = within(pane('Pane 3')).getByRole('heading');
    expect(heading).toHaveTextContent('Pane 3 · Temperature 1.4');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Replaced 2 panes with a sweep of temperature.',
    );
  });

  it('while a pane answers, no pane offers "Use this answer"', async () => {
    const s = renderCompare();
    s.shared.draft = 'Hello';
    const sent = s.compare.send();
    s.answer('gpt-3.5-turbo', 'Three');
    await vi.waitFor(() =>
      expect(
        within(pane('Pane 2')).getByRole('article', { name: 'Assistant message' }),
      ).toHaveTextContent('Three'),
    );
    expect(screen.queryByRole('button', { name: 'Use this answer' })).toBeNull();
    s.answer('gpt-4', 'Four');
    await sent;
    await vi.waitFor(() =>
      expect(screen.getAllByRole('button', { name: 'Use this answer' })).toHaveLength(2),
    );
  });
});

describe('CompareView phone tabs', () => {
  it('lists the panes as tabs; the arrow keys move selection and focus', async () => {
    const { user } = renderCompare();
    const list = screen.getByRole('tablist', { name: 'Panes' });
    const tabs = within(list).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Pane 1', 'Pane 2']);
    expect(tabs[0]).toHaveAttribute('aria-selected', 'true');
    expect(tabs[1]).toHaveAttribute('aria-selected', 'false');

    tabs[0]!.focus();
    await user.keyboard('{ArrowRight}');
    expect(tabs[1]).toHaveAttribute('aria-selected', 'true');
    expect(tabs[0]).toHaveAttribute('aria-selected', 'false');
    expect(tabs[1]).toHaveFocus();
    expect(tabs[1]).toHaveAttribute('tabindex', '0');
    expect(tabs[0]).toHaveAttribute('tabindex', '-1');

    // Past the last tab it wraps round to the first.
    await user.keyboard('{ArrowRight}');
    expect(tabs[0]).toHaveAttribute('aria-selected', 'true');
    expect(tabs[0]).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(tabs[1]).toHaveFocus();
  });

  it('after a pane is removed the arrow keys still reach every tab', async () => {
    const { user } = renderCompare();
    await user.click(screen.getByRole('button', { name: 'Add pane' }));
    await user.click(screen.getByRole('button', { name: 'Remove Pane 2' }));
    const tabs = within(screen.getByRole('tablist', { name: 'Panes' })).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Pane 1', 'Pane 2']);
    // Removing Pane 2 selects the pane before it.
    expect(tabs[0]).toHaveAttribute('aria-selected', 'true');
    tabs[0]!.focus();
    await user.keyboard('{ArrowRight}');
    expect(tabs[1]).toHaveFocus();
    expect(tabs[1]).toHaveAttribute('aria-selected', 'true');
  });

  it('each tab controls its pane', () => {
    renderCompare();
    const tabs = within(screen.getByRole('tablist', { name: 'Panes' })).getAllByRole('tab');
    const controlled = document.getElementById(tabs[1]!.getAttribute('aria-controls')!);
    expect(controlled).toContainElement(pane('Pane 2'));
  });
});

// ---------------------------------------------------------------------------
// ChatPane in compare mode: the one composer

function renderChatPane() {
  const s = setup();
  const children = createRawSnippet(() => ({
    render: () => '<div data-testid="compare-grid">the panes</div>',
  }));
  render(ChatPane, { session: s.shared, compare: s.compare, children });
  return { ...s, user: userEvent.setup() };
}

describe('ChatPane in compare mode', () => {
  it('shows the compare panes above the composer', () => {
    renderChatPane();
    expect(screen.getByTestId('compare-grid')).toHaveTextContent('the panes');
  });

  it('one Send sends the draft to every pane at once', async () => {
    const { calls, answer, shared, user } = renderChatPane();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(calls.map((c) => c.req.body.model)).toEqual(['gpt-4', 'gpt-3.5-turbo']);
    for (const c of calls) {
      expect(c.req.body.messages).toEqual([{ role: 'user', content: 'Hello' }]);
    }
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('');

    answer('gpt-4', 'Four');
    answer('gpt-3.5-turbo', 'Three');
    await vi.waitFor(() => expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull());
    // The answers stay in the panes; the shared history is untouched.
    expect(shared.messages).toEqual([]);
  });

  it('while a pane answers, Send is disabled and Stop shows', async () => {
    const { calls, answer, user } = renderChatPane();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    // One pane is done; the other still answers.
    answer('gpt-3.5-turbo', 'Three');
    await new Promise((r) => setTimeout(r, 0));
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Next');
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
    expect(calls).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(calls[0]!.req.signal.aborted).toBe(true);
    calls[0]!.resolve({ answer: answerState('Fo', null), outcome: 'stopped', timing });
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Send' })).not.toBeDisabled());
  });

  it('the message box stays the same box, caret and all, when compare mode goes off and on', async () => {
    const { compare, user } = renderChatPane();
    const box = screen.getByRole('textbox', { name: 'Message' });
    await user.type(box, 'Half a thought');
    (box as HTMLTextAreaElement).setSelectionRange(4, 4);
    compare.leave();
    await vi.waitFor(() => expect(screen.queryByTestId('compare-grid')).toBeNull());
    expect(screen.getByRole('textbox', { name: 'Message' })).toBe(box);
    compare.start();
    await vi.waitFor(() => expect(screen.getByTestId('compare-grid')).toBeInTheDocument());
    expect(screen.getByRole('textbox', { name: 'Message' })).toBe(box);
    expect(box).toHaveValue('Half a thought');
    expect((box as HTMLTextAreaElement).selectionStart).toBe(4);
  });

  it('the global Stop aborts every pane request', async () => {
    const { calls, user } = renderChatPane();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(calls.map((c) => c.req.signal.aborted)).toEqual([false, false]);
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(calls.map((c) => c.req.signal.aborted)).toEqual([true, true]);
    for (const c of calls) {
      c.resolve({ answer: answerState('part', null), outcome: 'stopped', timing });
    }
    await vi.waitFor(() => expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull());
  });

  it('with compare and the panes rendered, a pane Stop stops that pane only', async () => {
    const s = setup();
    render(ChatPane, {
      session: s.shared,
      compare: s.compare,
      children: createRawSnippet(() => ({ render: () => '<div></div>' })),
    });
    renderWithModels(CompareView, { compare: s.compare });
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByText('2 of 2 panes answering · Esc stops all')).toBeInTheDocument();
    await user.click(within(pane('Pane 2')).getByRole('button', { name: 'Stop Pane 2' }));
    expect(s.callFor('gpt-3.5-turbo').req.signal.aborted).toBe(true);
    expect(s.callFor('gpt-4').req.signal.aborted).toBe(false);
    s.callFor('gpt-3.5-turbo').resolve({
      answer: answerState('Thr', null, { model: 'gpt-3.5-turbo' }),
      outcome: 'stopped',
      timing,
    });
    await vi.waitFor(() =>
      expect(screen.getByText('1 of 2 panes answering · Esc stops all')).toBeInTheDocument(),
    );
    expect(pane('Pane 1')).toHaveAttribute('aria-busy', 'true');
    expect(pane('Pane 2')).toHaveAttribute('aria-busy', 'false');
    s.answer('gpt-4', 'Four');
    await vi.waitFor(() => expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull());
  });
});
