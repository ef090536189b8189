// The Tools and JSON schema editors open large in a dialog: the same CodeMirror
// editor moves there and back, so its text, cursor and undo history carry over,
// and only one textbox has the editor's name at any time.

import { isolateHistory } from '@codemirror/commands';
import { EditorView } from '@codemirror/view';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import ResponseFormat from '../../src/components/params/ResponseFormat.svelte';
import ToolsPanel from '../../src/components/tools/ToolsPanel.svelte';
import { createConversation } from '../../src/lib/model/conversation';
import type { ResponseFormat as Format } from '../../src/lib/model/types';
import { ChatSession } from '../../src/lib/state/chat-session.svelte';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  // jsdom lays nothing out; CodeMirror measures text ranges once it has focus.
  const rects = Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getClientRects ??= () => rects;
  Range.prototype.getBoundingClientRect ??= () => new DOMRect();
});

function session() {
  return new ChatSession(createConversation({ model: 'gpt-4o' }), {
    config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
    idleTimeoutMs: () => 60_000,
  });
}

/** One edit as the user's typing, its own undo step. */
function type(view: EditorView, at: number, text: string) {
  view.dispatch({
    changes: { from: at, insert: text },
    selection: { anchor: at + text.length },
    userEvent: 'input.type',
    annotations: isolateHistory.of('full'),
  });
}

const toolsEditors = () => screen.getAllByRole('textbox', { name: 'Tools JSON' });

describe('the large editor', () => {
  it('Tools: the same document, with its undo history, in a dialog and back', async () => {
    const s = session();
    render(ToolsPanel, { session: s });
    const user = userEvent.setup();
    const inColumn = await screen.findByRole('textbox', { name: 'Tools JSON' });
    const view = EditorView.findFromDOM(inColumn)!;
    type(view, 0, '[]');
    expect(s.tools.json).toBe('[]');

    const opener = screen.getByRole('button', { name: 'Open large Tools editor' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Tools' });
    const large = within(dialog).getByRole('textbox', { name: 'Tools JSON' });
    expect(toolsEditors()).toEqual([large]);
    expect(EditorView.findFromDOM(large)).toBe(view);
    expect(large).toHaveTextContent('[]');
    // The column's status travels along, and describes the editor there.
    expect(within(dialog).getByText('An empty list: no tools are sent.')).toBeVisible();
    expect(large).toHaveAccessibleDescription('An empty list: no tools are sent.');
    await waitFor(() => expect(large).toHaveFocus());

    type(view, 1, '{}');
    expect(s.tools.json).toBe('[{}]');
    // Undo reaches back past the opening, to the edit made in the column.
    await user.keyboard('{Control>}z{/Control}');
    expect(s.tools.json).toBe('[]');
    await user.keyboard('{Control>}z{/Control}');
    expect(s.tools.json).toBe('');
    await user.keyboard('{Control>}y{/Control}');
    expect(s.tools.json).toBe('[]');

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    const back = toolsEditors();
    expect(back).toHaveLength(1);
    expect(EditorView.findFromDOM(back[0]!)).toBe(view);
    expect(back[0]).toHaveTextContent('[]');
    expect(opener).toHaveFocus();
    // Still the same history in the column.
    view.focus();
    await user.keyboard('{Control>}y{/Control}');
    expect(s.tools.json).toBe('[{}]');
  });

  it('Escape closes it, and an edit from outside while it is open shows there', async () => {
    const s = session();
    render(ToolsPanel, { session: s });
    const user = userEvent.setup();
    await screen.findByRole('textbox', { name: 'Tools JSON' });
    await user.click(screen.getByRole('button', { name: 'Open large Tools editor' }));
    const dialog = screen.getByRole('dialog', { name: 'Tools' });
    s.tools = { json: '[{"type": "function"}]', format: 'tools' };
    await waitFor(() =>
      expect(within(dialog).getByRole('textbox', { name: 'Tools JSON' })).toHaveTextContent(
        '[{"type": "function"}]',
      ),
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(toolsEditors()).toHaveLength(1);
  });

  it('JSON schema: opens large, says what is wrong there, and keeps the text', async () => {
    let value: Format | undefined = {
      type: 'json_schema',
      json_schema: { name: 'answer', strict: true, schema: { type: 'object' } },
    };
    const { rerender } = render(ResponseFormat, {
      value,
      onChange: (v: Format | undefined) => (value = v),
      onIssue: () => {},
    });
    const user = userEvent.setup();
    const inColumn = await screen.findByRole('textbox', { name: 'JSON schema' });
    const view = EditorView.findFromDOM(inColumn)!;
    await user.click(screen.getByRole('button', { name: 'Open large schema editor' }));
    const dialog = screen.getByRole('dialog', { name: 'JSON schema' });
    const large = within(dialog).getByRole('textbox', { name: 'JSON schema' });
    expect(EditorView.findFromDOM(large)).toBe(view);

    type(view, view.state.doc.length, ',');
    const issue = await within(dialog).findByText(/The JSON schema is not valid JSON/);
    expect(large).toHaveAccessibleDescription(issue.textContent!);
    // Fixed in the large editor: the schema is taken, and the issue goes.
    view.dispatch({ changes: { from: view.state.doc.length - 1, to: view.state.doc.length } });
    await rerender({ value });
    await waitFor(() => expect(within(dialog).queryByText(/not valid JSON/)).toBeNull());
    type(view, view.state.doc.length - 1, ', "required": []');
    await rerender({ value });
    expect(value).toMatchObject({ json_schema: { schema: { type: 'object', required: [] } } });

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    const editors = screen.getAllByRole('textbox', { name: 'JSON schema' });
    expect(editors).toHaveLength(1);
    expect(editors[0]).toHaveTextContent('"required": []');
  });
});
