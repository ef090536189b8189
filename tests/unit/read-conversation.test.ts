// The gate for stored and imported records: migrateConversation and migrateParams.

import { describe, expect, it } from 'vitest';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import { migrateParams } from '../../src/lib/model/read-params';
import { SCHEMA_VERSION, type Conversation } from '../../src/lib/model/types';

function sample(): Conversation {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: 'c1',
    title: 'Weather',
    createdAt: 1000,
    updatedAt: 2000,
    systemMessage: 'Be brief.',
    model: 'gpt-4o-mini',
    stream: false,
    params: { temperature: 0, max_tokens: 256, stop: ['\n\n'], user: 'u1' },
    tools: {
      json: '[{"type":"function","function":{"name":"weather"}},]',
      format: 'tools',
      choice: { name: 'weather' },
      parallel: false,
    },
    draft: 'half a thought',
    messages: [
      { id: 'm1', role: 'user', content: 'What is the weather?' },
      {
        id: 'm2',
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', type: 'function', name: 'weather', arguments: '{"city":' }],
        status: 'done',
        finishReason: 'tool_calls',
        usage: { prompt: 12, completion: 7, total: 19, cachedPrompt: 0 },
        model: 'gpt-4o-mini-2024-07-18',
        timing: { startedAt: 1500, firstTokenAt: 1600, endedAt: 1700 },
        requestId: 'req_1',
      },
      { id: 'm3', role: 'tool', content: 'sunny', toolCallId: 'call_1', name: 'weather' },
      {
        id: 'm4',
        role: 'assistant',
        content: 'partial',
        status: 'error',
        finishReason: null,
        usage: null,
        error: {
          kind: 'rate_limit',
          message: 'Too many requests. Wait a moment and retry.',
          status: 429,
          code: 'rate_limit_exceeded',
          param: null,
          type: null,
          retryable: true,
          retryAfterMs: 2000,
        },
      },
    ],
  };
}

/** A JSON round trip: what IndexedDB or an export file would hand back. */
function plain(v: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

function withMessage(patch: Record<string, unknown>, index = 0) {
  const raw = plain(sample());
  const messages = raw.messages as Record<string, unknown>[];
  messages[index] = { ...messages[index], ...patch };
  return raw;
}

function errorOf(raw: unknown): string {
  const r = migrateConversation(raw);
  if (r.ok) throw new Error('expected the record to be refused');
  return r.error;
}

describe('migrateConversation', () => {
  it('accepts a valid record and round-trips it unchanged', () => {
    const r = migrateConversation(plain(sample()));
    expect(r).toEqual({ ok: true, value: sample() });
    // toStrictEqual also catches optional keys present as undefined.
    if (r.ok) expect(r.value).toStrictEqual(sample());
  });

  it('returns fresh objects, not the input', () => {
    const raw = plain(sample());
    const r = migrateConversation(raw);
    expect(r.ok && r.value.messages).not.toBe(raw.messages);
  });

  it.each([
    [{ id: 5 }, 'id: expected a string'],
    [{ stream: 'yes' }, 'stream: expected true or false'],
    [{ updatedAt: Number.NaN }, 'updatedAt: expected a finite number'],
    [{ messages: {} }, 'messages: expected an array'],
  ])('names the top-level field in the error: %j', (patch, message) => {
    expect(errorOf({ ...plain(sample()), ...patch })).toBe(message);
  });

  it.each([
    [
      3,
      { role: 'robot' },
      'messages[3].role: expected one of system, developer, user, assistant, tool',
    ],
    [0, { content: 42 }, 'messages[0].content: expected a string'],
    [1, { status: 'finished' }, 'messages[1].status: expected one of'],
    [
      1,
      { usage: { prompt: -1, completion: 0, total: 0 } },
      'messages[1].usage.prompt: expected a non-negative integer',
    ],
    [
      1,
      { usage: { prompt: 1.5, completion: 0, total: 0 } },
      'messages[1].usage.prompt: expected a non-negative integer',
    ],
    [
      1,
      { toolCalls: [{ id: 'x', type: 'function', name: 3 }] },
      'messages[1].toolCalls[0].name: expected a string',
    ],
    [
      1,
      { toolCalls: [{ id: 'x', type: 'web', name: 'f' }] },
      'messages[1].toolCalls[0].type: expected "function" or "custom"',
    ],
    [1, { timing: { startedAt: '1' } }, 'messages[1].timing.startedAt: expected a finite number'],
    [3, { error: { kind: 'oops', message: 'x' } }, 'messages[3].error.kind: expected one of'],
    [2, 'not a message', 'messages[2]: expected an object'],
  ])('names the exact path in message %i: %j', (index, patch, message) => {
    const raw = plain(sample());
    const messages = raw.messages as unknown[];
    messages[index] =
      typeof patch === 'string' ? patch : { ...(messages[index] as object), ...patch };
    expect(errorOf(raw).startsWith(message)).toBe(true);
  });

  it('refuses input that is not an object', () => {
    expect(errorOf(null)).toMatch(/expected a conversation object/);
    expect(errorOf([])).toMatch(/expected a conversation object/);
    expect(errorOf('{"id":"x"}')).toMatch(/expected a conversation object/);
  });

  it('drops __proto__ and unknown keys without polluting prototypes', () => {
    const json = JSON.stringify(sample()).replace(
      /^\{/,
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"extra":true,',
    );
    const raw: unknown = JSON.parse(
      json.replace('"role":"user"', '"role":"user","__proto__":{"polluted":3},"secret":1'),
    );
    const r = migrateConversation(raw);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(r.value)).not.toContain('extra');
    expect(Object.hasOwn(r.value, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r.value.messages[0])).toBe(Object.prototype);
    expect(Object.keys(r.value.messages[0]!)).toEqual(['id', 'role', 'content']);
    expect(r.value).toStrictEqual(sample());
  });

  it('ignores fields that are only inherited', () => {
    const raw = Object.create({ id: 'inherited' }) as Record<string, unknown>;
    // Current version, so no migration step copies the record before it is read.
    Object.assign(raw, { schemaVersion: SCHEMA_VERSION, messages: [] });
    expect(errorOf(raw)).toBe('id: expected a string');
  });

  it('refuses a record from a newer Parley', () => {
    const error = errorOf({ ...plain(sample()), schemaVersion: SCHEMA_VERSION + 1 });
    expect(error).toMatch(/made by a newer Parley/);
  });

  it('treats a record without schemaVersion as version 0 and upgrades it', () => {
    const raw = plain(sample());
    delete raw.schemaVersion;
    const r = migrateConversation(raw);
    expect(r.ok && r.value.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('fills defaults for missing optional fields', () => {
    const r = migrateConversation({ id: 'c2', messages: [{ role: 'user' }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      title: '',
      systemMessage: '',
      model: 'gpt-4',
      stream: true,
      params: {},
      tools: { json: '', format: 'tools' },
      draft: '',
      createdAt: 0,
      updatedAt: 0,
    });
    expect(r.value.messages[0]).toMatchObject({ role: 'user', content: '' });
    expect(r.value.messages[0]!.id).not.toBe('');
  });

  it('marks an answer left streaming as interrupted and keeps its text', () => {
    const r = migrateConversation(withMessage({ status: 'streaming', content: 'Half an ans' }, 3));
    expect(r.ok && r.value.messages[3]).toMatchObject({
      status: 'interrupted',
      content: 'Half an ans',
    });
  });

  it('keeps tools text that is not valid JSON, since it is what the user typed', () => {
    const r = migrateConversation(plain(sample()));
    expect(r.ok && r.value.tools).toStrictEqual(sample().tools);
  });

  it('drops a malformed tool choice or parallel flag but keeps the text', () => {
    const r = migrateConversation({
      ...plain(sample()),
      tools: { json: '[]', format: 'functions', choice: { nme: 'x' }, parallel: 'yes' },
    });
    expect(r.ok && r.value.tools).toStrictEqual({ json: '[]', format: 'functions' });
  });

  it('names the place of a tools field of the wrong type', () => {
    const bad = migrateConversation({ ...plain(sample()), tools: { json: 5 } });
    expect(bad).toStrictEqual({ ok: false, error: 'tools.json: expected a string' });
    const format = migrateConversation({ ...plain(sample()), tools: { format: 'xml' } });
    expect(format).toStrictEqual({
      ok: false,
      error: 'tools.format: expected "tools" or "functions"',
    });
  });

  it('keeps a custom tool call and refuses an unknown call type', () => {
    const custom = { id: 'c', type: 'custom', name: 'sql', arguments: 'SELECT 1' };
    const ok = migrateConversation(withMessage({ toolCalls: [custom] }, 1));
    expect(ok.ok && ok.value.messages[1]!.toolCalls).toStrictEqual([custom]);
    const bad = migrateConversation(withMessage({ toolCalls: [{ ...custom, type: 'x' }] }, 1));
    expect(bad.ok).toBe(false);
  });

  it('keeps 0 in params', () => {
    const r = migrateConversation({ ...plain(sample()), params: { temperature: 0, seed: 0 } });
    expect(r.ok && r.value.params).toStrictEqual({ temperature: 0, seed: 0 });
  });
});

describe('migrateParams', () => {
  it('keeps finite numbers including 0, and well-typed stop and user', () => {
    expect(
      migrateParams({
        temperature: 0,
        top_p: 1,
        frequency_penalty: -0.5,
        presence_penalty: 0,
        max_tokens: 0,
        seed: 42,
        n: 1,
        stop: ['END'],
        user: '',
      }),
    ).toStrictEqual({
      temperature: 0,
      top_p: 1,
      frequency_penalty: -0.5,
      presence_penalty: 0,
      max_tokens: 0,
      seed: 42,
      n: 1,
      stop: ['END'],
      user: '',
    });
  });

  it('drops anything else', () => {
    expect(
      migrateParams({
        temperature: '0.5',
        top_p: Number.NaN,
        max_tokens: Number.POSITIVE_INFINITY,
        seed: null,
        stop: ['a', 1],
        user: 7,
        logit_bias: {},
      }),
    ).toStrictEqual({});
    expect(migrateParams(null)).toStrictEqual({});
    expect(migrateParams([1])).toStrictEqual({});
  });
});
