// Tool definitions: diagnostics at exact positions, the reason Send is blocked,
// format conversion, templates, the form builder and the token estimate.

import { describe, expect, it } from 'vitest';
import {
  estimateToolTokens,
  loadToolsChecker,
  loadToolsEditing,
  loadToolsEditorAids,
  type ParamField,
  type ToolDiagnostic,
} from '../../src/lib/model/tools';
import type { ToolFormat } from '../../src/lib/model/types';

const { checkTools, firstToolsProblem } = await loadToolsChecker();
const { TOOL_TEMPLATES } = await loadToolsEditorAids();
const { appendTool, convertTools, convertToolsText, formatJsonText, toolFromForm } =
  await loadToolsEditing();

const lines = (...rows: string[]) => rows.join('\n');

/** The diagnostics of a text that must produce exactly one. */
function single(text: string, format: ToolFormat = 'tools'): ToolDiagnostic {
  const { diagnostics } = checkTools(text, format);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0]!;
}

/** from/to of the `nth` occurrence of `needle` (0-based), for readable exact positions. */
function span(text: string, needle: string, nth = 0): { from: number; to: number } {
  let from = -1;
  for (let i = 0; i <= nth; i++) from = text.indexOf(needle, from + 1);
  expect(from).toBeGreaterThanOrEqual(0);
  return { from, to: from + needle.length };
}

/** One function tool as text, with the given function body fields (JSON text). */
const tool = (fn: string) => `[{"type": "function", "function": {${fn}}}]`;

describe('checkTools: blank and syntax', () => {
  it('treats blank text as "no tools"', () => {
    expect(checkTools('', 'tools')).toEqual({ value: null, names: [], diagnostics: [] });
    expect(checkTools('  \n\t', 'functions')).toEqual({ value: null, names: [], diagnostics: [] });
  });

  it('accepts an empty array without diagnostics', () => {
    expect(checkTools('[]', 'tools')).toEqual({ value: [], names: [], diagnostics: [] });
  });

  it('reports a trailing comma in an array at the comma', () => {
    const text = '[{"type":"function","function":{"name":"a"}},]';
    const check = checkTools(text, 'tools');
    expect(check.value).toBeNull();
    expect(check.names).toEqual(['a']);
    expect(check.diagnostics).toEqual([
      {
        from: 44,
        to: 45,
        severity: 'error',
        message: 'Trailing comma: remove the comma before ].',
        path: '',
        line: 1,
        column: 45,
      },
    ]);
  });

  it('reports a trailing comma in an object once, at the comma', () => {
    const text = lines('[', '  {', '    "type": "function",', '  }', ']');
    expect(single(text)).toEqual({
      from: 28,
      to: 29,
      severity: 'error',
      message: 'Trailing comma: remove the comma before }.',
      path: '',
      line: 3,
      column: 23,
    });
  });

  it('reports a missing comma at the value that follows', () => {
    const text = lines('[', '  {"type": "function"', '   "function": {"name": "a"}}', ']');
    expect(single(text)).toMatchObject({
      ...span(text, '"function"', 1),
      severity: 'error',
      message: 'Expected a comma (,) before this.',
      line: 3,
      column: 4,
    });
  });

  it('reports an unterminated string from its opening quote', () => {
    const text = '[{"type": "function", "function": {"name": "a}}]';
    const { diagnostics, value, names } = checkTools(text, 'tools');
    expect(value).toBeNull();
    expect(names).toEqual([]); // the debris `a}}]` is not a usable name
    expect(diagnostics[0]).toEqual({
      from: 43,
      to: 48,
      severity: 'error',
      message: 'Unterminated string: add the closing double quote.',
      path: '',
      line: 1,
      column: 44,
    });
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[1]!.message).toBe('Unexpected end of text: expected } to close the object.');
  });

  it('points an unexpected end at the last visible character', () => {
    expect(single('[1, 2\n\n')).toEqual({
      from: 4,
      to: 5,
      severity: 'error',
      message: 'Unexpected end of text: expected ] to close the array.',
      path: '',
      line: 1,
      column: 5,
    });
  });

  it('explains comments, single quotes and missing values in words', () => {
    expect(single('// tools\n[]')).toMatchObject({
      from: 0,
      to: 8,
      message: 'Comments are not allowed in JSON.',
    });
    expect(checkTools("[{'type': 'function'}]", 'tools').diagnostics[0]).toMatchObject({
      from: 2,
      to: 8,
      message: 'Strings and property names need double quotes ("), not single quotes.',
    });
    expect(single('[1,,2]')).toMatchObject({ from: 3, to: 4, message: 'Expected a value.' });
  });

  it('gives no shape diagnostics while the JSON does not parse', () => {
    const text = '[{"type": "fn"}, ]';
    expect(checkTools(text, 'tools').diagnostics.map((d) => d.message)).toEqual([
      'Trailing comma: remove the comma before ].',
    ]);
  });
});

describe('checkTools: the root', () => {
  it('suggests wrapping a single definition in [ ]', () => {
    const text = '{"type": "function", "function": {"name": "a"}}';
    const check = checkTools(text, 'tools');
    expect(check.value).toBeNull();
    expect(check.diagnostics).toEqual([
      {
        from: 0,
        to: text.length,
        severity: 'error',
        message: 'Wrap the definition in [ ] — the editor holds an array of tools.',
        path: '',
        line: 1,
        column: 1,
      },
    ]);
  });

  it('keeps the range to the first line of a multi-line root object', () => {
    const text = lines('{', '  "name": "a"', '}');
    expect(single(text, 'functions')).toMatchObject({
      from: 0,
      to: 1,
      message: 'Wrap the definition in [ ] — the editor holds an array of functions.',
    });
  });

  it('asks for an array for any other root', () => {
    expect(single('{"a": 1}').message).toBe(
      'Tools JSON must be an array of tools, like [{"type": "function", "function": {…}}].',
    );
    expect(single('  "tools"')).toEqual({
      from: 2,
      to: 9,
      severity: 'error',
      message: 'Tools JSON must be an array of tools, not a string.',
      path: '',
      line: 1,
      column: 3,
    });
  });
});

describe('checkTools: tools format items', () => {
  it('accepts a complete function tool and lists its name', () => {
    const text = tool(
      '"name": "get_weather", "description": "Weather.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, "strict": null',
    );
    const check = checkTools(text, 'tools');
    expect(check.diagnostics).toEqual([]);
    expect(check.names).toEqual(['get_weather']);
    expect(check.value).toEqual(JSON.parse(text));
  });

  it('reports a missing type at the object', () => {
    const text = '[{"function": {"name": "a"}}]';
    expect(single(text)).toEqual({
      from: 1,
      to: 28,
      severity: 'error',
      message: 'Missing "type": add "type": "function".',
      path: '[0]',
      line: 1,
      column: 2,
    });
    expect(single('[{}]')).toMatchObject({
      from: 1,
      to: 3,
      message: 'Missing "type": each tool needs "type": "function" (or "custom").',
    });
  });

  it('reports an unknown type value at the value', () => {
    const text = '[{"type": "fn", "function": {"name": "a"}}]';
    expect(single(text)).toEqual({
      ...span(text, '"fn"'),
      severity: 'error',
      message: 'Unknown tool type "fn": use "function" or "custom".',
      path: '[0].type',
      line: 1,
      column: 11,
    });
  });

  it('reports items that are not objects', () => {
    expect(single('[{"type": "function", "function": {"name": "a"}}, 42]')).toMatchObject({
      from: 50,
      to: 52,
      message:
        'Each tool must be an object like {"type": "function", "function": {…}}; found a number.',
      path: '[1]',
    });
  });

  it('reports a missing or non-object function', () => {
    expect(single('[{"type": "function"}]')).toMatchObject({
      from: 1,
      to: 21,
      message: 'Missing "function": add {"name": …, "description": …, "parameters": {…}}.',
      path: '[0]',
    });
    const text = '[{"type": "function", "function": "a"}]';
    expect(single(text)).toMatchObject({
      ...span(text, '"a"'),
      message: '"function" must be an object, not a string.',
      path: '[0].function',
    });
  });

  it('checks the name rule', () => {
    const spaced = tool('"name": "get weather"');
    expect(single(spaced)).toEqual({
      ...span(spaced, '"get weather"'),
      severity: 'error',
      message:
        'Function name "get weather" may only contain a-z, A-Z, 0-9, _ and - (1 to 64 characters).',
      path: '[0].function.name',
      line: 1,
      column: 44,
    });
    const long = tool(`"name": "${'a'.repeat(65)}"`);
    expect(single(long)).toMatchObject({
      from: 43,
      to: 43 + 67,
      message: 'Function name is 65 characters long; the limit is 64.',
    });
    expect(checkTools(tool(`"name": "${'a'.repeat(64)}"`), 'tools').diagnostics).toEqual([]);
    expect(single(tool('"name": ""')).message).toBe('Function name must not be empty.');
    expect(single(tool('"name": 7')).message).toBe('"name" must be a string, not a number.');
    expect(single(tool('"description": "x"'))).toMatchObject({
      from: 34,
      to: 54,
      message: 'Missing "name": every function needs a name.',
      path: '[0].function',
    });
  });

  it('reports the second occurrence of a name', () => {
    const text = lines(
      '[',
      '  {"type": "function", "function": {"name": "a"}},',
      '  {"type": "function", "function": {"name": "b"}},',
      '  {"type": "function", "function": {"name": "a"}}',
      ']',
    );
    const check = checkTools(text, 'tools');
    expect(check.names).toEqual(['a', 'b']);
    expect(check.diagnostics).toEqual([
      {
        ...span(text, '"a"', 1),
        severity: 'error',
        message: 'Duplicate name "a" (also at [0]) — every tool needs its own name.',
        path: '[2].function.name',
        line: 4,
        column: 45,
      },
    ]);
  });

  it('warns about unknown keys at the key, in text order', () => {
    const text = '[{"type": "function", "function": {"name": "a", "foo": 1}, "bar": 2}]';
    expect(checkTools(text, 'tools').diagnostics).toEqual([
      {
        ...span(text, '"foo"'),
        severity: 'warning',
        message: 'Unknown key "foo" (the API may reject it).',
        path: '[0].function.foo',
        line: 1,
        column: 49,
      },
      {
        ...span(text, '"bar"'),
        severity: 'warning',
        message: 'Unknown key "bar" (the API may reject it).',
        path: '[0].bar',
        line: 1,
        column: 60,
      },
    ]);
  });

  it('checks description and strict values', () => {
    const text = tool('"name": "a", "description": 3, "strict": "yes"');
    expect(checkTools(text, 'tools').diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['[0].function.description', '"description" must be a string, not a number.'],
      ['[0].function.strict', '"strict" must be true or false.'],
    ]);
  });

  it('recognises a legacy function in the tools format', () => {
    const text = '[{"name": "a", "parameters": {"type": "object"}}]';
    expect(single(text)).toEqual({
      from: 1,
      to: 48,
      severity: 'error',
      message:
        'This is a legacy function definition: wrap it as {"type": "function", "function": {…}} or switch the format to legacy functions.',
      path: '[0]',
      line: 1,
      column: 2,
    });
  });

  it('warns about repeated keys', () => {
    const text = tool('"name": "a", "name": "b"');
    expect(single(text)).toMatchObject({
      ...span(text, '"name"', 1),
      severity: 'warning',
      message: 'Duplicate key "name": only the last one counts.',
    });
    expect(checkTools(text, 'tools').names).toEqual(['b']);
  });
});

describe('checkTools: custom tools', () => {
  it('accepts text and grammar formats', () => {
    const text = lines(
      '[',
      '  {"type": "custom", "custom": {"name": "raw", "description": "Free text."}},',
      '  {"type": "custom", "custom": {"name": "plain", "format": {"type": "text"}}},',
      '  {"type": "custom", "custom": {"name": "sql", "format": {"type": "grammar",',
      '    "grammar": {"definition": "start: /SELECT .+/", "syntax": "lark"}}}},',
      '  {"type": "custom", "custom": {"name": "num", "format": {"type": "grammar",',
      '    "grammar": {"definition": "^\\\\d+$", "syntax": "regex"}}}}',
      ']',
    );
    const check = checkTools(text, 'tools');
    expect(check.diagnostics).toEqual([]);
    expect(check.names).toEqual(['raw', 'plain', 'sql', 'num']);
  });

  it('reports grammar problems at the exact place', () => {
    const badSyntax =
      '[{"type": "custom", "custom": {"name": "c", "format": {"type": "grammar", "grammar": {"definition": "x", "syntax": "ebnf"}}}}]';
    expect(single(badSyntax)).toEqual({
      ...span(badSyntax, '"ebnf"'),
      severity: 'error',
      message: 'Unknown grammar syntax "ebnf": use "lark" or "regex".',
      path: '[0].custom.format.grammar.syntax',
      line: 1,
      column: 116,
    });

    const noDefinition =
      '[{"type": "custom", "custom": {"name": "c", "format": {"type": "grammar", "grammar": {"syntax": "lark"}}}}]';
    expect(single(noDefinition)).toMatchObject({
      ...span(noDefinition, '{"syntax": "lark"}'),
      message: 'Missing "definition": add the grammar text.',
      path: '[0].custom.format.grammar',
    });

    const noGrammar =
      '[{"type": "custom", "custom": {"name": "c", "format": {"type": "grammar"}}}]';
    expect(single(noGrammar)).toMatchObject({
      ...span(noGrammar, '{"type": "grammar"}'),
      message:
        'Missing "grammar": a grammar format needs {"definition": "…", "syntax": "lark" or "regex"}.',
    });

    const badFormat = '[{"type": "custom", "custom": {"name": "c", "format": {"type": "json"}}}]';
    expect(single(badFormat)).toMatchObject({
      ...span(badFormat, '"json"'),
      message: 'Unknown format type "json": use "text" or "grammar".',
      path: '[0].custom.format.type',
    });

    expect(single('[{"type": "custom"}]').message).toBe(
      'Missing "custom": add {"name": …, "description": …}.',
    );
    expect(single('[{"type": "custom", "custom": {"name": "bad name"}}]').message).toBe(
      'Tool name "bad name" may only contain a-z, A-Z, 0-9, _ and - (1 to 64 characters).',
    );
  });
});

describe('checkTools: legacy functions format', () => {
  it('accepts legacy definitions and lists their names', () => {
    const text =
      '[{"name": "a", "description": "A."}, {"name": "b", "parameters": {"type": "object"}}]';
    expect(checkTools(text, 'functions')).toMatchObject({ names: ['a', 'b'], diagnostics: [] });
  });

  it('recognises a current tool in the legacy format', () => {
    const text = '[{"type": "function", "function": {"name": "a"}}]';
    expect(single(text, 'functions')).toEqual({
      from: 1,
      to: 48,
      severity: 'error',
      message:
        'This is a tool in the current format: switch the format to tools, or write it as {"name": …, "parameters": {…}}.',
      path: '[0]',
      line: 1,
      column: 2,
    });
  });

  it('warns that strict is not part of legacy functions, without applying strict rules', () => {
    const text =
      '[{"name": "a", "strict": true, "parameters": {"type": "object", "properties": {"x": {"type": "string", "minLength": 1}}}}]';
    expect(single(text, 'functions')).toEqual({
      ...span(text, '"strict"'),
      severity: 'warning',
      message:
        '"strict" is not part of legacy functions (the API may reject it); switch the format to tools to use strict mode.',
      path: '[0].strict',
      line: 1,
      column: 16,
    });
  });
});

describe('checkTools: parameters schema', () => {
  it('requires parameters to be an object schema', () => {
    const text = tool('"name": "a", "parameters": "none"');
    expect(single(text)).toEqual({
      ...span(text, '"none"'),
      severity: 'error',
      message:
        '"parameters" must be a JSON Schema object like {"type": "object", "properties": {…}}, not a string.',
      path: '[0].function.parameters',
      line: 1,
      column: 63,
    });
    expect(single(tool('"name": "a", "parameters": true')).message).toBe(
      '"parameters" must be a JSON Schema object like {"type": "object", "properties": {…}}, not true.',
    );
  });

  it('requires type "object" at the root of parameters', () => {
    const text = tool('"name": "a", "parameters": {"type": "string"}');
    expect(single(text)).toEqual({
      ...span(text, '"string"'),
      severity: 'error',
      message: '"parameters" must have "type": "object" (found "string").',
      path: '[0].function.parameters.type',
      line: 1,
      column: 72,
    });
    expect(single(tool('"name": "a", "parameters": {"properties": {}}'))).toMatchObject({
      severity: 'warning',
      message: '"parameters" should have "type": "object".',
    });
    expect(checkTools(tool('"name": "a", "parameters": {}'), 'tools').diagnostics).toEqual([]);
  });

  it('reports a bad type keyword deep inside properties at its value', () => {
    const text = lines(
      '[',
      '  {',
      '    "type": "function",',
      '    "function": {',
      '      "name": "get_weather",',
      '      "parameters": {',
      '        "type": "object",',
      '        "properties": {',
      '          "city": { "type": "strin" }',
      '        }',
      '      }',
      '    }',
      '  }',
      ']',
    );
    expect(single(text)).toEqual({
      ...span(text, '"strin"'),
      severity: 'error',
      message: 'Unknown type "strin": use string, number, integer, boolean, object, array or null.',
      path: '[0].function.parameters.properties.city.type',
      line: 9,
      column: 29,
    });
  });

  it('checks type lists and other keyword values', () => {
    const params = (schema: string) =>
      tool(`"name": "a", "parameters": {"type": "object", "properties": {"x": ${schema}}}`);
    expect(checkTools(params('{"type": ["string", "null"]}'), 'tools').diagnostics).toEqual([]);
    expect(checkTools(params('true'), 'tools').diagnostics).toEqual([]);
    const cases: [string, string, string][] = [
      ['{"type": []}', '.type', '"type" must not be an empty list.'],
      ['{"type": ["string", 1]}', '.type[1]', '"type" entries must be strings.'],
      [
        '{"type": 5}',
        '.type',
        '"type" must be a string like "string", or an array of them like ["string", "null"].',
      ],
      ['{"enum": []}', '.enum', '"enum" must be a non-empty array of allowed values.'],
      ['{"anyOf": []}', '.anyOf', '"anyOf" must be a non-empty array of schemas.'],
      ['{"items": 3}', '.items', '"items" must be a schema (or an array of schemas).'],
      [
        '{"properties": []}',
        '.properties',
        '"properties" must be an object mapping names to schemas.',
      ],
      [
        '{"additionalProperties": "no"}',
        '.additionalProperties',
        '"additionalProperties" must be true, false or a schema.',
      ],
      ['{"minimum": "3"}', '.minimum', '"minimum" must be a number.'],
      ['{"minLength": -1}', '.minLength', '"minLength" must be a whole number, 0 or more.'],
      ['{"maxItems": 1.5}', '.maxItems', '"maxItems" must be a whole number, 0 or more.'],
      ['{"multipleOf": 0}', '.multipleOf', '"multipleOf" must be greater than 0.'],
      ['{"description": 1}', '.description', '"description" must be a string, not a number.'],
      [
        '{"items": {"type": "nope"}}',
        '.items.type',
        'Unknown type "nope": use string, number, integer, boolean, object, array or null.',
      ],
      ['7', '', 'A schema must be an object (or true/false), not a number.'],
    ];
    for (const [schema, path, message] of cases) {
      const d = single(params(schema));
      expect([d.path, d.message]).toEqual([`[0].function.parameters.properties.x${path}`, message]);
    }
  });

  it('warns when required names a missing property (an error when strict)', () => {
    const body = (strict: boolean) =>
      tool(
        `"name": "a", "strict": ${strict}, "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city", "unit"], "additionalProperties": false}`,
      );
    const loose = body(false);
    const expected = {
      ...span(loose, '"unit"'),
      message: 'required lists "unit" but properties has no "unit".',
      path: '[0].function.parameters.required[1]',
    };
    expect(single(loose)).toMatchObject({ ...expected, severity: 'warning' });
    const strict = body(true);
    expect(single(strict)).toMatchObject({
      ...expected,
      ...span(strict, '"unit"'),
      severity: 'error',
    });
    expect(
      single(
        tool(
          '"name": "a", "parameters": {"type": "object", "properties": {"a": {}}, "required": ["a", "a"]}',
        ),
      ),
    ).toMatchObject({ severity: 'error', message: 'required lists "a" twice.' });
  });

  it('strict: requires additionalProperties: false, at the object (first line only)', () => {
    const text = lines(
      '[',
      '  {',
      '    "type": "function",',
      '    "function": {',
      '      "name": "a",',
      '      "strict": true,',
      '      "parameters": {',
      '        "type": "object",',
      '        "properties": { "city": { "type": "string" } },',
      '        "required": ["city"]',
      '      }',
      '    }',
      '  }',
      ']',
    );
    const from = span(text, '"parameters": {').to - 1;
    expect(single(text)).toEqual({
      from,
      to: from + 1,
      severity: 'error',
      message: 'strict: object schemas need "additionalProperties": false.',
      path: '[0].function.parameters',
      line: 7,
      column: 21,
    });

    const allowing = tool(
      '"name": "a", "strict": true, "parameters": {"type": "object", "properties": {}, "required": [], "additionalProperties": true}',
    );
    expect(single(allowing)).toMatchObject({
      ...span(allowing, 'true}'),
      to: span(allowing, 'true}').from + 4,
      path: '[0].function.parameters.additionalProperties',
    });
  });

  it('strict: requires every property in required, naming the missing ones', () => {
    const text = tool(
      '"name": "a", "strict": true, "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}, "required": ["city"], "additionalProperties": false}',
    );
    expect(single(text)).toEqual({
      ...span(text, '["city"]'),
      severity: 'error',
      message:
        'strict: every property must be in required; missing "unit" (make it optional with a "null" type instead).',
      path: '[0].function.parameters.required',
      line: 1,
      column: 182,
    });
    const none = tool(
      '"name": "a", "strict": true, "parameters": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "additionalProperties": false}',
    );
    expect(single(none)).toMatchObject({
      path: '[0].function.parameters',
      message:
        'strict: every property must be in required; missing "a", "b" (make it optional with a "null" type instead).',
    });
  });

  it('strict: checks nested objects too', () => {
    const text = tool(
      '"name": "a", "strict": true, "parameters": {"type": "object", "properties": {"address": {"type": "object", "properties": {}}}, "required": ["address"], "additionalProperties": false}',
    );
    expect(single(text)).toMatchObject({
      ...span(text, '{"type": "object", "properties": {}}'),
      message: 'strict: object schemas need "additionalProperties": false.',
      path: '[0].function.parameters.properties.address',
    });
  });

  it('strict: rejects unsupported keywords at the key', () => {
    const text = tool(
      '"name": "a", "strict": true, "parameters": {"type": "object", "properties": {"city": {"type": "string", "minLength": 1, "default": "x"}}, "required": ["city"], "additionalProperties": false}',
    );
    expect(checkTools(text, 'tools').diagnostics).toEqual([
      {
        ...span(text, '"minLength"'),
        severity: 'error',
        message: 'strict mode does not support "minLength".',
        path: '[0].function.parameters.properties.city.minLength',
        line: 1,
        column: 140,
      },
      {
        ...span(text, '"default"'),
        severity: 'error',
        message: 'strict mode does not support "default".',
        path: '[0].function.parameters.properties.city.default',
        line: 1,
        column: 156,
      },
    ]);
    // Without strict, unknown and unsupported keywords are fine.
    expect(
      checkTools(text.replace('"strict": true', '"strict": false'), 'tools').diagnostics,
    ).toEqual([]);
  });

  it('strict: the root must be an object, not anyOf', () => {
    const text = tool(
      '"name": "a", "strict": true, "parameters": {"anyOf": [{"type": "object", "properties": {}, "required": [], "additionalProperties": false}]}',
    );
    expect(single(text)).toMatchObject({
      from: span(text, '{"anyOf"').from,
      message: 'strict: the root of parameters must be "type": "object", not anyOf.',
      path: '[0].function.parameters',
    });
  });

  it('reports an invalid pattern and accepts patterns valid without the u flag', () => {
    const text = tool(
      '"name": "a", "parameters": {"type": "object", "properties": {"x": {"type": "string", "pattern": "([a-z]+"}}}',
    );
    const d = single(text);
    expect(d).toMatchObject({
      ...span(text, '"([a-z]+"'),
      severity: 'error',
      path: '[0].function.parameters.properties.x.pattern',
    });
    expect(d.message).toMatch(/^"pattern" is not a valid regular expression \(.+\)\.$/);
    const legacyEscape = tool(
      '"name": "a", "parameters": {"type": "object", "properties": {"x": {"type": "string", "pattern": "^a\\\\-b$"}}}',
    );
    expect(checkTools(legacyEscape, 'tools').diagnostics).toEqual([]);
  });

  it('resolves local $refs inside parameters', () => {
    const text = tool(
      '"name": "a", "parameters": {"type": "object", "$defs": {"unit": {"type": "string"}}, "properties": {"u": {"$ref": "#/$defs/unit"}, "v": {"$ref": "#/$defs/speed"}, "w": {"$ref": "#"}}}',
    );
    expect(single(text)).toEqual({
      ...span(text, '"#/$defs/speed"'),
      severity: 'error',
      message:
        '"$ref" "#/$defs/speed" points to nothing inside parameters; define it under "$defs" or fix the path.',
      path: '[0].function.parameters.properties.v.$ref',
      line: 1,
      column: 181,
    });
  });
});

describe('firstToolsProblem', () => {
  const valid = tool('"name": "get_weather"');

  it('is null for blank, empty and valid tools', () => {
    expect(firstToolsProblem({ json: '', format: 'tools' })).toBeNull();
    expect(firstToolsProblem({ json: valid, format: 'tools', choice: 'required' })).toBeNull();
  });

  it('names the first error with its line and column', () => {
    expect(
      firstToolsProblem({
        json: '[{"type":"function","function":{"name":"a"}},]',
        format: 'tools',
      }),
    ).toBe('Tools JSON line 1, column 45: Trailing comma: remove the comma before ].');
    expect(firstToolsProblem({ json: lines('[', '  {"name": "a"}', ']'), format: 'tools' })).toBe(
      'Tools JSON line 2, column 3: This is a legacy function definition: wrap it as {"type": "function", "function": {…}} or switch the format to legacy functions.',
    );
  });

  it('never blocks on warnings', () => {
    expect(
      firstToolsProblem({ json: tool('"name": "a", "extra": 1'), format: 'tools' }),
    ).toBeNull();
  });

  it('checks that a named tool choice is defined', () => {
    expect(firstToolsProblem({ json: valid, format: 'tools', choice: { name: 'nope' } })).toBe(
      'Tool choice names "nope", which is not defined in Tools JSON.',
    );
    expect(
      firstToolsProblem({ json: valid, format: 'tools', choice: { name: 'get_weather' } }),
    ).toBeNull();
  });

  it('rejects "required" with legacy functions', () => {
    expect(
      firstToolsProblem({ json: '[{"name": "a"}]', format: 'functions', choice: 'required' }),
    ).toBe('"required" is not available with legacy functions; choose auto, none or a function.');
    expect(
      firstToolsProblem({ json: '[{"name": "a"}]', format: 'functions', choice: { name: 'a' } }),
    ).toBeNull();
  });

  it('does not block on choice or parallel when there are no tools', () => {
    for (const json of ['', '  ', '[]']) {
      expect(
        firstToolsProblem({ json, format: 'functions', choice: 'required', parallel: true }),
      ).toBeNull();
      expect(firstToolsProblem({ json, format: 'tools', choice: { name: 'x' } })).toBeNull();
    }
  });
});

describe('convertTools', () => {
  const current = [
    {
      type: 'function',
      function: {
        parameters: { type: 'object', properties: {} },
        description: 'Weather.',
        name: 'get_weather',
        strict: true,
      },
    },
  ];

  it('converts tools to legacy functions, dropping strict with a note', () => {
    const { value, notes } = convertTools(current, 'functions');
    expect(value).toEqual([
      {
        name: 'get_weather',
        description: 'Weather.',
        parameters: { type: 'object', properties: {} },
      },
    ]);
    expect(Object.keys(value[0] as object)).toEqual(['name', 'description', 'parameters']);
    expect(notes).toEqual([
      'Dropped "strict" from "get_weather": legacy functions do not support it.',
    ]);
  });

  it('converts legacy functions to tools', () => {
    expect(
      convertTools([{ name: 'a', parameters: { type: 'object' } }, { name: 'b' }], 'tools'),
    ).toEqual({
      value: [
        { type: 'function', function: { name: 'a', parameters: { type: 'object' } } },
        { type: 'function', function: { name: 'b' } },
      ],
      notes: [],
    });
  });

  it('round-trips tools -> functions -> tools without strict', () => {
    const tools = [
      {
        type: 'function',
        function: { name: 'a', description: 'A.', parameters: { type: 'object' } },
      },
      { type: 'function', function: { name: 'b' } },
    ];
    const there = convertTools(tools, 'functions');
    const back = convertTools(there.value, 'tools');
    expect(back).toEqual({ value: tools, notes: [] });
    expect(there.notes).toEqual([]);
  });

  it('keeps items already in the target shape and explains what it cannot convert', () => {
    const custom = { type: 'custom', custom: { name: 'sql' } };
    const legacy = { name: 'b' };
    expect(convertTools([custom, legacy, 42], 'functions')).toEqual({
      value: [custom, legacy, 42],
      notes: [
        'Kept custom tool "sql" as it is: legacy functions have no custom tools.',
        'Kept item [2] as it is: it is not a tool definition.',
      ],
    });
    expect(convertTools([custom, { description: 'x' }], 'tools')).toEqual({
      value: [custom, { description: 'x' }],
      notes: ['Kept item [1] as it is: it has no "name".'],
    });
  });
});

describe('convertToolsText and formatJsonText', () => {
  it('converts and pretty-prints text', () => {
    expect(convertToolsText('[{"name":"a","parameters":{"type":"object"}}]', 'tools')).toEqual({
      ok: true,
      value: {
        text: lines(
          '[',
          '  {',
          '    "type": "function",',
          '    "function": {',
          '      "name": "a",',
          '      "parameters": {',
          '        "type": "object"',
          '      }',
          '    }',
          '  }',
          ']',
        ),
        notes: [],
      },
    });
  });

  it('keeps blank text blank and refuses invalid text', () => {
    expect(convertToolsText('  \n', 'functions')).toEqual({
      ok: true,
      value: { text: '  \n', notes: [] },
    });
    expect(convertToolsText('[1,]', 'functions')).toEqual({
      ok: false,
      error:
        'Tools JSON is not valid JSON (line 1, column 3): Trailing comma: remove the comma before ].',
    });
    expect(convertToolsText('{"name": "a"}', 'tools')).toEqual({
      ok: false,
      error: 'Tools JSON must be an array: wrap the definitions in [ ].',
    });
  });

  it('formats JSON with two spaces and keeps literals as written', () => {
    expect(formatJsonText('[{"a":1.0,"b":[1,2],"c":{}}]\n')).toEqual({
      ok: true,
      value: lines(
        '[',
        '  {',
        '    "a": 1.0,',
        '    "b": [',
        '      1,',
        '      2',
        '    ],',
        '    "c": {}',
        '  }',
        ']',
      ),
    });
    expect(formatJsonText('   ')).toEqual({ ok: true, value: '' });
    expect(formatJsonText('{"a" 1}')).toEqual({
      ok: false,
      error: 'Cannot format: line 1, column 6: Expected a colon (:) after the property name.',
    });
  });
});

describe('TOOL_TEMPLATES', () => {
  it('has the three templates with their names', () => {
    expect(TOOL_TEMPLATES.map((t) => t.id)).toEqual(['weather', 'calculator', 'search']);
    expect(TOOL_TEMPLATES.map((t) => (t.tool.function as { name: string }).name)).toEqual([
      'get_weather',
      'calculate',
      'web_search',
    ]);
  });

  it.each(TOOL_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s passes checkTools in both formats',
    (_id, template) => {
      expect(template.tool).toMatchObject({ type: 'function', function: { strict: true } });
      const asTools = JSON.stringify([template.tool], null, 2);
      expect(checkTools(asTools, 'tools').diagnostics).toEqual([]);
      const converted = convertToolsText(asTools, 'functions');
      expect(converted.ok).toBe(true);
      if (converted.ok)
        expect(checkTools(converted.value.text, 'functions').diagnostics).toEqual([]);
    },
  );
});

describe('appendTool', () => {
  const weather = TOOL_TEMPLATES[0]!.tool;
  const calc = TOOL_TEMPLATES[1]!.tool;

  it('turns blank text into a one-item array', async () => {
    expect(appendTool('', 'tools', weather)).toEqual({
      ok: true,
      value: { text: JSON.stringify([weather], null, 2), name: 'get_weather' },
    });
  });

  it('appends to an existing array, pretty-printed', async () => {
    const result = appendTool('[{"type":"function","function":{"name":"x"}}]', 'tools', calc);
    expect(result).toEqual({
      ok: true,
      value: {
        text: JSON.stringify([{ type: 'function', function: { name: 'x' } }, calc], null, 2),
        name: 'calculate',
      },
    });
  });

  it('converts to the legacy format when that is the current one', async () => {
    const result = appendTool('[]', 'functions', calc);
    const fn = calc.function as Record<string, unknown>;
    expect(result).toEqual({
      ok: true,
      value: {
        text: JSON.stringify(
          [{ name: fn.name, description: fn.description, parameters: fn.parameters }],
          null,
          2,
        ),
        name: 'calculate',
      },
    });
  });

  it('suffixes a taken name and leaves the template untouched', async () => {
    const once = appendTool('', 'tools', weather);
    if (!once.ok) throw new Error(once.error);
    const twice = appendTool(once.value.text, 'tools', weather);
    if (!twice.ok) throw new Error(twice.error);
    expect(twice.value.name).toBe('get_weather_2');
    const thrice = appendTool(twice.value.text, 'tools', weather);
    if (!thrice.ok) throw new Error(thrice.error);
    expect(thrice.value.name).toBe('get_weather_3');
    expect(checkTools(thrice.value.text, 'tools')).toMatchObject({
      names: ['get_weather', 'get_weather_2', 'get_weather_3'],
      diagnostics: [],
    });
    expect((weather.function as { name: string }).name).toBe('get_weather');
  });

  it('refuses invalid or non-array text', async () => {
    const text = '[{"type": "function",]';
    expect(appendTool(text, 'tools', weather)).toEqual({
      ok: false,
      error:
        'Cannot add the tool: Tools JSON is not valid JSON (line 1, column 21): Trailing comma: remove the comma before ].',
    });
    expect(appendTool('{"name": "a"}', 'functions', weather)).toEqual({
      ok: false,
      error: 'Cannot add the tool: Tools JSON must be an array: wrap the definitions in [ ].',
    });
  });
});

describe('toolFromForm', () => {
  const params: ParamField[] = [
    { name: 'city', type: 'string', description: 'City name.', required: true, enumValues: '' },
    { name: 'unit', type: 'string', description: '', required: false, enumValues: 'c, f, ,c' },
    { name: 'tags', type: 'array', description: '', required: false, enumValues: '' },
    { name: 'opts', type: 'object', description: '', required: false, enumValues: '' },
  ];

  it('builds a strict definition', () => {
    const result = toolFromForm({
      name: 'lookup',
      description: ' Look up. ',
      params,
      strict: true,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        type: 'function',
        function: {
          name: 'lookup',
          description: 'Look up.',
          parameters: {
            type: 'object',
            properties: {
              city: { type: 'string', description: 'City name.' },
              unit: { type: ['string', 'null'], enum: ['c', 'f', null] },
              tags: { type: ['array', 'null'], items: { type: 'string' } },
              opts: { type: ['object', 'null'], properties: {}, additionalProperties: false },
            },
            required: ['city', 'unit', 'tags', 'opts'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
    });
    if (result.ok) {
      expect(checkTools(JSON.stringify([result.value]), 'tools').diagnostics).toEqual([]);
    }
  });

  it('builds a non-strict definition', () => {
    expect(toolFromForm({ name: 'lookup', description: '', params, strict: false })).toEqual({
      ok: true,
      value: {
        type: 'function',
        function: {
          name: 'lookup',
          parameters: {
            type: 'object',
            properties: {
              city: { type: 'string', description: 'City name.' },
              unit: { type: 'string', enum: ['c', 'f'] },
              tags: { type: 'array', items: { type: 'string' } },
              opts: { type: 'object', properties: {}, additionalProperties: false },
            },
            required: ['city'],
          },
        },
      },
    });
    expect(toolFromForm({ name: 'ping', description: '', params: [], strict: false })).toEqual({
      ok: true,
      value: {
        type: 'function',
        function: { name: 'ping', parameters: { type: 'object', properties: {} } },
      },
    });
  });

  it('says per field what is wrong', () => {
    expect(
      toolFromForm({
        name: 'look up',
        description: '',
        strict: false,
        params: [
          { name: '  ', type: 'string', description: '', required: false, enumValues: '' },
          { name: 'n', type: 'integer', description: '', required: false, enumValues: '1,2' },
          { name: 'n', type: 'string', description: '', required: false, enumValues: '' },
        ],
      }),
    ).toEqual({
      ok: false,
      error: [
        { field: 'name', message: 'Use only a-z, A-Z, 0-9, _ and - (1 to 64 characters).' },
        { field: 'params.0.name', message: 'Give the parameter a name.' },
        {
          field: 'params.1.enumValues',
          message: 'Allowed values are only available for string parameters.',
        },
        { field: 'params.2.name', message: 'Parameter "n" is already defined.' },
      ],
    });
    expect(toolFromForm({ name: '', description: '', params: [], strict: true })).toEqual({
      ok: false,
      error: [{ field: 'name', message: 'Give the function a name.' }],
    });
  });
});

describe('estimateToolTokens', () => {
  const length = (s: string) => s.length;
  const weatherFn = {
    name: 'get_weather',
    description: 'Get weather.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name.' },
        unit: { type: 'string', enum: ['c', 'f'] },
      },
    },
  };

  it('follows the cookbook formula', () => {
    // func_init 7 + "get_weather:Get weather" 23
    // + prop_init 3
    // + city: prop_key 3 + "city:string:City name" 21
    // + unit: prop_key 3 + enum_init -3 + (3 + 1) * 2 + "unit:string:" 12
    // + func_end 12
    const expected = 7 + 23 + 3 + (3 + 21) + (3 - 3 + 8 + 12) + 12;
    expect(expected).toBe(89);
    expect(estimateToolTokens([{ type: 'function', function: weatherFn }], 'tools', length)).toBe(
      89,
    );
    expect(estimateToolTokens([weatherFn], 'functions', length)).toBe(89);
  });

  it('counts nested schemas, type lists and custom tools', () => {
    const nested = {
      name: 'f',
      parameters: { properties: { tags: { type: ['array', 'null'], items: { type: 'string' } } } },
    };
    // 7 + "f:" 2 + 3 + 3 + "tags:array,null:" 16 + '{"type":"string"}' 17 + 12
    expect(estimateToolTokens([nested], 'functions', length)).toBe(60);
    const custom = {
      type: 'custom',
      custom: { name: 'sql', description: 'Run SQL.', format: { type: 'text' } },
    };
    // 7 + "sql:Run SQL" 11 + '{"type":"text"}' 15 + 12
    expect(estimateToolTokens([custom], 'tools', length)).toBe(45);
  });

  it('is 0 for nothing and skips garbage without throwing', () => {
    expect(estimateToolTokens([], 'tools', length)).toBe(0);
    const garbage = [1, null, 'x', [], { type: 'function' }, { type: 'custom' }];
    expect(estimateToolTokens(garbage, 'tools', length)).toBe(0);
    expect(estimateToolTokens(garbage, 'functions', length)).toBe(0);
    expect(
      estimateToolTokens([...garbage, { type: 'function', function: weatherFn }], 'tools', length),
    ).toBe(89);
    // A function without description or parameters: 7 + "a:" 2 + 12.
    expect(
      estimateToolTokens(
        [{ name: 'a', parameters: { properties: { x: 5 } } }],
        'functions',
        length,
      ),
    ).toBe(7 + 2 + 3 + 3 + 'x::'.length + 12);
  });
});
