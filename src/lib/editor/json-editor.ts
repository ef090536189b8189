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
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  insertCompletionText,
  pickedCompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  type CompletionSource,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, isolateHistory } from '@codemirror/commands';
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxTree,
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
import { editorTheme } from './theme';

export type { Diagnostic };
export type LintSource = (view: EditorView) => Diagnostic[] | Promise<Diagnostic[]>;

/** Keys and array indices from the document root, e.g. `[0, 'function']`. */
export type JsonPath = (string | number)[];

export type JsonCompletionKind = 'key' | 'value';

/** One suggestion offered by a `complete` function. */
export interface CompletionItem {
  label: string;
  /** Shown after the label (one line). */
  detail?: string;
  /** Longer help, shown beside the list for the selected item. */
  info?: string;
  /**
   * Exact text to insert. Without it a key is inserted as `"label"` plus
   * `suffix`, and a value as a quoted JSON string (`"label"`); give `apply`
   * for anything else (`true`, `42`, `null`, `{}`).
   */
  apply?: string;
  /** For keys: the text inserted after the quoted key; default `': '`. */
  suffix?: string;
}

/**
 * Suggestions for a position: `path` is the object whose key is being typed
 * (kind 'key') or the property / array element whose value is being typed
 * (kind 'value'). `siblings` holds the members of the nearest object — the
 * one whose key is typed, the one holding the property, or the one holding
 * the array — as far as they parse (other members only, never the one being
 * typed). Keys already present in the object are left out by the editor.
 */
export type CompleteSource = (
  path: JsonPath,
  kind: JsonCompletionKind,
  siblings: Record<string, unknown>,
) => CompletionItem[];

export interface JsonEditorOptions {
  doc: string;
  /** Accessible name of the editable content (role textbox). */
  label: string;
  onChange: (text: string) => void;
  /** A second lint source, run after the JSON syntax check; both are shown together. */
  lint?: LintSource;
  /** Key and value suggestions (typing, or Ctrl-Space). */
  complete?: CompleteSource;
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

// A node of the Lezer syntax tree (@lezer/common is not a direct dependency).
type SyntaxNode = ReturnType<ReturnType<typeof syntaxTree>['resolveInner']>;

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
// Where the cursor is, in JSON terms

interface Location {
  path: JsonPath;
  kind: JsonCompletionKind;
  /** The nearest object (for siblings and present keys), if any. */
  object: SyntaxNode | null;
  /** The property being typed (key, or value of it), excluded from siblings. */
  current: SyntaxNode | null;
}

const isContainer = (n: SyntaxNode): boolean => n.name === 'Object' || n.name === 'Array';

/** The container is open at pos: after its opening bracket, before its closing one (if any). */
function openAt(node: SyntaxNode, pos: number): boolean {
  if (pos <= node.from) return false;
  const close = node.lastChild;
  const closed =
    close !== null && close.to === node.to && (close.name === '}' || close.name === ']');
  return closed ? pos < node.to : pos <= node.to;
}

function directChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function propertyName(state: EditorState, property: SyntaxNode): string {
  const name = property.getChild('PropertyName');
  if (!name) return '';
  const text = state.sliceDoc(name.from, name.to);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // an odd escape; fall back to the raw text
  }
  return text.replace(/^"|"$/g, '');
}

/** Index of `child` in `array`: the commas before it. */
function arrayIndex(array: SyntaxNode, pos: number): number {
  let index = 0;
  for (let c = array.firstChild; c && c.from < pos; c = c.nextSibling) {
    if (c.name === ',' && c.to <= pos) index++;
  }
  return index;
}

/** Path of a node (Object/Array) from the root. */
function pathOf(state: EditorState, node: SyntaxNode): JsonPath {
  const path: JsonPath = [];
  let n = node;
  for (let p = n.parent; p; n = p, p = p.parent) {
    if (p.name === 'Property' && n.name !== 'PropertyName') path.unshift(propertyName(state, p));
    else if (p.name === 'Array') path.unshift(arrayIndex(p, n.from));
  }
  return path;
}

const VALUE_NODES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

function locate(state: EditorState, pos: number): Location | null {
  const tree = syntaxTree(state);
  let container: SyntaxNode | null = tree.resolveInner(pos, -1);
  while (container && !(isContainer(container) && openAt(container, pos))) {
    container = container.parent;
  }
  if (!container) return { path: [], kind: 'value', object: null, current: null };
  const base = pathOf(state, container);

  if (container.name === 'Array') {
    // The object holding the array gives the siblings (e.g. `required` next to `properties`).
    const holder = container.parent?.name === 'Property' ? container.parent : null;
    return {
      path: [...base, arrayIndex(container, pos)],
      kind: 'value',
      object: holder?.parent ?? null,
      current: holder,
    };
  }

  // An object: the last meaningful child starting before pos says what comes next.
  const before = directChildren(container).filter((c) => c.from < pos && !c.type.isError);
  const last = before[before.length - 1];
  if (!last || last.name === '{' || last.name === ',') {
    return { path: base, kind: 'key', object: container, current: null };
  }
  if (last.name !== 'Property')
    return { path: base, kind: 'key', object: container, current: null };

  const colon = last.getChild(':');
  if (!colon || colon.from >= pos) {
    const name = last.getChild('PropertyName');
    // `"key" |` — a complete key, then space: a colon is due, not a completion.
    if (name && name.to < pos) return null;
    return { path: base, kind: 'key', object: container, current: last };
  }
  let value: SyntaxNode | null = null;
  for (let c = colon.nextSibling; c; c = c.nextSibling) {
    if (VALUE_NODES.has(c.name)) {
      value = c;
      break;
    }
  }
  // After a finished value (`"a": 1 |`, `"a": {} |`) a comma is due.
  if (value && (value.to < pos || isContainer(value))) return null;
  return {
    path: [...base, propertyName(state, last)],
    kind: 'value',
    object: container,
    current: last,
  };
}

/**
 * The JSON path at `pos` and whether a key or a value is being typed there:
 * for a key, the path of the object; for a value, the path of the property
 * (or array element). Null where neither fits (e.g. right after a complete
 * key or value). Works on incomplete documents as far as the parser recovers.
 */
export function jsonPathAt(
  state: EditorState,
  pos: number,
): { path: JsonPath; kind: JsonCompletionKind } | null {
  const loc = locate(state, pos);
  return loc && { path: loc.path, kind: loc.kind };
}

function membersOf(
  state: EditorState,
  object: SyntaxNode | null,
  skip: SyntaxNode | null,
): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  if (!object) return members;
  for (const prop of object.getChildren('Property')) {
    if (skip && prop.from === skip.from) continue;
    const name = propertyName(state, prop);
    let value: unknown = undefined;
    const colon = prop.getChild(':');
    let v = colon?.nextSibling ?? null;
    while (v && !VALUE_NODES.has(v.name)) v = v.nextSibling;
    if (v) {
      try {
        value = JSON.parse(state.sliceDoc(v.from, v.to));
      } catch {
        value = undefined;
      }
    }
    members[name] = value;
  }
  return members;
}

// ---------------------------------------------------------------------------
// Completion

/** Text before pos on its line is inside a string: the index of its opening quote. */
function openQuoteBefore(state: EditorState, pos: number): number | null {
  const line = state.doc.lineAt(pos);
  const text = state.sliceDoc(line.from, pos);
  let open: number | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && open !== null) i++;
    else if (ch === '"') open = open === null ? i : null;
  }
  return open === null ? null : line.from + open;
}

const BARE_WORD = /[\w$.+-]*$/;

/**
 * A CodeMirror completion source asking `complete` for the keys or values
 * at the cursor. Exported for tests.
 */
export function jsonCompletionSource(complete: CompleteSource): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const { state, pos } = context;
    const quote = openQuoteBefore(state, pos);
    let replaceFrom: number;
    let filterFrom: number;
    let tail = 0;
    if (quote !== null) {
      replaceFrom = quote;
      filterFrom = quote + 1;
      // Inside a finished string (`"na|me"`, or `"|"` from closeBrackets): replace it all.
      const token = syntaxTree(state).resolveInner(pos, -1);
      if ((token.name === 'String' || token.name === 'PropertyName') && token.from === quote) {
        tail = token.to - pos;
      }
    } else {
      // Right after a finished string there is nothing to complete.
      if (state.sliceDoc(pos - 1, pos) === '"') return null;
      const word = context.matchBefore(BARE_WORD);
      replaceFrom = filterFrom = word ? word.from : pos;
      if (!context.explicit && filterFrom === pos) return null;
    }

    const loc = locate(state, pos);
    if (!loc) return null;
    const siblings = membersOf(state, loc.object, loc.current);
    let items = complete(loc.path, loc.kind, siblings);
    if (loc.kind === 'key') {
      const present = new Set(Object.keys(siblings));
      items = items.filter((item) => !present.has(item.label));
    }
    if (items.length === 0) return null;

    const colonFollows =
      loc.kind === 'key' && /^\s*:/.test(state.sliceDoc(pos + tail, pos + tail + 200));
    const head = filterFrom - replaceFrom;
    const options: Completion[] = items.map((item, i) => {
      const text =
        item.apply ??
        (loc.kind === 'key'
          ? JSON.stringify(item.label) + (colonFollows ? '' : (item.suffix ?? ': '))
          : JSON.stringify(item.label));
      return {
        label: item.label,
        ...(item.detail !== undefined ? { detail: item.detail } : {}),
        ...(item.info !== undefined ? { info: item.info } : {}),
        type: loc.kind === 'key' ? 'property' : 'constant',
        // Keep the given order among equally good matches.
        boost: -Math.min(i, 99),
        apply: (view, completion, from, to) => {
          view.dispatch({
            ...insertCompletionText(view.state, text, from - head, to + tail),
            annotations: pickedCompletion.of(completion),
          });
        },
      };
    });
    return { from: filterFrom, to: pos, options };
  };
}

const completionExtension = (complete: CompleteSource | undefined): Extension =>
  complete ? autocompletion({ override: [jsonCompletionSource(complete)] }) : [];

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
function jsonLinter(extra: () => LintSource | undefined): Extension {
  return linter(
    async (view) => {
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
      jsonLinter(() => lint),
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
