// The JSON editors' linter in a mounted CodeMirror: syntax errors and a second source
// (the tools checker) show and go; a second source can be swapped while the editor
// lives; and an editor with nothing to show is never updated by its linter (that
// update measured the page once after mounting, which on a fresh page fell on the
// first Send, and after every pause in typing).
import { diagnosticCount, forEachDiagnostic, type Diagnostic } from '@codemirror/lint';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  mountJsonEditor,
  type JsonEditorHandle,
  type LintSource,
} from '../../src/lib/editor/json-editor';

/** Past the linter's pause (300 ms), its run and the async source it awaits. */
async function afterLintPause() {
  await vi.advanceTimersByTimeAsync(400);
}

const messages = (h: JsonEditorHandle) => {
  const found: string[] = [];
  forEachDiagnostic(h.view.state, (d) => found.push(d.message));
  return found;
};

const flagFirst =
  (message: string): LintSource =>
  () => [{ from: 0, to: 1, severity: 'error', message } satisfies Diagnostic];

let editors: JsonEditorHandle[] = [];
function mount(doc: string, lint?: LintSource, whenIdle?: (run: () => void) => void) {
  const host = document.createElement('div');
  document.body.append(host);
  const editor = mountJsonEditor(host, { doc, label: 'JSON', lint, whenIdle, onChange: () => {} });
  editors.push(editor);
  return editor;
}

beforeAll(() => {
  // jsdom lays nothing out; CodeMirror measures text ranges to draw its selection.
  const rects = Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getClientRects ??= () => rects;
  Range.prototype.getBoundingClientRect ??= () => new DOMRect();
});
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const e of editors) e.destroy();
  editors = [];
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe('the JSON editor linter', () => {
  it.each([
    ['empty', ''],
    ['valid JSON', '{"a": [1, 2]}'],
  ])('leaves an editor with nothing to show alone (%s)', async (_, doc) => {
    const editor = mount(doc, () => []);
    const before = editor.view.state;
    await afterLintPause();
    // No transaction at all: CodeMirror had nothing to draw and was not asked to.
    expect(editor.view.state).toBe(before);
  });

  it('shows a syntax error, and takes it away once the text is fixed', async () => {
    const editor = mount('{"a": ');
    await afterLintPause();
    expect(diagnosticCount(editor.view.state)).toBe(1);

    editor.setDoc('{"a": 1}');
    await afterLintPause();
    expect(diagnosticCount(editor.view.state)).toBe(0);

    // Emptied after an error: the error goes too (an empty editor means "nothing here").
    editor.setDoc('{');
    await afterLintPause();
    expect(diagnosticCount(editor.view.state)).toBe(1);
    editor.setDoc('');
    await afterLintPause();
    expect(diagnosticCount(editor.view.state)).toBe(0);
  });

  it('marks a syntax error where it is, in the words of the status line', async () => {
    const doc = '[\n  {"type": "function"},\n]';
    const editor = mount(doc);
    await afterLintPause();
    const found: Diagnostic[] = [];
    forEachDiagnostic(editor.view.state, (d) => found.push(d));
    const comma = doc.lastIndexOf(',');
    expect(found.map((d) => [d.from, d.to, d.message])).toEqual([
      [comma, comma + 1, 'Trailing comma: remove the comma before ].'],
    ]);
  });

  it('lints again with a new second source, without waiting for an edit', async () => {
    const editor = mount('[1]');
    await afterLintPause();
    expect(messages(editor)).toEqual([]);

    editor.setLint(flagFirst('tool 1 has no name'));
    await afterLintPause();
    expect(messages(editor)).toEqual(['tool 1 has no name']);

    editor.setLint(flagFirst('tool 1 has no type'));
    await afterLintPause();
    expect(messages(editor)).toEqual(['tool 1 has no type']);

    editor.setLint(undefined);
    await afterLintPause();
    expect(messages(editor)).toEqual([]);
  });

  it('checks only once the page is idle, never in the middle of its work', async () => {
    const waiting: (() => void)[] = [];
    const editor = mount('{"a": ', undefined, (run) => waiting.push(run));
    await afterLintPause();
    // The pause is over, but the page is busy (a stream, the first Send): not yet.
    expect(waiting).toHaveLength(1);
    expect(diagnosticCount(editor.view.state)).toBe(0);
    waiting.shift()!();
    await afterLintPause();
    expect(messages(editor)).toEqual(['Unexpected end of text: expected a value.']);
  });

  it('shows a syntax error and the second source’s findings together', async () => {
    const editor = mount('[1,', flagFirst('checked'));
    await afterLintPause();
    // In the order of the document: the second source flags the first character.
    expect(messages(editor)).toEqual(['checked', 'Unexpected end of text: expected a value.']);
  });
});
