// Parameters -> request body, control by control: what is set is sent as set
// (0, false and "" included), what is unset is absent, the token limit goes
// under the key the model needs, and extras are merged last with conflicts named.

import { describe, expect, it } from 'vitest';
import { buildRequest, toRequestBody } from '../../src/lib/model/request';
import { migrateParams } from '../../src/lib/model/read-params';
import type { Params } from '../../src/lib/model/types';

function input(params: Params, model = 'gpt-4') {
  return {
    model,
    systemMessage: '',
    messages: [{ id: 'u1', role: 'user' as const, content: 'Hi' }],
    params,
    stream: false,
  };
}

/** The body without model and messages: just what the parameters added. */
function sent(params: Params, model = 'gpt-4') {
  const { model: _m, messages: _msgs, ...rest } = toRequestBody(input(params, model));
  return rest;
}

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

describe('every control', () => {
  it('sends each set parameter under its API name, and nothing else', () => {
    expect(
      sent({
        temperature: 0.2,
        top_p: 0.9,
        frequency_penalty: -1,
        presence_penalty: 1.5,
        max_tokens: 256,
        stop: ['\n\n', 'END'],
        seed: 7,
        n: 3,
        user: 'alice',
        logprobs: true,
        top_logprobs: 4,
        logit_bias: { '50256': -100, '12366': 5 },
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'city', strict: true, schema: SCHEMA },
        },
        reasoning_effort: 'low',
      }),
    ).toStrictEqual({
      temperature: 0.2,
      top_p: 0.9,
      frequency_penalty: -1,
      presence_penalty: 1.5,
      max_tokens: 256,
      stop: ['\n\n', 'END'],
      seed: 7,
      n: 3,
      user: 'alice',
      logprobs: true,
      top_logprobs: 4,
      logit_bias: { '50256': -100, '12366': 5 },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'city', strict: true, schema: SCHEMA },
      },
      reasoning_effort: 'low',
    });
  });

  it('keeps 0, false and "" as real values', () => {
    expect(
      sent({
        temperature: 0,
        top_p: 0,
        frequency_penalty: 0,
        presence_penalty: 0,
        seed: 0,
        top_logprobs: 0,
        logprobs: false,
        user: '',
        logit_bias: { '11': 0 },
      }),
    ).toStrictEqual({
      temperature: 0,
      top_p: 0,
      frequency_penalty: 0,
      presence_penalty: 0,
      seed: 0,
      top_logprobs: 0,
      logprobs: false,
      user: '',
      logit_bias: { '11': 0 },
    });
  });

  it('drops unset parameters, empty lists and empty maps; panel-only keys never go out', () => {
    const body = sent({
      temperature: undefined,
      stop: [],
      logit_bias: {},
      max_tokens_field: 'max_tokens',
      extra: '',
    });
    expect(body).toStrictEqual({});
    expect(JSON.stringify(toRequestBody(input({ max_tokens_field: 'auto' })))).not.toMatch(
      /max_tokens_field|extra/,
    );
  });

  it.each([
    [{ type: 'text' } as const],
    [{ type: 'json_object' } as const],
    [
      {
        type: 'json_schema',
        json_schema: { name: 'x', description: 'A city', strict: false, schema: SCHEMA },
      } as const,
    ],
  ])('sends response_format %j as is', (response_format) => {
    expect(sent({ response_format }).response_format).toStrictEqual(response_format);
  });
});

describe('the token limit key', () => {
  it.each([
    ['gpt-4', 'max_tokens'],
    ['gpt-4o-mini', 'max_tokens'],
    ['gpt-3.5-turbo', 'max_tokens'],
    ['llama3.1:8b', 'max_tokens'],
    ['o1', 'max_completion_tokens'],
    ['o3-mini', 'max_completion_tokens'],
    ['o4-mini-2025-04-16', 'max_completion_tokens'],
    ['gpt-5', 'max_completion_tokens'],
    ['gpt-5-nano', 'max_completion_tokens'],
    ['  gpt-5.1  ', 'max_completion_tokens'],
  ])('%s gets %s', (model, key) => {
    const body = sent({ max_tokens: 500 }, model);
    expect(body).toStrictEqual({ [key]: 500 });
  });

  it('an explicit choice wins over the model', () => {
    expect(sent({ max_tokens: 64, max_tokens_field: 'max_completion_tokens' }, 'gpt-4')).toEqual({
      max_completion_tokens: 64,
    });
    expect(sent({ max_tokens: 64, max_tokens_field: 'max_tokens' }, 'o3')).toEqual({
      max_tokens: 64,
    });
    expect(sent({ max_tokens: 64, max_tokens_field: 'auto' }, 'o3')).toEqual({
      max_completion_tokens: 64,
    });
  });

  it('the choice alone sends nothing', () => {
    expect(sent({ max_tokens_field: 'max_completion_tokens' })).toStrictEqual({});
  });
});

describe('extra parameters', () => {
  it('are merged last, after stream, and name the keys they override', () => {
    const built = buildRequest({
      ...input({ temperature: 0, extra: '{"temperature": 0.5, "metadata": {"a": "b"}}' }),
      stream: true,
    });
    expect(built.body.temperature).toBe(0.5);
    expect(built.body.metadata).toEqual({ a: 'b' });
    expect(built.body.stream).toBe(true);
    expect(built.conflicts).toEqual(['temperature']);
    expect(built.extraError).toBeUndefined();
  });

  it('overriding model, messages or stream is a conflict too', () => {
    const built = buildRequest(input({ extra: '{"model": "gpt-4o", "stream": false}' }));
    expect(built.body.model).toBe('gpt-4o');
    expect(built.conflicts).toEqual(['model', 'stream']);
  });

  it('the token limit under its model key conflicts with an extra of that key', () => {
    const built = buildRequest(
      input({ max_tokens: 10, extra: '{"max_completion_tokens": 20}' }, 'o3'),
    );
    expect(built.body.max_completion_tokens).toBe(20);
    expect(built.conflicts).toEqual(['max_completion_tokens']);
  });

  it('invalid JSON adds nothing and says where it broke', () => {
    const built = buildRequest(input({ seed: 1, extra: '{\n  "a": 1,\n}' }));
    expect(built.body).not.toHaveProperty('a');
    expect(built.body.seed).toBe(1);
    expect(built.extraError).toMatch(/^Extra parameters are not valid JSON \(line 2, column 9\)/);
  });
});

describe('stored parameters', () => {
  it('migrateParams keeps every new field when well-formed', () => {
    const params: Params = {
      logprobs: false,
      top_logprobs: 0,
      logit_bias: { '1': -100 },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'n', strict: true, schema: SCHEMA },
      },
      reasoning_effort: 'minimal',
      max_tokens_field: 'max_completion_tokens',
      extra: '{"x": 1}',
    };
    expect(migrateParams(JSON.parse(JSON.stringify(params)))).toStrictEqual(params);
  });

  it('migrateParams drops malformed new fields', () => {
    expect(
      migrateParams({
        logprobs: 'yes',
        logit_bias: { '1': 'a lot' },
        response_format: { type: 'json_schema', json_schema: { name: 'n' } },
        reasoning_effort: 'extreme',
        max_tokens_field: 'tokens',
        extra: { x: 1 },
      }),
    ).toStrictEqual({});
  });
});
