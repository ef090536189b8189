import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import MessageView from '../../src/components/MessageView.svelte';
import type { Message } from '../../src/lib/model/types';
import { loadRenderer } from '../../src/lib/render';

// Answers are shown rendered: the renderer has loaded (render-lazy.test.ts covers before).
beforeAll(() => loadRenderer());

const answer: Message = {
  id: 'a1',
  role: 'assistant',
  content: 'Hello **there**',
  status: 'done',
  finishReason: 'stop',
  usage: { prompt: 12, completion: 5, total: 17 },
  timing: { startedAt: 1000, firstTokenAt: 1300, endedAt: 2300 },
};

function setup(message: Message, extra: Record<string, unknown> = {}) {
  const onEdit = vi.fn();
  const onDelete = vi.fn();
  const onRegenerate = vi.fn();
  render(MessageView, { message, onEdit, onDelete, onRegenerate, ...extra });
  return { onEdit, onDelete, onRegenerate, user: userEvent.setup() };
}

describe('MessageView', () => {
  it('is an article named by its role and shows usage with its numbers', async () => {
    setup(answer);
    const article = screen.getByRole('article', { name: 'Assistant message' });
    const usage = within(article).getByLabelText('Usage');
    expect(usage).toHaveTextContent(/Prompt\s*12/);
    expect(usage).toHaveTextContent(/Completion\s*5/);
    expect(usage).toHaveTextContent(/Total\s*17/);
    expect((await within(article).findByText('there')).tagName).toBe('STRONG');
  });

  it('says when the provider reported no usage instead of inventing numbers', () => {
    setup({ ...answer, usage: null });
    const article = screen.getByRole('article', { name: 'Assistant message' });
    expect(within(article).getByText('No token usage reported by the provider.')).toBeVisible();
    expect(within(article).queryByText(/Prompt/)).toBeNull();
  });

  it('marks a stopped answer as partial and explains finish_reason length', () => {
    setup({ ...answer, id: 'a2', status: 'stopped', usage: null });
    expect(screen.getByText(/Stopped: this answer is partial/)).toBeVisible();
  });

  it('says how many parts of an answer were dropped for an impossible index', () => {
    setup({ ...answer, ignored: 3 });
    expect(
      screen.getByText(
        'Ignored 3 parts of this answer sent with a choice or tool call index above 127, which no request can produce.',
      ),
    ).toBeVisible();
  });

  it('explains finish_reason length', () => {
    setup({ ...answer, finishReason: 'length' });
    expect(screen.getByText(/reached the max tokens limit/)).toBeVisible();
  });

  it('edits live: typing calls onEdit with the new text, role can change', async () => {
    const { user, onEdit } = setup({ id: 'u1', role: 'user', content: 'Hi' });
    await user.click(screen.getByRole('button', { name: 'Edit' }));
    const box = screen.getByRole('textbox', { name: 'Edit user message' });
    expect(box).toHaveFocus();
    await user.type(box, '!');
    expect(onEdit).toHaveBeenLastCalledWith({ content: 'Hi!' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role' }), 'System');
    expect(onEdit).toHaveBeenLastCalledWith({ role: 'system' });
    await user.click(box);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Edit user message' })).toBeNull();
  });

  it('deletes', async () => {
    const { user, onDelete } = setup({ id: 'u1', role: 'user', content: 'Hi' });
    await user.click(screen.getByRole('button', { name: 'Delete user message' }));
    expect(onDelete).toHaveBeenCalledOnce();
  });

  it('offers Regenerate only when allowed', async () => {
    const first = setup(answer, { canRegenerate: true });
    await first.user.click(screen.getByRole('button', { name: 'Regenerate' }));
    expect(first.onRegenerate).toHaveBeenCalledOnce();
  });

  it('shows the raw markdown source on request', async () => {
    const { user } = setup(answer);
    await user.click(screen.getByRole('button', { name: 'Raw text' }));
    expect(screen.getByText('Hello **there**')).toBeVisible();
  });

  it('shows user text as text, never as HTML', () => {
    setup({ id: 'u1', role: 'user', content: '<img src=x onerror="alert(1)"> **hi**' });
    const article = screen.getByRole('article', { name: 'User message' });
    expect(article.querySelector('img')).toBeNull();
    expect(article).toHaveTextContent('<img src=x onerror="alert(1)"> **hi**');
  });
});

describe('tool calls and results', () => {
  const calls: Message = {
    id: 'a2',
    role: 'assistant',
    content: '',
    status: 'done',
    finishReason: 'length',
    usage: { prompt: 80, completion: 5, total: 85 },
    toolCalls: [
      { id: 'call_1', type: 'function', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { id: 'call_2', type: 'function', name: 'get_time', arguments: '{"zone": "Eur' },
    ],
  };

  it('shows each call as a group with its arguments pretty, or raw with why', async () => {
    const onAddResults = vi.fn();
    const { user } = setup(calls, {
      slots: [{ call: calls.toolCalls![0], result: { id: 't', role: 'tool', content: 'x' } }],
      onAddResults,
    });
    const weather = screen.getByRole('group', { name: 'Tool call get_weather' });
    expect(within(weather).getByLabelText('Arguments').textContent).toBe('{\n  "city": "Oslo"\n}');
    expect(within(weather).queryByText('No result for this call.')).toBeNull();
    const time = screen.getByRole('group', { name: 'Tool call get_time' });
    expect(within(time).getByLabelText('Arguments').textContent).toBe('{"zone": "Eur');
    expect(within(time).getByText(/not valid JSON/)).toBeVisible();
    // The second call has no result box: one click adds them.
    await user.click(within(time).getByRole('button', { name: 'Add result box' }));
    expect(onAddResults).toHaveBeenCalledOnce();
  });

  it('a tool message is a result box named after its function; Ctrl+Enter sends', async () => {
    const result: Message = {
      id: 't1',
      role: 'tool',
      content: '',
      toolCallId: 'call_1',
      name: 'get_weather',
    };
    const onSend = vi.fn();
    const { onEdit, user } = setup(result, { answers: calls.toolCalls![0], onSend });
    const article = screen.getByRole('article', { name: 'Tool message' });
    const box = within(article).getByRole('textbox', { name: 'Result for get_weather' });
    expect(within(article).getByText('call_1')).toBeVisible();
    await user.type(box, '2');
    expect(onEdit).toHaveBeenLastCalledWith({ content: '2' });
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSend).toHaveBeenCalledOnce();
  });

  it('warns when a result answers no call', () => {
    setup({ id: 't2', role: 'tool', content: '5', toolCallId: 'call_9', name: 'f' }, {});
    expect(screen.getByText(/answers no tool call/)).toBeVisible();
  });
});

describe('what an answer of today carries', () => {
  it('reasoning apart, closed, with its token count; sources as links, only web ones live', async () => {
    setup({
      ...answer,
      reasoning: 'First, consider the otters.',
      usage: { prompt: 12, completion: 50, total: 62, reasoning: 45 },
      citations: [
        { url: 'https://example.org/otters', title: 'Sea otters' },
        { url: 'https://example.org/otters', title: 'Sea otters again' },
        { url: 'javascript:alert(1)', title: 'Click me' },
        { url: 'https://plain.example/page', title: '' },
      ],
    });
    const article = screen.getByRole('article', { name: 'Assistant message' });
    const reasoning = within(article).getByRole('group', { name: 'Reasoning' });
    expect(reasoning).not.toHaveAttribute('open');
    expect(reasoning).toHaveTextContent('Reasoning · 45 tokens');
    const sources = await within(article).findByRole('navigation', { name: 'Sources' });
    const links = within(sources).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Sea otters', 'https://example.org/otters'],
      ['plain.example', 'https://plain.example/page'],
    ]);
    for (const a of links) expect(a).toHaveAttribute('rel', 'noopener noreferrer');
    expect(within(sources).getByText('Click me')).toBeVisible();
    expect(sources.querySelector('[href^="javascript"]')).toBeNull();
  });
});

describe('usage of today', () => {
  it('the cached share of the prompt', () => {
    setup({ ...answer, usage: { prompt: 200, completion: 5, total: 205, cachedPrompt: 150 } });
    expect(screen.getByLabelText('Usage')).toHaveTextContent(
      /Cached\s*150\s*\(75 % of the prompt\)/,
    );
  });
});
