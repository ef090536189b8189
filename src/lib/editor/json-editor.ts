// The one way Parley mounts a CodeMirror JSON editor. One EditorState per
// document keeps undo history; outside changes are applied as transactions,
// and extra lint sources (schema checks) are swapped through a Compartment.

import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { Annotation, Compartment, EditorState, type Extension } from '@codemirror/state';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';

export type { Diagnostic };
export type LintSource = (view: EditorView) => Diagnostic[] | Promise<Diagnostic[]>;

export interface JsonEditorOptions {
  doc: string;
  /** Accessible name of the editable content (role textbox). */
  label: string;
  onChange: (text: string) => void;
  /** A second lint source, run after the JSON syntax check. */
  lint?: LintSource;
}

export interface JsonEditorHandle {
  readonly view: EditorView;
  /** Replaces the text when it differs (an outside change); undo still works. */
  setDoc(text: string): void;
  setLint(lint: LintSource | undefined): void;
  destroy(): void;
}

/** Marks changes that came from outside (setDoc), so they are not echoed back. */
const External = Annotation.define<boolean>();

// The `codemirror` package in node_modules is the CodeMirror 5 line (6.65.x),
// so the setup is assembled from the @codemirror packages. Tab is not bound
// (no indentWithTab): it moves focus on, so keyboard users are never stuck.
const setup: Extension = [
  lineNumbers(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  closeBrackets(),
  highlightActiveLine(),
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
];

const parseLint = jsonParseLinter();

const lintExtension = (lint: LintSource | undefined): Extension =>
  lint ? linter(lint, { delay: 300 }) : [];

export function mountJsonEditor(parent: HTMLElement, options: JsonEditorOptions): JsonEditorHandle {
  const extraLint = new Compartment();
  const state = EditorState.create({
    doc: options.doc,
    extensions: [
      setup,
      json(),
      // Syntax errors first, at their exact position. An empty editor means
      // "nothing here" (no extra parameters), not a syntax error.
      linter((view) => (view.state.doc.toString().trim() === '' ? [] : parseLint(view)), {
        delay: 300,
      }),
      extraLint.of(lintExtension(options.lint)),
      lintGutter(),
      EditorView.lineWrapping,
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
      view.dispatch({
        changes: { from: 0, to: current.length, insert: text },
        annotations: External.of(true),
      });
    },
    setLint(lint) {
      view.dispatch({ effects: extraLint.reconfigure(lintExtension(lint)) });
    },
    destroy() {
      view.destroy();
    },
  };
}
