// Every field of CreateChatCompletionRequest (OpenAI's spec, read from
// ../shared) has a control with an exact wire mapping, or a written reason.
// The newer fields: what goes on the wire, what is refused, what is warned.
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../src/lib/model/exchange';
import { familyRefusal } from '../../src/lib/model/family-refusal';
import { PARAM_KEYS, validateParams } from '../../src/lib/model/params';
import { migrateParams } from '../../src/lib/model/read-params';
import { buildRequest } from '../../src/lib/model/request';
import { COVERED_ELSEWHERE, REQUEST_FIELDS } from '../../src/lib/model/request-field-ui';
import type { Params } from '../../src/lib/model/types';
import { enumOf, readSpec, schemaProperties, specSchemas } from '../builders/spec';

const spec = readSpec('the request-field coverage check');
const schemas = spec ? specSchemas(spec) : {};
const specFields = spec ? schemaProperties(schemas, 'CreateChatCompletionRequest') : {};

const body = (params: Params, model = 'gpt-5') =>
  buildRequest({ model, systemMessage: '', messages: [], params, stream: false }).body as Record<
    string,
    unknown
  >;

const EVERY_NEWER: Params = {
  service_tier: 'flex',
  verbosity: 'low',
  store: true,
  modalities: ['text', 'audio'],
  audio: { voice: 'alloy', format: 'wav' },
  safety_identifier: 'user-hash-1',
  prompt_cache_key: 'experiment-7',
  prompt_cache_retention: '24h',
  prompt_cache_options: { ttl: '30m', mode: 'implicit' },
  metadata: { experiment: 'a1' },
  web_search_options: { search_context_size: 'low' },
  prediction: { type: 'content', content: 'expected' },
  moderation: { model: 'omni-moderation-latest' },
};

describe.skipIf(!spec)('the spec and Parley', () => {
  it('knows every request field: a control of its own, or a written reason', () => {
    const known = new Set<string>([...PARAM_KEYS, ...Object.keys(COVERED_ELSEWHERE)]);
    const unknown = Object.keys(specFields).filter((key) => !known.has(key));
    expect(unknown, 'fields in the spec that Parley does not know').toEqual([]);
    expect(Object.keys(specFields).length).toBeGreaterThanOrEqual(37);
  });

  it('offers exactly the values the spec allows', () => {
    for (const field of REQUEST_FIELDS) {
      if (field.kind !== 'choice' && field.kind !== 'set') continue;
      const allowed = enumOf(schemas, specFields[field.key]!);
      expect(allowed, field.key).toBeDefined();
      expect([...(field.values ?? [])].sort(), field.key).toEqual(
        [...(allowed as string[])].filter((v) => v !== null).sort(),
      );
    }
  });
});

describe('the newer fields on the wire', () => {
  it('each goes under its own name, exactly as set; unset, none is sent', () => {
    const sent = body(EVERY_NEWER);
    for (const [key, value] of Object.entries(EVERY_NEWER)) expect(sent[key], key).toEqual(value);
    const none = body({});
    for (const key of Object.keys(EVERY_NEWER)) expect(none, key).not.toHaveProperty(key);
  });

  it('a body that sets them imports them as fields, not extras, and goes out the same', () => {
    const wire = { model: 'gpt-5', messages: [{ role: 'user', content: 'Hi' }], ...EVERY_NEWER };
    const imported = parseImport(JSON.stringify(wire));
    if (!imported.ok) throw new Error(imported.error);
    expect(imported.value.warnings).toEqual([]);
    const conv = imported.value.conversations[0]!;
    expect(conv.params.extra).toBeUndefined();
    expect(buildRequest(conv).body).toEqual(wire);
  });

  it('stored values of the wrong shape are left unset', () => {
    expect(
      migrateParams({
        service_tier: 'turbo',
        verbosity: 3,
        store: 'yes',
        modalities: ['text', 'video'],
        metadata: 'x',
        prediction: [1],
      }),
    ).toEqual({});
  });

  it('says what is wrong, in words a user can act on', () => {
    const errors = (p: Params) => validateParams(p).map((e) => e.error);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect(errors({ metadata: many })).toEqual(['Metadata takes at most 16 keys (got 17).']);
    expect(errors({ metadata: { k: 1 as unknown as string } })).toEqual([
      'Metadata value of "k" must be a string.',
    ]);
    expect(errors({ safety_identifier: 'x'.repeat(65) })).toEqual([
      'Safety identifier takes up to 64 characters (got 65).',
    ]);
    expect(errors({ modalities: ['text', 'audio'] })).toEqual([
      'Audio output needs Audio output set, like {"voice": "alloy", "format": "wav"}.',
    ]);
    expect(errors({ prediction: { content: 'x' } })).toEqual([
      'A prediction is {"type": "content", "content": "the text you expect"}.',
    ]);
    expect(errors(EVERY_NEWER)).toEqual([]);
  });

  it('warns, without dropping it, where a known model family refuses a field', () => {
    const verbosity = 'verbosity';
    const search = 'web_search_options';
    expect(familyRefusal(verbosity, 'gpt-4o')).toMatch(/gpt-4o may refuse verbosity/);
    expect(familyRefusal(verbosity, 'gpt-5-mini')).toBeUndefined();
    // A model Parley does not know (a local server) gets no guess.
    expect(familyRefusal(verbosity, 'llama3.1:8b')).toBeUndefined();
    expect(familyRefusal(search, 'gpt-4o')).toMatch(/may refuse web search/);
    expect(familyRefusal(search, 'gpt-4o-search-preview')).toBeUndefined();
    expect(body({ verbosity: 'low' }, 'gpt-4o').verbosity).toBe('low');
  });
});

describe('familyRefusal', () => {
  it('names what reasoning models take only at the default; nothing for others or unknowns', () => {
    for (const key of ['temperature', 'top_p', 'presence_penalty', 'logprobs', 'logit_bias']) {
      expect(familyRefusal(key, 'o3'), key).toMatch(/^o3 may refuse this/);
    }
    expect(familyRefusal('seed', 'o3')).toBeUndefined();
    expect(familyRefusal('temperature', 'gpt-4o')).toBeUndefined();
    expect(familyRefusal('temperature', 'llama3.1:8b')).toBeUndefined();
  });
});
