// Completions in a CodeMirror JSON editor: where the cursor is in JSON terms
// (the path from the root, a key or a value, the members beside it), and the
// completion source that asks a `complete` function for suggestions there.
// json-editor.ts mounts the editor and turns these on.

import {
  autocompletion,
  insertCompletionText,
  pickedCompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  type CompletionSource,
} from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import type { EditorState, Extension } from '@codemirror/state';

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

// A node of the Lezer syntax tree (@lezer/common is not a direct dependency).
type SyntaxNode = ReturnType<ReturnType<typeof syntaxTree>['resolveInner']>;

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

/** Completion from `complete`, or none. */
export const completionExtension = (complete: CompleteSource | undefined): Extension =>
  complete ? autocompletion({ override: [jsonCompletionSource(complete)] }) : [];
