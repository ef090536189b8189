// The one way Parley mounts a CodeMirror JSON editor. One EditorState per
// document keeps undo history; outside changes are applied as transactions.
// Syntax errors come from the app's own JSON parser (model/json/syntax.ts);
// an extra lint source (schema checks) and key/value completions are read
// through the editor's handle, so swapping one reconfigures nothing.

import { json } from '@codemirror/lang-json';
import { prettyJson } from '../model/json';
import { firstJsonSyntaxError } from '../model/json/syntax';
import { diagnosticCount, linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import {
  Annotation,
  Compartment,
  EditorState,
  StateEffect,
  type Extension,
} from '@codemirror/state';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, isolateHistory } from '@codemirror/commands';
import { bracketMatching, foldGutter, foldKeymap, indentOnInput } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { completionExtension, type CompleteSource } from './json-completion';
import { editorTheme } from './theme';

export type { Diagnostic };
export type LintSource = (view: EditorView) => Diagnostic[] | Promise<Diagnostic[]>;

export interface JsonEditorOptions {
  doc: string;
  /** Accessible name of the editable content (role textbox). */
  label: string;
  onChange: (text: string) => void;
  /** A second lint source, run after the JSON syntax check; both are shown together. */
  lint?: LintSource;
  /** Key and value suggestions (typing, or Ctrl-Space). */
  complete?: CompleteSource;
  /**
   * Runs its callback once the page is idle: each lint waits for it, so that
   * checking never takes a frame from what the page is doing (an answer
   * streaming, the first Send). Without it, lints run on CodeMirror's pause.
   */
  whenIdle?: (run: () => void) => unknown;
}

export interface JsonEditorHandle {
  readonly view: EditorView;
  /** Replaces the text when it differs (an outside change); undo still works. */
  setDoc(text: string): void;
  setLint(lint: LintSource | undefined): void;
  setComplete(complete: CompleteSource | undefined): void;
  /** Pretty-prints the JSON (one undoable edit); false when it does not parse. */
  format(): boolean;
  destroy(): void;
}

/** Marks changes that came from outside (setDoc), so they are not echoed back. */
const External = Annotation.define<boolean>();

// ---------------------------------------------------------------------------
// Formatting

/**
 * `text` pretty-printed with two-space indentation, values as typed, or null
 * when it is not JSON. The same formatter as the Tools panel's Format button.
 */
export const formatJsonDoc = prettyJson;

/**
 * Pretty-prints the document as one user edit (its own undo step, reported
 * through onChange). Does nothing and returns false when the text does not parse.
 */
export function formatJson(view: EditorView): boolean {
  const text = view.state.doc.toString();
  const formatted = formatJsonDoc(text);
  if (formatted === null) return false;
  if (formatted === text) return true;
  // Only the differing middle is replaced, so a cursor in an unchanged
  // stretch (usually the start) stays where it was.
  let start = 0;
  const max = Math.min(text.length, formatted.length);
  while (start < max && text.charCodeAt(start) === formatted.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    text.charCodeAt(text.length - 1 - end) === formatted.charCodeAt(formatted.length - 1 - end)
  ) {
    end++;
  }
  view.dispatch({
    changes: {
      from: start,
      to: text.length - end,
      insert: formatted.slice(start, formatted.length - end),
    },
    userEvent: 'input.format',
    annotations: isolateHistory.of('full'),
    scrollIntoView: true,
  });
  return true;
}

// ---------------------------------------------------------------------------
// The editor

// The `codemirror` package in node_modules is the CodeMirror 5 line (6.65.x),
// so the setup is assembled from the @codemirror packages. Tab is not bound
// (no indentWithTab): it moves focus on, so keyboard users are never stuck.
const setup: Extension = [
  lineNumbers(),
  foldGutter(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  indentOnInput(),
  editorTheme,
  bracketMatching(),
  closeBrackets(),
  highlightActiveLine(),
  keymap.of([
    { key: 'Shift-Alt-f', run: formatJson },
    ...closeBracketsKeymap,
    ...defaultKeymap,
    ...historyKeymap,
    ...foldKeymap,
    ...lintKeymap,
  ]),
];

/**
 * A syntax error where it is and in the words the editor's status line uses
 * (model/json/syntax.ts). CodeMirror's own JSON linter reads the place out of
 * the browser's JSON.parse message, which Chromium no longer gives for some
 * errors (a trailing comma): it then marked the document's first character.
 */
function syntaxLint(view: EditorView): Diagnostic[] {
  const error = firstJsonSyntaxError(view.state.doc.toString());
  return error
    ? [{ from: error.from, to: error.to, severity: 'error', message: error.message }]
    : [];
}

/** Asks the editor's linter to run again (its second source changed). */
const relint = StateEffect.define<null>();

/** Never settles: the linter then has nothing to hand CodeMirror (see jsonLinter). */
const nothingNew = new Promise<Diagnostic[]>(() => {});

/**
 * The editor's one linter: syntax errors first, at their exact position, then
 * what `extra()` (the second source, which may change) finds. An empty editor
 * means "nothing here" (no extra parameters), not a syntax error. When there
 * is nothing to show and nothing shown, CodeMirror is handed nothing: its
 * linter would otherwise update the editor (and measure the page) after every
 * pause in typing and once after mounting, to draw no change, which on a
 * fresh page lands on the first Send.
 */
function jsonLinter(
  extra: () => LintSource | undefined,
  whenIdle: JsonEditorOptions['whenIdle'],
): Extension {
  return linter(
    async (view) => {
      if (whenIdle) await new Promise<void>((resolve) => whenIdle(resolve));
      const empty = view.state.doc.toString().trim() === '';
      const second = extra();
      const found = empty ? [] : [...syntaxLint(view), ...(second ? await second(view) : [])];
      return found.length === 0 && diagnosticCount(view.state) === 0 ? nothingNew : found;
    },
    {
      delay: 300,
      needsRefresh: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(relint))),
    },
  );
}

export function mountJsonEditor(parent: HTMLElement, options: JsonEditorOptions): JsonEditorHandle {
  // The second lint source and the completions are read through these, so
  // that a new one (the tools checker or suggestions arriving) changes no
  // configuration: a reconfiguration recomputes the whole editor state.
  let lint = options.lint;
  let complete = options.complete;
  const completion = new Compartment();
  const completionFor = (on: boolean): Extension =>
    on ? completionExtension((...args) => complete?.(...args) ?? []) : [];
  const state = EditorState.create({
    doc: options.doc,
    extensions: [
      setup,
      json(),
      jsonLinter(() => lint, options.whenIdle),
      lintGutter(),
      completion.of(completionFor(complete !== undefined)),
      EditorView.lineWrapping,
      // CodeMirror already gives the content role="textbox" and aria-multiline.
      EditorView.contentAttributes.of({ 'aria-label': options.label }),
      EditorView.updateListener.of((u) => {
        // Only the user's edits are reported; setDoc marks its own.
        if (u.docChanged && !u.transactions.some((t) => t.annotation(External))) {
          options.onChange(u.state.doc.toString());
        }
      }),
    ],
  });
  const view = new EditorView({ state, parent });
  return {
    view,
    setDoc(text) {
      const current = view.state.doc.toString();
      if (current === text) return;
      // Its own undo step: never merged with typing just before or after.
      view.dispatch({
        changes: { from: 0, to: current.length, insert: text },
        annotations: [External.of(true), isolateHistory.of('full')],
      });
    },
    setLint(next) {
      if (next === lint) return;
      lint = next;
      view.dispatch({ effects: relint.of(null) });
    },
    setComplete(next) {
      const was = complete;
      complete = next;
      // Only turning completion on or off changes the configuration.
      if ((was === undefined) !== (next === undefined)) {
        view.dispatch({ effects: completion.reconfigure(completionFor(next !== undefined)) });
      }
    },
    format() {
      return formatJson(view);
    },
    destroy() {
      view.destroy();
    },
  };
}
