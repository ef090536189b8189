import { describe, expect, it } from 'vitest';
import { json } from '@codemirror/lang-json';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { CompletionContext, type Completion } from '@codemirror/autocomplete';
import {
  jsonCompletionSource,
  jsonPathAt,
  type CompleteSource,
  type JsonPath,
} from '../../src/lib/editor/json-completion';
import { formatJsonDoc } from '../../src/lib/editor/json-editor';

/** A state for `text` with `|` marking the cursor (removed), fully parsed. */
function at(marked: string): { state: EditorState; pos: number } {
  const pos = marked.indexOf('|');
  if (pos < 0) throw new Error('no cursor mark');
  const doc = marked.slice(0, pos) + marked.slice(pos + 1);
  const state = EditorState.create({ doc, extensions: [json()] });
  // Creating a state parses for a few milliseconds only, which a busy machine may
  // not finish; ensureSyntaxTree finishes the parse, and a transaction hands the
  // full tree to the state that syntaxTree() reads.
  ensureSyntaxTree(state, state.doc.length, 5000);
  return { state: state.update({}).state, pos };
}

const pathAt = (marked: string) => {
  const { state, pos } = at(marked);
  return jsonPathAt(state, pos);
};

describe('jsonPathAt', () => {
  it.each<[string, JsonPath, 'key' | 'value']>([
    // partly typed keys, quoted or bare, in nested objects of an array
    ['[{"type":"function","function":{"na|', [0, 'function'], 'key'],
    ['[{"type":"function","function":{na|', [0, 'function'], 'key'],
    ['[{"type":"function","function":{"name":"x", "|"}}]', [0, 'function'], 'key'],
    ['[{"type":"function","function":{"name":"x", de|}}]', [0, 'function'], 'key'],
    // inside a complete key
    ['{"a": {"na|me": 1}}', ['a'], 'key'],
    // empty objects, at the top and in the second array element
    ['{|}', [], 'key'],
    ['[{"type":"function"}, {|}]', [1], 'key'],
    ['[{"type":"function"}, {|', [1], 'key'],
    // values after a colon, typed or not
    ['[{"type": |', [0, 'type'], 'value'],
    ['[{"type": "fu|', [0, 'type'], 'value'],
    ['[{"type": "fu|"}]', [0, 'type'], 'value'],
    ['{"a": 1, "strict": t|}', ['strict'], 'value'],
    ['{"a": 1 "b": |}', ['b'], 'value'],
    // array elements
    ['{"required": ["a", "|', ['required', 1], 'value'],
    ['{"x": [1, 2, |]}', ['x', 2], 'value'],
    ['[|]', [0], 'value'],
    // a schema nested deep, on several lines
    [
      '[\n {\n  "type": "function",\n  "function": {\n   "parameters": {\n    "properties": {\n     "q": { "ty| }\n    }\n   }\n  }\n }\n]',
      [0, 'function', 'parameters', 'properties', 'q'],
      'key',
    ],
  ])('%j', (doc, path, kind) => {
    expect(pathAt(doc)).toEqual({ path, kind });
  });

  it('is null where neither a key nor a value fits', () => {
    expect(pathAt('{"a" |}')).toBeNull();
    expect(pathAt('{"a": 1 |}')).toBeNull();
    expect(pathAt('{"a": {} |}')).toBeNull();
  });

  it('after the root value is closed, points at the root', () => {
    expect(pathAt('{}|')).toEqual({ path: [], kind: 'value' });
    expect(pathAt('|')).toEqual({ path: [], kind: 'value' });
  });
});

describe('formatJsonDoc', () => {
  it('pretty-prints with two spaces', () => {
    expect(formatJsonDoc('[{"type":"function","function":{"name":"f"}}]')).toBe(
      '[\n  {\n    "type": "function",\n    "function": {\n      "name": "f"\n    }\n  }\n]',
    );
    expect(formatJsonDoc('  {\n"a" :1}  ')).toBe('{\n  "a": 1\n}');
    expect(formatJsonDoc('[]')).toBe('[]');
  });

  it('is null when the text does not parse', () => {
    expect(formatJsonDoc('')).toBeNull();
    expect(formatJsonDoc('{"a": }')).toBeNull();
    expect(formatJsonDoc('[1,]')).toBeNull();
  });
});

describe('jsonCompletionSource', () => {
  const calls: [JsonPath, string, Record<string, unknown>][] = [];
  const complete: CompleteSource = (path, kind, siblings) => {
    calls.push([path, kind, siblings]);
    if (kind === 'key') {
      return [
        { label: 'name', detail: 'string' },
        { label: 'description' },
        { label: 'parameters' },
        { label: 'strict' },
      ];
    }
    if (path[path.length - 1] === 'strict') {
      return [
        { label: 'true', apply: 'true' },
        { label: 'false', apply: 'false' },
      ];
    }
    return [{ label: 'function' }, { label: 'custom' }];
  };
  const source = jsonCompletionSource(complete);

  function run(marked: string, explicit = false) {
    const { state, pos } = at(marked);
    calls.length = 0;
    const result = source(new CompletionContext(state, pos, explicit));
    if (result instanceof Promise) throw new Error('expected a synchronous result');
    return { state, pos, result };
  }

  /** The document after applying the option labelled `label`. */
  function applied(marked: string, label: string, explicit = false): string {
    const { state, result } = run(marked, explicit);
    const option = result?.options.find((o) => o.label === label);
    if (!result || !option || typeof option.apply !== 'function') throw new Error('no option');
    let doc = '';
    const fakeView = {
      get state() {
        return state;
      },
      dispatch(spec: Parameters<EditorState['update']>[0]) {
        doc = state.update(spec).state.doc.toString();
      },
    };
    option.apply(fakeView as never, option as Completion, result.from, result.to ?? result.from);
    return doc;
  }

  it('offers keys of the object, without the ones already there', () => {
    const { result, pos } = run('[{"type":"function","function":{"name":"x", "de|');
    expect(result?.options.map((o) => o.label)).toEqual(['description', 'parameters', 'strict']);
    expect(result?.from).toBe(pos - 2);
    expect(result?.to).toBe(pos);
    expect(calls[0]?.[0]).toEqual([0, 'function']);
    expect(calls[0]?.[2]).toEqual({ name: 'x' });
    expect(result?.options[0]?.type).toBe('property');
  });

  it('keeps the key being typed itself on offer', () => {
    const { result } = run('{"na|me": "x", "strict": true}');
    expect(result?.options.map((o) => o.label)).toEqual(['name', 'description', 'parameters']);
  });

  it('inserts a quoted key and a colon, with or without the opening quote', () => {
    expect(applied('{"na|', 'name')).toBe('{"name": ');
    expect(applied('{na|', 'name')).toBe('{"name": ');
    // closeBrackets already closed the quote
    expect(applied('{"na|"}', 'name')).toBe('{"name": }');
    // a colon already follows: only the key is replaced
    expect(applied('{"na|me": 1}', 'description')).toBe('{"description": 1}');
  });

  it('inserts string values quoted and other values bare', () => {
    const { result, pos } = run('[{"type": "fu|');
    expect(result?.options.map((o) => o.label)).toEqual(['function', 'custom']);
    expect(result?.from).toBe(pos - 2);
    expect(applied('[{"type": "fu|', 'function')).toBe('[{"type": "function"');
    expect(applied('[{"type": fu|}]', 'function')).toBe('[{"type": "function"}]');
    expect(applied('[{"type": "|"}]', 'custom')).toBe('[{"type": "custom"}]');
    expect(applied('{"strict": t|}', 'true')).toBe('{"strict": true}');
    expect(applied('{"strict": |}', 'false', true)).toBe('{"strict": false}');
  });

  it('waits for typing or an explicit request', () => {
    expect(run('{"strict": |}').result).toBeNull();
    expect(run('{|}').result).toBeNull();
    expect(run('{|}', true).result?.options.map((o) => o.label)).toEqual([
      'name',
      'description',
      'parameters',
      'strict',
    ]);
    // just after a finished string, or where a colon is due
    expect(run('{"name"|}', true).result).toBeNull();
    expect(run('{"name" |}', true).result).toBeNull();
  });

  it('passes the holding object as siblings for array elements', () => {
    run('{"properties": {"a": {}}, "required": ["|"]}');
    expect(calls[0]).toEqual([['required', 0], 'value', { properties: { a: {} } }]);
  });

  it('offers nothing when the source has nothing', () => {
    const none = jsonCompletionSource(() => []);
    const { state, pos } = at('{"a|');
    expect(none(new CompletionContext(state, pos, true))).toBeNull();
  });
});
