import { describe, expect, it } from 'vitest';
import { loadToolsEditorAids } from '../../src/lib/model/tools';

const { toolKeySuggestions } = await loadToolsEditorAids();

type Path = (string | number)[];

const labels = (
  path: Path,
  kind: 'key' | 'value',
  format: 'tools' | 'functions' = 'tools',
  siblings?: Record<string, unknown>,
) => toolKeySuggestions(path, kind, format, siblings).map((s) => s.label);

const SCHEMA_KEYS = [
  'type',
  'description',
  'properties',
  'required',
  'items',
  'enum',
  'additionalProperties',
  'anyOf',
  '$ref',
  '$defs',
  'minimum',
  'maximum',
  'pattern',
  'format',
  'default',
  'const',
  'title',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
];
const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
const PARAMS: Path = [0, 'function', 'parameters'];

describe('toolKeySuggestions, tools format', () => {
  it('offers the keys of a tool', () => {
    expect(labels([0], 'key')).toEqual(['type', 'function', 'custom']);
    expect(labels([3], 'key')).toEqual(['type', 'function', 'custom']);
  });

  it('offers the tool types as string values', () => {
    const items = toolKeySuggestions([0, 'type'], 'value', 'tools');
    expect(items.map((s) => s.label)).toEqual(['function', 'custom']);
    expect(items.every((s) => s.apply === undefined)).toBe(true);
  });

  it('offers the keys of a function and of a custom tool', () => {
    expect(labels([0, 'function'], 'key')).toEqual(['name', 'description', 'parameters', 'strict']);
    expect(labels([0, 'custom'], 'key')).toEqual(['name', 'description', 'format']);
    expect(labels([0, 'custom', 'format'], 'key')).toEqual(['type', 'grammar']);
    expect(labels([0, 'custom', 'format', 'type'], 'value')).toEqual(['text', 'grammar']);
    expect(labels([0, 'custom', 'format', 'grammar', 'syntax'], 'value')).toEqual([
      'lark',
      'regex',
    ]);
  });

  it('offers booleans for strict, inserted bare', () => {
    expect(toolKeySuggestions([0, 'function', 'strict'], 'value', 'tools')).toEqual([
      { label: 'true', detail: 'boolean', apply: 'true' },
      { label: 'false', detail: 'boolean', apply: 'false' },
    ]);
  });

  it('gives every suggestion a one-line detail', () => {
    const all = [
      ...toolKeySuggestions([0], 'key', 'tools'),
      ...toolKeySuggestions([0, 'function'], 'key', 'tools'),
      ...toolKeySuggestions(PARAMS, 'key', 'tools'),
      ...toolKeySuggestions([...PARAMS, 'type'], 'value', 'tools'),
    ];
    for (const s of all) expect(s.detail).toMatch(/^[^\n]+$/);
    const description = toolKeySuggestions([0, 'function'], 'key', 'tools')[1];
    expect(description?.detail).toBe('string — what the function does; the model reads it');
  });

  it('offers schema keys in parameters and the schemas nested in it', () => {
    expect(labels(PARAMS, 'key')).toEqual(SCHEMA_KEYS);
    for (const rest of [
      ['properties', 'city'],
      ['properties', 'tags', 'items'],
      ['properties', 'when', 'anyOf', 1],
      ['$defs', 'Place'],
      ['additionalProperties'],
      ['properties', 'a', 'properties', 'b', 'items', 'properties', 'c'],
    ]) {
      expect(labels([...PARAMS, ...rest], 'key')).toEqual(SCHEMA_KEYS);
    }
  });

  it('offers nothing directly under properties or $defs (user-chosen names)', () => {
    expect(labels([...PARAMS, 'properties'], 'key')).toEqual([]);
    expect(labels([...PARAMS, 'properties', 'a', 'properties'], 'key')).toEqual([]);
    expect(labels([...PARAMS, '$defs'], 'key')).toEqual([]);
    expect(labels([...PARAMS, 'properties', 'type'], 'value')).toEqual([]);
    expect(labels([...PARAMS, 'enum'], 'key')).toEqual([]);
  });

  it('offers values for type, additionalProperties and format', () => {
    expect(labels([...PARAMS, 'type'], 'value')).toEqual(TYPES);
    expect(labels([...PARAMS, 'properties', 'x', 'type'], 'value')).toEqual(TYPES);
    expect(labels([...PARAMS, 'properties', 'x', 'type', 1], 'value')).toEqual(TYPES);
    expect(
      toolKeySuggestions([...PARAMS, 'additionalProperties'], 'value', 'tools').map((s) => s.apply),
    ).toEqual(['true', 'false']);
    expect(labels([...PARAMS, 'properties', 'd', 'format'], 'value')).toContain('date-time');
    expect(labels([...PARAMS, 'description'], 'value')).toEqual([]);
  });

  it('offers nothing outside the known places', () => {
    expect(labels([], 'key')).toEqual([]);
    expect(labels([], 'value')).toEqual([]);
    expect(labels([0], 'value')).toEqual([]);
    expect(labels([0, 'function', 'name'], 'value')).toEqual([]);
    expect(labels([0, 'other'], 'key')).toEqual([]);
    expect(labels([0, 'function', 'parameters'], 'value')).toEqual([]);
  });

  it('uses siblings: present keys, the chosen type, required names', () => {
    expect(labels([0], 'key', 'tools', { type: 'function' })).toEqual(['function']);
    expect(labels([0], 'key', 'tools', { type: 'custom' })).toEqual(['custom']);
    expect(labels([0, 'function'], 'key', 'tools', { name: 'f', strict: true })).toEqual([
      'description',
      'parameters',
    ]);
    expect(
      labels([...PARAMS, 'required', 1], 'value', 'tools', {
        type: 'object',
        properties: { city: {}, unit: {}, days: {} },
        required: ['city'],
      }),
    ).toEqual(['unit', 'days']);
    expect(labels([...PARAMS, 'required', 0], 'value', 'tools')).toEqual([]);
  });
});

describe('toolKeySuggestions, functions format', () => {
  it('offers the keys of a legacy function', () => {
    expect(labels([0], 'key', 'functions')).toEqual(['name', 'description', 'parameters']);
    expect(labels([0, 'function'], 'key', 'functions')).toEqual([]);
  });

  it('offers schema keys and values in parameters', () => {
    expect(labels([0, 'parameters'], 'key', 'functions')).toEqual(SCHEMA_KEYS);
    expect(labels([1, 'parameters', 'properties', 'q'], 'key', 'functions')).toEqual(SCHEMA_KEYS);
    expect(labels([1, 'parameters', 'properties'], 'key', 'functions')).toEqual([]);
    expect(labels([0, 'parameters', 'type'], 'value', 'functions')).toEqual(TYPES);
    expect(labels([0, 'type'], 'value', 'functions')).toEqual([]);
  });
});
