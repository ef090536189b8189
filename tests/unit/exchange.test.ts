import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/lib/model/request';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import { createConversation, withFreshIds } from '../../src/lib/model/conversation';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  FILE_MIGRATIONS,
  MAX_IMPORT_BYTES,
  checkFileSize,
  decodeImportBytes,
  parseImport,
  redactUrl,
  toExportFile,
  toMarkdown,
  type ImportResult,
} from '../../src/lib/model/exchange';
import { REASONING_EFFORTS } from '../../src/lib/model/params';
import { SCHEMA_VERSION, type Conversation, type Message } from '../../src/lib/model/types';

const NOW = Date.UTC(2025, 0, 2, 10, 30);

function sample(): Conversation {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: 'c1',
    title: 'Weather',
    createdAt: NOW,
    updatedAt: NOW + 60_000,
    systemMessage: 'Be brief.',
    model: 'gpt-4o-mini',
    stream: false,
    params: { temperature: 0, max_tokens: 256 },
    tools: {
      json: '[{"type":"function","function":{"name":"weather"}}]',
      format: 'tools',
      choice: 'auto',
    },
    draft: 'half a thought',
    messages: [
      { id: 'm1', role: 'user', content: 'What is the **weather** <b>today</b>?' },
      {
        id: 'm2',
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', type: 'function', name: 'weather', arguments: '{"city":"Paris"}' },
        ],
        status: 'done',
        finishReason: 'tool_calls',
        usage: { prompt: 12, completion: 7, total: 19, cachedPrompt: 0 },
        model: 'gpt-4o-mini-2024-07-18',
      },
      { id: 'm3', role: 'tool', content: 'sunny', toolCallId: 'call_1', name: 'weather' },
      {
        id: 'm4',
        role: 'assistant',
        content: 'Sunny in Paris.',
        status: 'done',
        finishReason: 'stop',
        usage: { prompt: 30, completion: 5, total: 35 },
        model: 'gpt-4o-mini-2024-07-18',
      },
    ],
  };
}

function ok(result: ImportResult) {
  if (!result.ok) throw new Error(`expected the import to succeed: ${result.error}`);
  return result.value;
}

function errorOf(result: ImportResult): string {
  if (result.ok) throw new Error('expected the import to be refused');
  return result.error;
}

const parleyFile = (conversations: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, conversations, ...extra });

// ---------------------------------------------------------------------------
// Export

describe('toExportFile', () => {
  it('writes the format header, ISO date and pretty JSON with a trailing newline', () => {
    const text = toExportFile([sample()], NOW);
    expect(text.startsWith('{\n  "format": "parley.conversations",\n  "version": 1,\n')).toBe(true);
    expect(text).toContain('"exportedAt": "2025-01-02T10:30:00.000Z"');
    expect(text.endsWith('}\n')).toBe(true);
    const file = JSON.parse(text) as { conversations: Conversation[] };
    expect(Object.keys(file)).toEqual(['format', 'version', 'exportedAt', 'conversations']);
    expect(file.conversations[0]!.draft).toBe('half a thought');
  });

  it('orders keys the same way whatever order the record was built in', () => {
    const c = sample();
    const shuffled = Object.fromEntries(Object.entries(c).reverse()) as unknown as Conversation;
    shuffled.messages = c.messages.map(
      (m) => Object.fromEntries(Object.entries(m).reverse()) as unknown as Message,
    );
    expect(toExportFile([shuffled], NOW)).toBe(toExportFile([c], NOW));
  });

  it('contains no key, credential or setting', () => {
    const SECRET = 'sk-live-secret-0123456789abcdef';
    const c = sample();
    const request = {
      method: 'POST',
      url: 'https://user:pass@host.example/v1/chat/completions?api-key=sk-x-url-secret&api-version=2024-06-01&TOKEN=tok-secret',
      headers: [
        ['Authorization', `Bearer ${SECRET}`],
        ['api-key', 'sk-azure-secret-1'],
        ['X-API-Key', 'sk-anthropic-secret-2'],
        ['OpenAI-Organization', 'org-settings-secret-4'],
        ['Content-Type', 'application/json'],
      ] as [string, string][],
      body: '{"model":"gpt-4o-mini"}',
    };
    c.messages[1]!.request = request;
    c.messages[1]!.response = {
      status: 401,
      headers: [['set-cookie', 'session=cookie-secret-3']],
      body: `{"error":{"message":"Incorrect API key provided: ${SECRET}"}}`,
    };
    c.compare = {
      active: true,
      panes: [
        {
          id: 'p1',
          model: 'gpt-4',
          overrides: {},
          linkedHistory: true,
          messages: [
            {
              id: 'pm1',
              role: 'assistant',
              content: 'hi',
              request: { ...request, url: 'https://a:b@other.example/v1?key=pane-key-secret' },
            },
          ],
        },
      ],
    };
    // Settings smuggled onto the record are not part of a conversation.
    const withSettings = { ...c, apiKey: SECRET, baseURL: 'https://user:pass@host.example' };

    const text = toExportFile([withSettings as Conversation], NOW, [SECRET]);

    for (const secret of [
      SECRET,
      'sk-azure-secret-1',
      'sk-anthropic-secret-2',
      'sk-x-url-secret',
      'tok-secret',
      'pane-key-secret',
      'cookie-secret-3',
      'org-settings-secret-4',
      'host.example',
      'other.example',
      'user:pass',
      'a:b@',
      'apiKey',
      'baseURL',
    ]) {
      expect(text).not.toContain(secret);
    }
    const file = JSON.parse(text) as { conversations: Conversation[] };
    const recorded = file.conversations[0]!.messages[1]!.request!;
    // The path stays (which endpoint, which API version); the host is a setting.
    expect(recorded.url).toBe('/v1/chat/completions?api-version=2024-06-01');
    expect(recorded.headers).toEqual([
      ['Authorization', 'Bearer [redacted]'],
      ['api-key', '[redacted]'],
      ['X-API-Key', '[redacted]'],
      ['OpenAI-Organization', '[redacted]'],
      ['Content-Type', 'application/json'],
    ]);
    expect(file.conversations[0]!.compare!.panes[0]!.messages[0]!.request!.url).toBe('/v1');
    // What is not secret stays: the draft, the body, the transcript.
    expect(file.conversations[0]!.draft).toBe('half a thought');
    expect(recorded.body).toBe('{"model":"gpt-4o-mini"}');
  });

  it('refuses (throws) a record that is not a conversation', () => {
    const bad = { ...sample(), messages: 'nope' } as unknown as Conversation;
    expect(() => toExportFile([sample(), bad], NOW)).toThrow(
      'Conversation 2 cannot be exported: messages: expected an array',
    );
  });
});

describe('redactUrl', () => {
  it('removes credentials and key-like query parameters, nothing else', () => {
    expect(redactUrl('https://api.openai.com/v1/chat/completions')).toBe(
      'https://api.openai.com/v1/chat/completions',
    );
    expect(redactUrl('https://u:p@h/v1?api_key=1&x=2&Key=3#frag')).toBe('https://h/v1?x=2#frag');
    expect(redactUrl('https://u@h/v1?access_token=1')).toBe('https://h/v1');
    expect(redactUrl('http://localhost:11434/v1?a=%20b')).toBe('http://localhost:11434/v1?a=%20b');
    // Found by the round-trip property: a "?" in the fragment is not a query.
    expect(redactUrl('http://a.aa?#?key=1')).toBe('http://a.aa?#?key=1');
    expect(redactUrl('http://a.aa?key=1#?key=2')).toBe('http://a.aa#?key=2');
  });
});

// ---------------------------------------------------------------------------
// Property: export -> parse -> export is byte-identical

const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '\ud800',
      'a\udc00b',
      '```',
      '"\\\n\u2028\u2029',
      '__proto__',
      'constructor',
      '\ufeff',
      '\u0000',
      '😀👩‍👩‍👧',
    ),
  },
);
const id = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 });
const num = fc.double({ noNaN: true, noDefaultInfinity: true });
const count = fc.nat({ max: 10_000_000 });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const safeKey = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__');
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    num,
    text,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(safeKey, tie('json'), { maxKeys: 3, noNullPrototype: true }),
  ),
}));

const usage = fc.oneof(
  fc.constant(null),
  fc.record(
    { prompt: count, completion: count, total: count, cachedPrompt: count, reasoning: count },
    { requiredKeys: ['prompt', 'completion', 'total'] },
  ),
);
const timing = fc.record(
  { startedAt: num, firstTokenAt: num, endedAt: num },
  { requiredKeys: ['startedAt'] },
);
const toolCall = fc.record({
  id: text,
  type: fc.constantFrom('function' as const, 'custom' as const),
  name: text,
  arguments: text,
});
const headers = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom('Authorization', 'api-key', 'X-Api-Key', 'content-type'), text),
    fc.oneof(fc.constant('Bearer sk-abc'), text),
  ),
  { maxLength: 3 },
);
const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  text,
  fc.constant('https://user:pass@host/v1?api-key=sk-x&a=1'),
);
const bytes = nullable(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 }));
const topLogprob = fc.record(
  { token: text, logprob: num, bytes },
  { requiredKeys: ['token', 'logprob'] },
);
const tokenLogprob = fc.record(
  { token: text, logprob: num, bytes, topLogprobs: fc.array(topLogprob, { maxLength: 2 }) },
  { requiredKeys: ['token', 'logprob', 'topLogprobs'] },
);
const appError = fc.record(
  {
    kind: fc.constantFrom('auth', 'rate_limit', 'server', 'unknown'),
    message: text,
    status: num,
    apiMessage: text,
    code: fc.oneof(text, num, fc.constant(null)),
    param: nullable(text),
    type: nullable(text),
    requestId: text,
    retryable: fc.boolean(),
    retryAfterMs: num,
    fixInSettings: fc.boolean(),
    hint: text,
  },
  { requiredKeys: ['kind', 'message', 'retryable'] },
);
const answerChoice = fc.record(
  {
    content: text,
    refusal: text,
    reasoning: text,
    finishReason: nullable(text),
    toolCalls: fc.array(toolCall, { maxLength: 2 }),
    logprobs: fc.array(tokenLogprob, { maxLength: 2 }),
    refusalLogprobs: fc.array(tokenLogprob, { maxLength: 1 }),
  },
  { requiredKeys: ['content'] },
);
const message = fc.record(
  {
    id,
    role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool'),
    content: text,
    refusal: text,
    reasoning: text,
    toolCalls: fc.array(toolCall, { maxLength: 2 }),
    toolCallId: text,
    name: text,
    status: fc.constantFrom('streaming', 'done', 'stopped', 'stalled', 'incomplete', 'error'),
    finishReason: nullable(text),
    usage,
    model: text,
    timing,
    error: appError,
    requestId: text,
    logprobs: fc.array(tokenLogprob, { maxLength: 2 }),
    refusalLogprobs: fc.array(tokenLogprob, { maxLength: 1 }),
    choices: fc.array(answerChoice, { maxLength: 2 }),
    chosen: fc.nat({ max: 3 }),
    request: fc.record({ method: fc.constantFrom('POST', 'GET'), url, headers, body: text }),
    response: fc.record(
      {
        status: fc.nat({ max: 599 }),
        headers,
        chunks: fc.array(text, { maxLength: 3 }),
        chunksOmitted: count,
        body: text,
        id: text,
        systemFingerprint: nullable(text),
      },
      { requiredKeys: ['status', 'headers'] },
    ),
  },
  { requiredKeys: ['id', 'role', 'content'] },
);
const responseFormat = fc.oneof(
  fc.constant({ type: 'text' as const }),
  fc.constant({ type: 'json_object' as const }),
  fc.record({
    type: fc.constant('json_schema' as const),
    json_schema: fc.record(
      {
        name: text,
        description: text,
        strict: fc.boolean(),
        schema: fc.dictionary(safeKey, json, { maxKeys: 3, noNullPrototype: true }),
      },
      { requiredKeys: ['name', 'schema'] },
    ),
  }),
);
const paramValues = {
  temperature: num,
  top_p: num,
  frequency_penalty: num,
  presence_penalty: num,
  max_tokens: fc.nat(),
  stop: fc.array(text, { maxLength: 3 }),
  seed: fc.integer(),
  n: fc.nat({ max: 8 }),
  user: text,
  logprobs: fc.boolean(),
  top_logprobs: fc.nat({ max: 20 }),
  logit_bias: fc.dictionary(fc.nat({ max: 200_000 }).map(String), num, {
    minKeys: 1,
    maxKeys: 3,
    noNullPrototype: true,
  }),
  response_format: responseFormat,
  reasoning_effort: fc.constantFrom(...REASONING_EFFORTS),
  max_tokens_field: fc.constantFrom('auto', 'max_tokens', 'max_completion_tokens'),
  extra: text,
};
const params = fc.record(paramValues, { requiredKeys: [] });
const overrides = fc.record(
  Object.fromEntries(
    Object.entries(paramValues).map(([k, arb]) => [k, nullable(arb as fc.Arbitrary<unknown>)]),
  ),
  { requiredKeys: [] },
);
const tools = fc.record(
  {
    json: fc.oneof(text, fc.constant('[{"type":"function","function":{"name":"f"}}]')),
    format: fc.constantFrom('tools', 'functions'),
    choice: fc.oneof(fc.constantFrom('auto', 'none', 'required'), fc.record({ name: text })),
    parallel: fc.boolean(),
  },
  { requiredKeys: ['json', 'format'] },
);
const pane = fc.record(
  {
    id,
    model: text,
    overrides,
    stream: fc.boolean(),
    systemMessage: text,
    tools,
    linkedHistory: fc.boolean(),
    messages: fc.array(message, { maxLength: 2 }),
    label: text,
  },
  { requiredKeys: ['id', 'model', 'overrides', 'linkedHistory', 'messages'] },
);
const conversation = fc.record(
  {
    schemaVersion: fc.constant(SCHEMA_VERSION),
    id,
    title: text,
    createdAt: num,
    updatedAt: num,
    systemMessage: text,
    model: text,
    stream: fc.boolean(),
    params,
    tools,
    messages: fc.array(message, { maxLength: 4 }),
    draft: text,
    compare: fc.record({ active: fc.boolean(), panes: fc.array(pane, { maxLength: 3 }) }),
  },
  {
    requiredKeys: [
      'schemaVersion',
      'id',
      'title',
      'createdAt',
      'updatedAt',
      'systemMessage',
      'model',
      'stream',
      'params',
      'tools',
      'messages',
      'draft',
    ],
  },
);
/** Records in canonical form: what migrateConversation returns. */
const conversations = fc
  .uniqueArray(conversation, { selector: (c) => c.id, maxLength: 3 })
  .map((raws) =>
    raws.map((raw) => {
      const checked = migrateConversation(raw);
      if (!checked.ok) throw new Error(`arbitrary made a bad record: ${checked.error}`);
      return checked.value;
    }),
  );

describe('export -> parse -> export', () => {
  it('is byte-identical, and parsing gives back exactly what the file holds', () => {
    fc.assert(
      fc.property(conversations, (convs) => {
        const first = toExportFile(convs, NOW);
        const parsed = ok(parseImport(first));
        expect(parsed.kind).toBe('parley');
        expect(parsed.warnings).toEqual(convs.length ? [] : ['The file holds no conversations.']);
        expect(parsed.conversations).toEqual(
          (JSON.parse(first) as { conversations: unknown[] }).conversations,
        );
        expect(toExportFile(parsed.conversations, NOW)).toBe(first);
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});

// ---------------------------------------------------------------------------
// The JSON Schema describes every file Parley writes

type Schema = Record<string, unknown>;
const SCHEMA = JSON.parse(
  readFileSync(new URL('../../public/parley-export.schema.json', import.meta.url), 'utf8'),
) as Schema;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'format', '$defs']);

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'null':
      return v === null;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    default:
      return typeof v === type;
  }
}

/**
 * A validator for the keywords the schema uses (it throws on any other, so
 * the schema cannot use one this test ignores). `strict`: every key of the
 * data must be declared, which proves the schema documents all of them.
 */
function validate(schema: Schema, v: unknown, path: string, strict: boolean): string[] {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path || '(root)'}: ${why}`);
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case '$ref': {
        const name = (arg as string).replace('#/$defs/', '');
        const target = (SCHEMA.$defs as Record<string, Schema>)[name];
        if (!target) throw new Error(`unresolved $ref ${String(arg)}`);
        errors.push(...validate(target, v, path, strict));
        break;
      }
      case 'type': {
        const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
        if (!types.some((t) => typeMatches(t, v))) fail(`expected ${types.join(' or ')}`);
        break;
      }
      case 'const':
        if (v !== arg) fail(`expected ${JSON.stringify(arg)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).includes(v)) fail(`expected one of ${JSON.stringify(arg)}`);
        break;
      case 'minimum':
        if (typeof v === 'number' && v < (arg as number)) fail(`below ${String(arg)}`);
        break;
      case 'maximum':
        if (typeof v === 'number' && v > (arg as number)) fail(`above ${String(arg)}`);
        break;
      case 'minLength':
        if (typeof v === 'string' && v.length < (arg as number)) fail('too short');
        break;
      case 'minItems':
        if (Array.isArray(v) && v.length < (arg as number)) fail('too few items');
        break;
      case 'maxItems':
        if (Array.isArray(v) && v.length > (arg as number)) fail('too many items');
        break;
      case 'items':
        if (Array.isArray(v)) {
          const from = Array.isArray(schema.prefixItems) ? schema.prefixItems.length : 0;
          v.slice(from).forEach((item, i) => {
            errors.push(...validate(arg as Schema, item, `${path}[${i + from}]`, strict));
          });
        }
        break;
      case 'prefixItems':
        if (Array.isArray(v)) {
          (arg as Schema[]).forEach((s, i) => {
            if (i < v.length) errors.push(...validate(s, v[i], `${path}[${i}]`, strict));
          });
        }
        break;
      case 'required':
        if (typeMatches('object', v)) {
          for (const key of arg as string[]) {
            if (!Object.hasOwn(v as object, key)) fail(`missing ${key}`);
          }
        }
        break;
      case 'properties':
        if (typeMatches('object', v)) {
          for (const [key, value] of Object.entries(v as object)) {
            const sub = (arg as Record<string, Schema>)[key];
            if (sub && Object.hasOwn(arg as object, key)) {
              errors.push(...validate(sub, value, `${path}.${key}`, strict));
            }
          }
        }
        break;
      case 'additionalProperties':
        if (typeMatches('object', v)) {
          const declared = (schema.properties ?? {}) as Record<string, Schema>;
          for (const [key, value] of Object.entries(v as object)) {
            if (Object.hasOwn(declared, key)) continue;
            if (typeof arg === 'object') {
              errors.push(...validate(arg as Schema, value, `${path}.${key}`, strict));
            } else if (arg === false || strict) fail(`undeclared key ${key}`);
          }
        }
        break;
      case 'oneOf': {
        const passing = (arg as Schema[]).filter((s) => validate(s, v, path, strict).length === 0);
        if (passing.length !== 1) fail(`matches ${passing.length} of oneOf`);
        break;
      }
      default:
        throw new Error(`the test validator does not know the keyword ${keyword}`);
    }
  }
  return errors;
}

describe('parley-export.schema.json', () => {
  it('is a 2020-12 schema whose definitions are all used', () => {
    expect(SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const text = JSON.stringify(SCHEMA);
    for (const name of Object.keys(SCHEMA.$defs as object)) {
      expect(text).toContain(`"#/$defs/${name}"`);
    }
  });

  it('accepts the sample export and declares every key in it', () => {
    const c = sample();
    c.compare = {
      active: true,
      panes: [
        {
          id: 'p1',
          model: 'gpt-4',
          overrides: { temperature: 0.7, max_tokens: null },
          linkedHistory: false,
          messages: [],
          label: 'temperature 0.7',
        },
      ],
    };
    expect(validate(SCHEMA, JSON.parse(toExportFile([c], NOW)), '', true)).toEqual([]);
  });

  it('accepts every file Parley writes (strict: no undeclared key)', () => {
    fc.assert(
      fc.property(conversations, (convs) => {
        expect(validate(SCHEMA, JSON.parse(toExportFile(convs, NOW)), '', true)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  }, 30_000);

  it('refuses what migrateConversation refuses: no id, no messages, a message without a role', () => {
    const file = (c: unknown) => JSON.parse(parleyFile([c])) as unknown;
    expect(validate(SCHEMA, file({ messages: [] }), '', false)).toEqual([
      '.conversations[0]: missing id',
    ]);
    expect(validate(SCHEMA, file({ id: 'a' }), '', false)).toEqual([
      '.conversations[0]: missing messages',
    ]);
    expect(validate(SCHEMA, file({ id: 'a', messages: [{ content: 'x' }] }), '', false)).toEqual([
      '.conversations[0].messages[0]: missing role',
    ]);
    expect(
      validate(SCHEMA, file({ id: 'a', messages: [{ role: 'bot' }] }), '', false)[0],
    ).toContain('.conversations[0].messages[0].role: expected one of');
  });
});

// ---------------------------------------------------------------------------
// Bad files

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('parseImport refuses bad files with the exact reason', () => {
  const goodConv = { id: 'a', messages: [{ role: 'user', content: 'hi' }] };
  const cases: [string, string, string][] = [
    [
      'truncated JSON',
      '{\n  "format": "parley.conversations",\n  "version": 1,\n  "conversations": [\n    {"id": "a", "messages": [',
      'The file is not valid JSON (line 5, column 29): Unexpected end of text: expected ] to close the array.',
    ],
    [
      'a trailing comma',
      '{"a": 1,\n}',
      'The file is not valid JSON (line 1, column 8): Trailing comma: remove the comma before }.',
    ],
    [
      'a raw control character',
      '{"a": "x\u0001"}',
      'The file is not valid JSON (line 1, column 7): Line breaks and control characters inside a string must be escaped (like \\n).',
    ],
    [
      'messages not an array',
      parleyFile([{ id: 'a', messages: 'hi' }]),
      'conversations[0].messages: expected an array',
    ],
    [
      'content a number',
      parleyFile([{ id: 'a', messages: [{ role: 'user', content: 42 }] }]),
      'conversations[0].messages[0].content: expected a string',
    ],
    [
      'an unknown role',
      parleyFile([goodConv, { id: 'b', messages: [{ role: 'bot', content: 'x' }] }]),
      'conversations[1].messages[0].role: expected one of system, developer, user, assistant, tool',
    ],
    [
      'conversation 2 of 3 bad',
      parleyFile([
        goodConv,
        { id: 'b', messages: [goodConv.messages[0], 7] },
        { ...goodConv, id: 'c' },
      ]),
      'conversations[1].messages[1]: expected an object',
    ],
    [
      'a conversation that is not an object',
      parleyFile([goodConv, 'b']),
      'conversations[1]: expected a conversation object',
    ],
    [
      'conversations not an array',
      parleyFile([]).replace('[]', '{}'),
      'conversations: expected an array',
    ],
    [
      'a newer file version',
      JSON.stringify({ format: EXPORT_FORMAT, version: 2, conversations: [] }),
      'This file was made by a newer Parley (version 2); this one reads up to version 1. Update Parley to import it.',
    ],
    [
      'a newer conversation schema',
      parleyFile([{ ...goodConv, schemaVersion: 9 }]),
      'conversations[0]: This conversation was made by a newer Parley (schema version 9; this one reads up to 1). Update Parley to open it.',
    ],
    [
      'a version that is not a number',
      JSON.stringify({ format: EXPORT_FORMAT, version: '1', conversations: [] }),
      'version: expected a whole number of at least 1',
    ],
    [
      'another format',
      JSON.stringify({ format: 'other.app', version: 1 }),
      'This is not a Parley export: its format is "other.app", not "parley.conversations".',
    ],
    [
      'a bad bare conversation',
      JSON.stringify({
        id: 'a',
        messages: [{ role: 'user', content: 'x', usage: { prompt: -1 } }],
      }),
      'messages[0].usage.prompt: expected a non-negative integer',
    ],
    [
      'a bad record in a bare array',
      JSON.stringify([goodConv, { id: '', messages: [] }]),
      '[1].id: expected a non-empty string',
    ],
    [
      'a Chat Completions response',
      JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [] }),
      'This is a Chat Completions response, not a request. Import the request body (with "model" and "messages") instead.',
    ],
    ['an empty file', '', 'The file is empty.'],
    ['a blank file', ' \n\t\r\n', 'The file is empty.'],
    ['only a BOM', '\ufeff', 'The file is empty.'],
    [
      'binary (NUL bytes)',
      '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR',
      'This is not a text file. Import a .json file: a Parley export, a Chat Completions request body, or ChatGPT’s conversations.json.',
    ],
    [
      'binary (undecodable bytes first)',
      '\ufffd\ufffd\ufffd\u0010',
      'This is not a text file. Import a .json file: a Parley export, a Chat Completions request body, or ChatGPT’s conversations.json.',
    ],
    [
      'a zip archive',
      'PK\u0003\u0004\u0014\u0000',
      'This is a ZIP archive. Unzip it first, then import the .json file inside (for a ChatGPT export: conversations.json).',
    ],
    [
      'invalid text (half a surrogate pair)',
      '{"a": "\ud800"}',
      'This file is not valid UTF-8 text.',
    ],
  ];
  it.each(cases)('%s', (_name, input, error) => {
    expect(errorOf(parseImport(input))).toBe(error);
  });

  const scalars: [string, string][] = [
    ['null', 'null'],
    ['42', 'a number'],
    ['"text"', 'a string'],
    ['true', 'a boolean'],
  ];
  it.each(scalars)('top-level %s', (input, what) => {
    expect(errorOf(parseImport(input))).toBe(
      `The file holds ${what}, not conversations. Parley imports its own exports ({"format": "parley.conversations", …}), a Chat Completions request body ({"model": …, "messages": […]}) and ChatGPT’s conversations.json.`,
    );
  });

  it('an object it does not know', () => {
    expect(errorOf(parseImport('{"hello": "world"}'))).toMatch(
      /^Parley does not recognise this file\. Parley imports its own exports/,
    );
  });

  it('100,000-deep nesting, quickly and without a stack overflow', () => {
    for (const input of [
      deep(100_000),
      '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
      `[\n${'  ['.repeat(100_000)}`,
    ]) {
      const start = performance.now();
      const error = errorOf(parseImport(input));
      expect(performance.now() - start).toBeLessThan(1000);
      expect(error).toMatch(
        /^The JSON is nested deeper than 200 levels at line \d+, column \d+\.$/,
      );
    }
    expect(errorOf(parseImport(deep(100_000)))).toBe(
      'The JSON is nested deeper than 200 levels at line 1, column 201.',
    );
  });

  it('counts brackets inside strings as text, not nesting', () => {
    const c = { id: 'a', messages: [{ role: 'user', content: '['.repeat(5000) + '"\\{' }] };
    expect(ok(parseImport(JSON.stringify(c))).conversations[0]!.messages[0]!.content).toBe(
      '['.repeat(5000) + '"\\{',
    );
    const nested = (n: number) => `{"model": "m", "messages": [], "x": ${deep(n)}}`;
    expect(ok(parseImport(nested(199))).conversations).toHaveLength(1);
    expect(errorOf(parseImport(nested(200)))).toBe(
      'The JSON is nested deeper than 200 levels at line 1, column 236.',
    );
  });

  it('a file over the size limit, before any other work', () => {
    expect(checkFileSize(MAX_IMPORT_BYTES)).toBeNull();
    expect(checkFileSize(0)).toBeNull();
    expect(checkFileSize(MAX_IMPORT_BYTES + 1)).toBe(
      'This file is 25.0 MB; Parley imports files up to 25.0 MB.',
    );
    expect(checkFileSize(40 * 1024 * 1024)).toBe(
      'This file is 40.0 MB; Parley imports files up to 25.0 MB.',
    );
    expect(checkFileSize(Number.NaN)).toBe(
      'This file is too large; Parley imports files up to 25.0 MB.',
    );
    const start = performance.now();
    expect(errorOf(parseImport('x'.repeat(MAX_IMPORT_BYTES + 1)))).toBe(
      'This file is 25.0 MB; Parley imports files up to 25.0 MB.',
    );
    // Fewer UTF-16 units than the limit, more UTF-8 bytes.
    expect(errorOf(parseImport('é'.repeat(MAX_IMPORT_BYTES / 2 + 1)))).toMatch(
      /^This file is 25\.0 MB; Parley imports files up to 25\.0 MB\.$/,
    );
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('nothing of a file with one bad conversation is imported', () => {
    const text = parleyFile([
      { id: 'a', messages: [] },
      { id: 'b', messages: [{ role: 'user', content: 1 }] },
      { id: 'c', messages: [] },
    ]);
    const result = parseImport(text);
    expect(result).toEqual({
      ok: false,
      error: 'conversations[1].messages[0].content: expected a string',
    });
  });
});

describe('__proto__, constructor and prototype keys', () => {
  it('never reach the prototype of anything', () => {
    const text = `{
      "format": "parley.conversations", "version": 1,
      "__proto__": {"polluted": "file"},
      "conversations": [{
        "id": "a", "__proto__": {"polluted": "conv", "title": "from proto"},
        "constructor": {"prototype": {"polluted": "ctor"}},
        "params": {"__proto__": {"temperature": 2}, "temperature": 0.5,
                   "response_format": {"type": "json_schema", "json_schema": {"name": "s",
                     "schema": {"__proto__": {"polluted": "schema"}, "type": "object"}}}},
        "messages": [{"role": "user", "content": "hi", "__proto__": {"admin": true}}],
        "compare": {"active": true, "panes": [{"id": "p", "overrides": {"__proto__": null}, "messages": []}]}
      }]
    }`;
    const result = ok(parseImport(text));
    expect(result.warnings).toEqual(['Ignored 6 "__proto__" keys.']);
    const conv = result.conversations[0]!;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('admin');
    const objects: object[] = [
      conv,
      conv.params,
      conv.params.response_format!,
      conv.messages[0]!,
      conv.compare!,
      conv.compare!.panes[0]!,
      conv.compare!.panes[0]!.overrides,
    ];
    for (const o of objects) {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.hasOwn(o, '__proto__')).toBe(false);
      expect((o as Record<string, unknown>).polluted).toBeUndefined();
    }
    expect(conv.title).toBe('');
    expect(conv.params.temperature).toBe(0.5);
    expect(Object.hasOwn(conv, 'constructor')).toBe(false);
    expect((conv.messages[0] as unknown as Record<string, unknown>).admin).toBeUndefined();
  });

  it('are not copied from a request body into the extra parameters', () => {
    const text =
      '{"model": "gpt-4o", "messages": [], "__proto__": {"x": 1}, "constructor": 1, "prototype": 2, "x_vendor_flag": true}';
    const result = ok(parseImport(text));
    expect(result.conversations[0]!.params.extra).toBe('{\n  "x_vendor_flag": true\n}');
    expect(result.warnings).toEqual([
      'Ignored 1 "__proto__" key.',
      'Ignored keys: constructor, prototype.',
      'Kept as extra parameters (sent as they are): x_vendor_flag.',
    ]);
    expect(Object.prototype).not.toHaveProperty('x');
  });
});

describe('decodeImportBytes', () => {
  it('decodes UTF-8 strictly and UTF-16 with a byte order mark', () => {
    expect(decodeImportBytes(new TextEncoder().encode('{"a":"é"}'))).toEqual({
      ok: true,
      value: '{"a":"é"}',
    });
    expect(decodeImportBytes(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({
      ok: false,
      error: 'This file is not valid UTF-8 text.',
    });
    const utf16 = new Uint8Array([0xff, 0xfe, 0x5b, 0, 0x5d, 0]);
    const decoded = decodeImportBytes(utf16);
    expect(decoded).toEqual({ ok: true, value: '[]' });
    expect(decodeImportBytes(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).toEqual({
      ok: false,
      error:
        'This is a ZIP archive. Unzip it first, then import the .json file inside (for a ChatGPT export: conversations.json).',
    });
    expect(decodeImportBytes(new Uint8Array([0x1f, 0x8b, 8, 0]))).toEqual({
      ok: false,
      error: 'This is a gzip-compressed file. Decompress it first, then import the .json file.',
    });
  });

  it('keeps a real U+FFFD (valid UTF-8), which a model may well have written', () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({ id: 'a', messages: [{ role: 'assistant', content: 'x\ufffdy' }] }),
    );
    const decoded = decodeImportBytes(bytes);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(ok(parseImport(decoded.value)).conversations[0]!.messages[0]!.content).toBe('x\ufffdy');
  });
});

// ---------------------------------------------------------------------------
// Versions and older forms

describe('migration', () => {
  const record = { id: 'a', title: 'Old', messages: [{ id: 'm', role: 'user', content: 'hi' }] };

  it('has a migration for every version before this one', () => {
    for (let v = 0; v < EXPORT_VERSION; v++) expect(FILE_MIGRATIONS[v]).toBeTypeOf('function');
  });

  it('imports a v1 file, keeping ids', () => {
    const result = ok(parseImport(toExportFile([sample()], NOW)));
    expect(result.kind).toBe('parley');
    expect(result.conversations).toEqual([migrateConversation(sample()).ok && sample()]);
  });

  it('imports a BOM-prefixed file', () => {
    const result = ok(parseImport('\ufeff' + toExportFile([sample()], NOW)));
    expect(result.conversations[0]!.id).toBe('c1');
  });

  it('imports a bare Conversation record', () => {
    const result = ok(parseImport(JSON.stringify(sample())));
    expect(result.kind).toBe('parley');
    expect(result.conversations).toEqual([sample()]);
  });

  it('imports an array of Conversation records', () => {
    const second = { ...sample(), id: 'c2' };
    const result = ok(parseImport(JSON.stringify([sample(), second])));
    expect(result.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('imports a record without schemaVersion (v0)', () => {
    const result = ok(parseImport(JSON.stringify([record])));
    const conv = result.conversations[0]!;
    expect(conv.schemaVersion).toBe(SCHEMA_VERSION);
    expect(conv.title).toBe('Old');
    expect(conv.messages).toEqual([{ id: 'm', role: 'user', content: 'hi' }]);
    expect(conv.params).toEqual({});
    expect(conv.tools).toEqual({ json: '', format: 'tools' });
  });

  it('an empty list imports nothing, with a warning', () => {
    for (const text of ['[]', parleyFile([])]) {
      expect(ok(parseImport(text))).toEqual({
        kind: 'parley',
        conversations: [],
        warnings: ['The file holds no conversations.'],
      });
    }
  });

  it('gives a repeated id inside one file a fresh one', () => {
    const result = ok(parseImport(parleyFile([record, record])));
    const [a, b] = result.conversations;
    expect(a!.id).toBe('a');
    expect(b!.id).not.toBe('a');
    expect(b!.messages[0]!.id).not.toBe('m');
    expect(result.warnings).toEqual([
      '1 conversation repeated an id used earlier in the file and got a new one.',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Chat Completions request bodies

describe('request body import', () => {
  const tools = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    },
  ];
  const body = {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
    ],
    tools,
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
    parallel_tool_calls: false,
    temperature: 0.2,
    max_completion_tokens: 300,
    stop: 'END',
    metadata: { purpose: 'test' },
  };

  it('becomes one conversation with the expected fields', () => {
    const result = ok(parseImport(JSON.stringify(body), { now: NOW }));
    expect(result.kind).toBe('request');
    // metadata has a field of its own: nothing is left over.
    expect(result.warnings).toEqual([]);
    const conv = result.conversations[0]!;
    expect(conv).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      title: '',
      createdAt: NOW,
      updatedAt: NOW,
      model: 'gpt-4o',
      systemMessage: 'You are a weather bot.',
      stream: false,
      draft: '',
      params: {
        temperature: 0.2,
        max_tokens: 300,
        max_tokens_field: 'max_completion_tokens',
        stop: ['END'],
        metadata: { purpose: 'test' },
      },
      tools: {
        json: JSON.stringify(tools, null, 2),
        format: 'tools',
        choice: { name: 'get_weather' },
        parallel: false,
      },
    });
    expect(conv.messages.map(({ id: _id, ...m }) => m)).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', type: 'function', name: 'get_weather', arguments: '{"city":"Paris"}' },
        ],
      },
      { role: 'tool', content: '{"temp":21}', toolCallId: 'call_1', name: 'get_weather' },
    ]);
    expect(new Set(conv.messages.map((m) => m.id)).size).toBe(3);
    expect(migrateConversation(conv)).toEqual({ ok: true, value: conv });
  });

  it('goes back out as the same body (modulo key order and the stream fields)', () => {
    const conv = ok(parseImport(JSON.stringify(body))).conversations[0]!;
    const sent = buildRequest(conv).body as Record<string, unknown>;
    expect(sent).toEqual({
      ...body,
      stop: ['END'],
      messages: [
        body.messages[0],
        { role: 'user', content: 'Weather in Paris?' },
        ...body.messages.slice(2),
      ],
    });
  });

  it('round-trips a streamed body, stream_options included', () => {
    const streamed = {
      model: 'o3-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 50,
      reasoning_effort: 'low',
      seed: 7,
      n: 2,
      logprobs: true,
      top_logprobs: 3,
      logit_bias: { '50256': -100 },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'a', strict: true, schema: { type: 'object' } },
      },
      user: 'u1',
      top_p: 0.9,
      frequency_penalty: 0,
      presence_penalty: -1,
    };
    const result = ok(parseImport(JSON.stringify(streamed)));
    expect(result.warnings).toEqual([]);
    const conv = result.conversations[0]!;
    expect(conv.stream).toBe(true);
    // o3-mini takes max_completion_tokens anyway: the panel stays on auto.
    expect(conv.params.max_tokens_field).toBeUndefined();
    expect(conv.params.extra).toBeUndefined();
    expect(buildRequest(conv).body).toEqual(streamed);
  });

  it('round-trips the legacy functions format', () => {
    const legacy = {
      model: 'gpt-3.5-turbo',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, function_call: { name: 'w', arguments: '{}' } },
        { role: 'function', name: 'w', content: 'sunny' },
      ],
      functions: [{ name: 'w', parameters: { type: 'object' } }],
      function_call: { name: 'w' },
    };
    const conv = ok(parseImport(JSON.stringify(legacy))).conversations[0]!;
    expect(conv.tools).toEqual({
      json: JSON.stringify(legacy.functions, null, 2),
      format: 'functions',
      choice: { name: 'w' },
    });
    expect(conv.messages[2]).toMatchObject({ role: 'tool', name: 'w', content: 'sunny' });
    expect(buildRequest(conv).body).toEqual(legacy);
  });

  it('keeps what Parley cannot hold as extra parameters, so the same body is sent', () => {
    const odd = {
      model: 'gpt-4o',
      messages: [
        { role: 'developer', content: 'Be terse.' },
        { role: 'user', content: 'hi' },
      ],
      temperature: 'hot',
      tool_choice: 'auto',
      stream_options: { include_usage: false },
      max_tokens: null,
      logit_bias: {},
    };
    const result = ok(parseImport(JSON.stringify(odd)));
    expect(result.warnings).toEqual([
      'Left out parameters set to null (not sent): max_tokens.',
      'Kept as extra parameters (sent as they are): temperature, tool_choice, stream_options, logit_bias.',
    ]);
    const conv = result.conversations[0]!;
    expect(conv.systemMessage).toBe('Be terse.');
    // Sent again as written: gpt-4o would take it as system, so developer is chosen.
    expect(conv.systemRole).toBe('developer');
    expect(buildRequest(conv).body.messages[0]).toEqual({
      role: 'developer',
      content: 'Be terse.',
    });
    expect(conv.params).toEqual({
      extra:
        '{\n  "temperature": "hot",\n  "tool_choice": "auto",\n  "stream_options": {\n    "include_usage": false\n  },\n  "logit_bias": {}\n}',
    });
  });

  it('keeps image parts as images of the user message; notes the parts it leaves out', () => {
    const result = ok(
      parseImport(
        JSON.stringify({
          model: 'gpt-4o',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
                { type: 'text', text: 'Be brief.' },
                {
                  type: 'image_url',
                  image_url: { url: 'https://example.org/cat.jpg', detail: 'low' },
                },
                { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
                { type: 'image_url', image_url: { url: 'javascript:alert(1)' } },
              ],
              audio: { id: 'a1' },
            },
          ],
        }),
      ),
    );
    const message = result.conversations[0]!.messages[0]!;
    expect(message.content).toBe('What is this?\nBe brief.');
    expect(message.images).toEqual([
      { url: 'data:image/png;base64,AAAA' },
      { url: 'https://example.org/cat.jpg', detail: 'low' },
    ]);
    // Audio is kept as a file of the message; a user turn has no audio answer to refer to.
    expect(message.files).toEqual([
      { kind: 'audio', name: 'audio.wav', format: 'wav', data: 'AAAA' },
    ]);
    expect(result.warnings).toEqual([
      'Left out content parts Parley cannot send (image_url); the text parts were kept.',
      'Left out message fields Parley does not keep: audio.',
    ]);
  });

  it.each([
    [
      { model: 'm', messages: [{ role: 'bot', content: 'x' }] },
      'messages[0].role: expected one of system, developer, user, assistant, tool, function',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content: expected a string, null or an array of content parts',
    ],
    [{ model: 'm', messages: 'hi' }, 'messages: expected an array'],
    [{ model: 3, messages: [] }, 'model: expected a string'],
    [
      {
        model: 'm',
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { arguments: '{}' } }],
          },
        ],
      },
      'messages[0].tool_calls[0].function.name: expected a string',
    ],
  ])('refuses a malformed body: %j', (input, error) => {
    expect(errorOf(parseImport(JSON.stringify(input)))).toBe(error);
  });
});

// ---------------------------------------------------------------------------
// ChatGPT data export

describe('ChatGPT conversations.json import', () => {
  const node = (
    id: string,
    parent: string | null,
    children: string[],
    message: Record<string, unknown> | null,
  ) => ({ id, parent, children, message });
  const msg = (
    id: string,
    role: string,
    parts: unknown[],
    extra: Record<string, unknown> = {},
  ) => ({
    id,
    author: { role },
    create_time: 1_700_000_001,
    content: { content_type: 'text', parts },
    ...extra,
  });
  const exportJson = [
    {
      title: 'Paris trip',
      create_time: 1_700_000_000.5,
      update_time: 1_700_000_100.25,
      conversation_id: 'conv-1',
      default_model_slug: 'gpt-4o',
      current_node: 'a2',
      mapping: {
        root: node('root', null, ['sys'], null),
        sys: node(
          'sys',
          'root',
          ['u1'],
          msg('sys', 'system', [''], {
            metadata: { is_visually_hidden_from_conversation: true },
          }),
        ),
        u1: node('u1', 'sys', ['a1', 'c1'], msg('u1', 'user', ['Plan a day in Paris'])),
        a1: node('a1', 'u1', [], msg('a1', 'assistant', ['Old answer (regenerated)'])),
        c1: node('c1', 'u1', ['a2'], {
          id: 'c1',
          author: { role: 'assistant' },
          recipient: 'python',
          content: { content_type: 'code', text: 'print(1)' },
        }),
        a2: node(
          'a2',
          'c1',
          [],
          msg('a2', 'assistant', ['Morning: the **Louvre**.'], {
            recipient: 'all',
            metadata: { model_slug: 'gpt-4o-2024-08-06' },
          }),
        ),
      },
    },
    {
      title: 'Second',
      create_time: 1_700_000_200,
      update_time: null,
      id: 'conv-2',
      current_node: 'x',
      mapping: {
        x: node('x', null, [], msg('x', 'user', ['Only one message'])),
      },
    },
  ];

  it('imports the current_node thread only', () => {
    const result = ok(parseImport(JSON.stringify(exportJson)));
    expect(result.kind).toBe('openai-export');
    expect(result.warnings).toEqual([
      'Skipped 2 messages that were empty, hidden or not text (images, code, tool output).',
      'Imported the current branch of each conversation; 1 message on other branches (edits, regenerations) were left out.',
    ]);
    const [first, second] = result.conversations;
    expect(first).toEqual({
      schemaVersion: SCHEMA_VERSION,
      id: 'conv-1',
      title: 'Paris trip',
      createdAt: 1_700_000_000_500,
      updatedAt: 1_700_000_100_250,
      systemMessage: '',
      model: 'gpt-4o',
      stream: true,
      params: {},
      tools: { json: '', format: 'tools' },
      messages: [
        { id: 'u1', role: 'user', content: 'Plan a day in Paris' },
        {
          id: 'a2',
          role: 'assistant',
          content: 'Morning: the **Louvre**.',
          model: 'gpt-4o-2024-08-06',
        },
      ],
      draft: '',
    });
    expect(second).toMatchObject({
      id: 'conv-2',
      model: 'gpt-4',
      createdAt: 1_700_000_200_000,
      updatedAt: 1_700_000_200_000,
      messages: [{ id: 'x', role: 'user', content: 'Only one message' }],
    });
  });

  it('refuses a broken one, naming it', () => {
    const broken = [exportJson[0], { ...exportJson[1], current_node: 'nope' }];
    expect(errorOf(parseImport(JSON.stringify(broken)))).toBe(
      '[1].current_node: expected the id of a node in mapping',
    );
    const loop = {
      ...exportJson[1],
      mapping: { x: node('x', 'y', [], null), y: node('y', 'x', [], null) },
    };
    expect(errorOf(parseImport(JSON.stringify([loop])))).toBe(
      '[0].mapping["x"]: the parent chain loops back here',
    );
  });
});

// ---------------------------------------------------------------------------
// Single turn, Markdown, fresh ids

describe('toMarkdown', () => {
  it('says when the system message goes as developer (chosen, or a reasoning model)', () => {
    const md = (init: Partial<Conversation>) =>
      toMarkdown({ ...createConversation({ systemMessage: 'Be brief.' }), ...init });
    expect(md({ model: 'gpt-4' })).not.toContain('role developer');
    expect(md({ model: 'gpt-4', systemRole: 'developer' })).toContain(
      '_Sent with role developer:_\n\n> Be brief.',
    );
    expect(md({ model: 'o3' })).toContain('_Sent with role developer:_');
  });

  it('writes a readable transcript', () => {
    const c = sample();
    c.messages.push({
      id: 'm5',
      role: 'user',
      content: 'Show code:\n```js\nalert(1)\n```',
    });
    c.compare = {
      active: true,
      panes: [
        {
          id: 'p1',
          model: 'gpt-3.5-turbo',
          overrides: { temperature: 0.7, max_tokens: null },
          linkedHistory: true,
          messages: [{ id: 'pa', role: 'assistant', content: 'Rain.', usage: null }],
          label: 'temperature 0.7',
        },
      ],
    };
    expect(toMarkdown(c)).toBe(
      [
        '# Weather',
        'Model: gpt-4o-mini · 2025-01-02 10:30 UTC',
        '> Be brief.',
        '## User',
        'What is the **weather** <b>today</b>?',
        '## Assistant (gpt-4o-mini-2024-07-18)',
        'Tool call `weather` (call_1):',
        '```json\n{\n  "city": "Paris"\n}\n```',
        'Usage: 12 prompt + 7 completion = 19 tokens (0 cached)',
        '## Tool result (weather, call_1)',
        '```text\nsunny\n```',
        '## Assistant (gpt-4o-mini-2024-07-18)',
        'Sunny in Paris.',
        'Usage: 30 prompt + 5 completion = 35 tokens',
        '## User',
        'Show code:\n```js\nalert(1)\n```',
        '## Pane 1 — gpt-3.5-turbo (temperature 0.7)',
        'Overrides: temperature 0.7, max_tokens not sent',
        '### Assistant (gpt-3.5-turbo)',
        'Rain.',
        'Usage: not reported by the provider',
      ].join('\n\n') + '\n',
    );
  });

  it('fences text longer than its own backtick runs, and quotes a multi-line system message', () => {
    const c = sample();
    c.systemMessage = 'Line one\n\nLine three';
    c.messages = [{ id: 't', role: 'tool', content: 'a ``` b ```` c', toolCallId: 'x' }];
    const md = toMarkdown(c);
    expect(md).toContain('> Line one\n>\n> Line three');
    expect(md).toContain('## Tool result (x)\n\n`````text\na ``` b ```` c\n`````');
  });
});

describe('withFreshIds', () => {
  it('changes every id and nothing else', () => {
    const c = sample();
    c.compare = {
      active: false,
      panes: [
        {
          id: 'p1',
          model: 'gpt-4',
          overrides: {},
          linkedHistory: false,
          messages: [{ id: 'pm', role: 'user', content: 'x' }],
        },
      ],
    };
    const before = JSON.stringify(c);
    const fresh = withFreshIds(c);
    expect(JSON.stringify(c)).toBe(before);

    const ids = (x: Conversation) => [
      x.id,
      ...x.messages.map((m) => m.id),
      ...x.compare!.panes.flatMap((p) => [p.id, ...p.messages.map((m) => m.id)]),
    ];
    const oldIds = ids(c);
    const newIds = ids(fresh);
    expect(newIds).toHaveLength(oldIds.length);
    for (const idValue of newIds) expect(oldIds).not.toContain(idValue);
    expect(new Set(newIds).size).toBe(newIds.length);

    const withoutIds = (x: Conversation) => ({
      ...x,
      id: '',
      messages: x.messages.map((m) => ({ ...m, id: '' })),
      compare: {
        ...x.compare!,
        panes: x.compare!.panes.map((p) => ({
          ...p,
          id: '',
          messages: p.messages.map((m) => ({ ...m, id: '' })),
        })),
      },
    });
    expect(withoutIds(fresh)).toEqual(withoutIds(c));
    // Tool call ids belong to the API transcript and are kept.
    expect(fresh.messages[1]!.toolCalls![0]!.id).toBe('call_1');
  });
});
