// The parameter model: ranges as the spec states them, checks that name the
// parameter and the bad value, which models need max_completion_tokens, stop
// sequences that survive the escape round-trip, and free-form extras.

import { describe, expect, it } from 'vitest';
import {
  NUMERIC_PARAMS,
  PARAM_KEYS,
  WIRE_PARAM_KEYS,
  checkParam,
  isReasoningModel,
  maxTokensKey,
  mergeExtra,
  numericParam,
  usesMaxCompletionTokens,
  validateParams,
  type NumericParamKey,
  type ParamsInput,
} from '../../src/lib/model/params';
import { stopFromDisplay, stopToDisplay } from '../../src/lib/model/param-controls';

function refusal(key: NumericParamKey, value: number): string {
  const r = checkParam(key, value);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

describe('parameter keys', () => {
  it('lists every parameter once, in body order; the wire keys and numeric keys come from it', () => {
    expect(new Set(PARAM_KEYS).size).toBe(PARAM_KEYS.length);
    expect(WIRE_PARAM_KEYS).toEqual([
      'temperature',
      'top_p',
      'frequency_penalty',
      'presence_penalty',
      'stop',
      'seed',
      'n',
      'user',
      'logprobs',
      'top_logprobs',
      'logit_bias',
      'response_format',
      'reasoning_effort',
      'service_tier',
      'verbosity',
      'store',
      'modalities',
      'audio',
      'safety_identifier',
      'prompt_cache_key',
      'prompt_cache_retention',
      'prompt_cache_options',
      'metadata',
      'web_search_options',
      'prediction',
      'moderation',
    ]);
    expect(PARAM_KEYS.filter((k) => !(WIRE_PARAM_KEYS as readonly string[]).includes(k))).toEqual([
      'max_tokens',
      'max_tokens_field',
      'extra',
    ]);
    expect(PARAM_KEYS.filter((k) => NUMERIC_PARAMS.some((p) => p.key === k))).toEqual(
      NUMERIC_PARAMS.map((p) => p.key),
    );
  });
});

describe('NUMERIC_PARAMS', () => {
  // Values from /work/shared/spec/openai-openapi.yaml, CreateChatCompletionRequest
  // and ModelResponseProperties (temperature, top_p): minimum / maximum / default.
  it.each([
    ['temperature', 'Temperature', 0, 2, 1, false],
    ['top_p', 'Top P', 0, 1, 1, false],
    ['frequency_penalty', 'Frequency penalty', -2, 2, 0, false],
    ['presence_penalty', 'Presence penalty', -2, 2, 0, false],
    ['n', 'Choices (n)', 1, 128, 1, true],
    ['top_logprobs', 'Top logprobs', 0, 20, undefined, true],
  ] as const)('%s has the spec range', (key, label, min, max, apiDefault, integer) => {
    expect(numericParam(key)).toMatchObject({ key, label, min, max, apiDefault, integer });
  });

  it('max_tokens is a whole number from 1 with no API default (the spec gives none)', () => {
    const p = numericParam('max_tokens');
    expect(p).toMatchObject({ label: 'Max tokens', min: 1, integer: true, apiDefault: undefined });
    expect(p.max).toBeGreaterThanOrEqual(128_000);
  });

  it('seed is a whole number limited to what a JS number holds exactly', () => {
    expect(numericParam('seed')).toMatchObject({
      integer: true,
      min: Number.MIN_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
    });
  });

  it('has one entry per key, each with a sane step, label and one-sentence help', () => {
    const keys = NUMERIC_PARAMS.map((p) => p.key);
    expect(new Set(keys).size).toBe(8);
    for (const p of NUMERIC_PARAMS) {
      expect(p.min).toBeLessThan(p.max);
      expect(p.step).toBeGreaterThan(0);
      if (p.integer) expect(p.step).toBe(1);
      if (p.apiDefault !== undefined) {
        expect(p.apiDefault).toBeGreaterThanOrEqual(p.min);
        expect(p.apiDefault).toBeLessThanOrEqual(p.max);
      }
      expect(p.label.trim()).not.toBe('');
      expect(p.help).toMatch(/^[A-Z][^.]*\.$/);
    }
  });
});

describe('checkParam', () => {
  it.each(NUMERIC_PARAMS.map((p) => [p.key, p.min, p.max] as const))(
    '%s accepts both bounds',
    (key, min, max) => {
      expect(checkParam(key, min)).toEqual({ ok: true, value: min });
      expect(checkParam(key, max)).toEqual({ ok: true, value: max });
    },
  );

  it.each(['temperature', 'top_p', 'frequency_penalty', 'presence_penalty', 'seed'] as const)(
    '%s accepts 0 as a real value',
    (key) => {
      expect(checkParam(key, 0)).toEqual({ ok: true, value: 0 });
    },
  );

  it('accepts fractions for float parameters, off the slider step too', () => {
    expect(checkParam('temperature', 0.737)).toEqual({ ok: true, value: 0.737 });
    expect(checkParam('frequency_penalty', -1.5)).toEqual({ ok: true, value: -1.5 });
  });

  it('says which parameter, what range and what it got', () => {
    expect(refusal('temperature', 2.5)).toBe('Temperature must be between 0 and 2 (got 2.5).');
    expect(refusal('top_p', -0.1)).toBe('Top P must be between 0 and 1 (got -0.1).');
    expect(refusal('presence_penalty', 2.01)).toMatch(/^Presence penalty .*-2 and 2/);
    expect(refusal('frequency_penalty', -3)).toMatch(/^Frequency penalty .*got -3/);
  });

  it.each([
    ['n', 0],
    ['n', 129],
    ['max_tokens', 0],
    ['top_logprobs', 21],
    ['top_logprobs', -1],
  ] as const)('refuses %s = %d as out of range', (key, value) => {
    expect(refusal(key, value)).toMatch(/must be between/);
  });

  it.each([
    ['max_tokens', 1.5, 'Max tokens'],
    ['n', 2.5, 'Choices (n)'],
    ['seed', 0.1, 'Seed'],
    ['top_logprobs', 3.3, 'Top logprobs'],
  ] as const)('refuses fractional %s', (key, value, label) => {
    expect(refusal(key, value)).toBe(`${label} must be a whole number (got ${value}).`);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %s, naming the parameter', (value) => {
    expect(refusal('temperature', value)).toBe('Temperature must be a number.');
  });

  it('refuses a non-number that came from storage', () => {
    expect(refusal('temperature', '0.5' as unknown as number)).toMatch(/^Temperature/);
  });

  it('refuses a seed beyond the exactly representable range', () => {
    expect(refusal('seed', 2 ** 60)).toMatch(/^Seed must be between/);
  });
});

describe('validateParams', () => {
  const keysOf = (p: ParamsInput) => validateParams(p).map((e) => e.key);

  it('has nothing to say about unset parameters or valid ones', () => {
    expect(validateParams({})).toEqual([]);
    expect(
      validateParams({
        temperature: 0,
        top_p: 1,
        n: 1,
        seed: -5,
        max_tokens: 1,
        stop: ['\n', 'END'],
        logprobs: true,
        top_logprobs: 0,
        logit_bias: { '50256': -100, '0': 100 },
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer-v1', schema: { type: 'object' } },
        },
        reasoning_effort: 'low',
        user: '',
      }),
    ).toEqual([]);
  });

  it('reports every bad numeric parameter with its key', () => {
    const errors = validateParams({ temperature: 3, n: 0, top_p: 0.5, max_tokens: 2.5 });
    expect(errors.map((e) => e.key)).toEqual(['temperature', 'max_tokens', 'n']);
    expect(errors[0]!.error).toBe('Temperature must be between 0 and 2 (got 3).');
  });

  it('checks max_completion_tokens like max_tokens', () => {
    expect(keysOf({ max_completion_tokens: 0 })).toEqual(['max_completion_tokens']);
    expect(keysOf({ max_completion_tokens: 4096 })).toEqual([]);
  });

  it('allows at most 4 stop sequences', () => {
    expect(keysOf({ stop: ['a', 'b', 'c', 'd'] })).toEqual([]);
    const [e] = validateParams({ stop: ['a', 'b', 'c', 'd', 'e'] });
    expect(e).toEqual({ key: 'stop', error: 'Use at most 4 stop sequences (got 5).' });
  });

  it('refuses an empty stop sequence, saying which one', () => {
    const errors = validateParams({ stop: ['END', ''] });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.key).toBe('stop');
    expect(errors[0]!.error).toMatch(/Stop sequence 2 is empty/);
  });

  it('treats an empty stop list as unset, and a whitespace one as real', () => {
    expect(keysOf({ stop: [] })).toEqual([]);
    expect(keysOf({ stop: [' '] })).toEqual([]);
  });

  it.each(['abc', '-1', '1.5', ' 12', ''])('refuses logit_bias key %j (not a token id)', (k) => {
    const errors = validateParams({ logit_bias: { [k]: 1 } });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toMatch(/not a token id/);
  });

  it.each([101, -101, 0.5, NaN])('refuses logit_bias value %s', (v) => {
    const errors = validateParams({ logit_bias: { '42': v } });
    expect(errors).toEqual([
      { key: 'logit_bias', error: expect.stringMatching(/token 42 .*-100 and 100/) },
    ]);
  });

  it('refuses logit_bias that is not an object', () => {
    expect(keysOf({ logit_bias: [1, 2] as unknown as Record<string, number> })).toEqual([
      'logit_bias',
    ]);
  });

  it('top_logprobs needs logprobs turned on', () => {
    expect(keysOf({ top_logprobs: 5 })).toEqual(['top_logprobs']);
    expect(keysOf({ top_logprobs: 5, logprobs: false })).toEqual(['top_logprobs']);
    expect(keysOf({ top_logprobs: 5, logprobs: true })).toEqual([]);
    expect(keysOf({ logprobs: true })).toEqual([]);
  });

  it('refuses an unknown reasoning effort', () => {
    const [e] = validateParams({ reasoning_effort: 'extreme' });
    expect(e?.key).toBe('reasoning_effort');
    expect(e?.error).toMatch(/"extreme"/);
  });

  describe('response_format', () => {
    const rf = (response_format: unknown) =>
      validateParams({ response_format } as ParamsInput).map((e) => e.error);

    it('accepts text and json_object', () => {
      expect(rf({ type: 'text' })).toEqual([]);
      expect(rf({ type: 'json_object' })).toEqual([]);
    });

    it('json_schema needs a name', () => {
      expect(rf({ type: 'json_schema', json_schema: { schema: {} } })).toEqual([
        expect.stringMatching(/name/),
      ]);
      expect(rf({ type: 'json_schema', json_schema: { name: '', schema: {} } })).toHaveLength(1);
    });

    it('json_schema names follow the spec: a-z, A-Z, 0-9, _ and -, up to 64', () => {
      expect(
        rf({ type: 'json_schema', json_schema: { name: 'my schema', schema: {} } }),
      ).toHaveLength(1);
      expect(
        rf({ type: 'json_schema', json_schema: { name: 'x'.repeat(65), schema: {} } }),
      ).toHaveLength(1);
      expect(
        rf({ type: 'json_schema', json_schema: { name: 'x'.repeat(64), schema: {} } }),
      ).toEqual([]);
    });

    it('json_schema needs a schema object', () => {
      for (const schema of [undefined, null, [], 'object']) {
        expect(rf({ type: 'json_schema', json_schema: { name: 'a', schema } })).toEqual([
          expect.stringMatching(/schema must be an object/),
        ]);
      }
    });

    it('json_schema needs the json_schema member at all', () => {
      expect(rf({ type: 'json_schema' })).toHaveLength(1);
    });

    it('refuses an unknown type', () => {
      expect(rf({ type: 'xml' })).toEqual([expect.stringMatching(/"xml"/)]);
      expect(rf('json')).toHaveLength(1);
    });
  });
});

describe('usesMaxCompletionTokens / isReasoningModel', () => {
  it.each([
    'o1',
    'o1-mini',
    'o1-preview-2024-09-12',
    'o3',
    'o3-mini',
    'o4-mini',
    'o4-mini-2025-04-16',
    'gpt-5',
    'gpt-5-mini',
    'gpt-5-nano-2025-08-07',
    'gpt-5-chat-latest',
    'gpt-5.1',
    'gpt-5.2-pro',
    'GPT-5',
    ' o3 ',
    // A reinforcement fine-tune keeps its base model after "ft:".
    'ft:o4-mini-2025-04-16:acme::abc123',
  ])('%j is a reasoning model that takes max_completion_tokens', (model) => {
    expect(usesMaxCompletionTokens(model)).toBe(true);
    expect(isReasoningModel(model)).toBe(true);
    expect(maxTokensKey(model)).toBe('max_completion_tokens');
  });

  it.each([
    'gpt-4',
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-3.5-turbo',
    'chatgpt-4o-latest',
    'llama3',
    'omni-moderation-latest',
    'gpt-50',
    // Decision: the family must start the id. A name merely containing "o1" is
    // someone's own model, likely on a server that only knows max_tokens.
    'my-o1-finetune',
    'ft:gpt-4o-mini:acme::xyz',
    '',
  ])('%j keeps max_tokens', (model) => {
    expect(usesMaxCompletionTokens(model)).toBe(false);
    expect(isReasoningModel(model)).toBe(false);
    expect(maxTokensKey(model)).toBe('max_tokens');
  });
});

describe('stop sequence display', () => {
  it.each([
    ['\n', '\\n'],
    ['\t', '\\t'],
    ['\r\n', '\\r\\n'],
    ['\\', '\\\\'],
    ['END', 'END'],
    // A literal backslash followed by n is not a newline.
    ['\\n', '\\\\n'],
    ['a\\\nb', 'a\\\\\\nb'],
  ])('shows %j as %j', (raw, shown) => {
    expect(stopToDisplay(raw)).toBe(shown);
    expect(stopFromDisplay(shown)).toBe(raw);
  });

  it('keeps a literal backslash-n and a newline apart', () => {
    expect(stopToDisplay('\\n')).not.toBe(stopToDisplay('\n'));
    expect(stopFromDisplay('\\\\n')).toBe('\\n');
    expect(stopFromDisplay('\\n')).toBe('\n');
  });

  it.each(['', '\n\n', '\\\\n', '\\\\\n\\', 'x\\ty\tz', '\\\\\\', '###\nUser:', 'ü\u0000\\u0041'])(
    'round-trips %j exactly',
    (s) => {
      expect(stopFromDisplay(stopToDisplay(s))).toBe(s);
    },
  );

  it('leaves a backslash before other characters, or at the end, as typed', () => {
    expect(stopFromDisplay('C:\\path')).toBe('C:\\path');
    expect(stopFromDisplay('end\\')).toBe('end\\');
  });
});

describe('mergeExtra', () => {
  const base = () => ({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Hi' }],
    temperature: 0.2,
  });

  it('adds new keys without conflicts', () => {
    const r = mergeExtra(base(), '{"logprobs": true, "top_logprobs": 3}');
    expect(r).toEqual({ body: { ...base(), logprobs: true, top_logprobs: 3 }, conflicts: [] });
  });

  it('overrides existing keys and lists them as conflicts', () => {
    const r = mergeExtra(base(), '{"temperature": 1.5, "seed": 7}');
    expect(r.body.temperature).toBe(1.5);
    expect(r.body.seed).toBe(7);
    expect(r.conflicts).toEqual(['temperature']);
    expect(r.error).toBeUndefined();
  });

  it('does not count a key whose value is undefined (unset) as a conflict', () => {
    const r = mergeExtra({ ...base(), top_p: undefined }, '{"top_p": 0.5}');
    expect(r.conflicts).toEqual([]);
    expect(r.body.top_p).toBe(0.5);
  });

  it('always counts model, messages and stream as conflicts', () => {
    const r = mergeExtra(base(), '{"model": "o3", "messages": [], "stream": true, "n": 2}');
    expect(r.conflicts).toEqual(['model', 'messages', 'stream']);
    expect(r.body).toMatchObject({ model: 'o3', messages: [], stream: true, n: 2 });
  });

  it('replaces nested objects whole rather than merging into them', () => {
    const body = {
      ...base(),
      response_format: { type: 'json_schema', json_schema: { name: 'a' } },
    };
    const r = mergeExtra(
      body,
      '{"response_format": {"type": "json_object"}, "metadata": {"a": {"b": 1}}}',
    );
    expect(r.body.response_format).toEqual({ type: 'json_object' });
    expect(r.body.metadata).toEqual({ a: { b: 1 } });
    expect(r.conflicts).toEqual(['response_format']);
  });

  it('does not change the body it was given', () => {
    const body = base();
    mergeExtra(body, '{"temperature": 1, "x": 1}');
    expect(body).toEqual(base());
  });

  it('treats blank extras as nothing to merge', () => {
    const body = base();
    expect(mergeExtra(body, '  \n ')).toEqual({ body, conflicts: [] });
  });

  it('keeps a "__proto__" key as a plain key instead of changing the prototype', () => {
    const r = mergeExtra(base(), '{"__proto__": {"polluted": true}}');
    expect(Object.getPrototypeOf(r.body)).toBe(Object.prototype);
    expect(Object.hasOwn(r.body, '__proto__')).toBe(true);
    expect(JSON.stringify(r.body)).toContain('"__proto__":{"polluted":true}');
  });

  it.each([
    ['{"a": 1,}', 1, 8],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3],
    ['{"a": tru}', 1, 7],
    ['{"logprobs": true', 1, 17],
    ["{'a': 1}", 1, 2],
    ['{"a": 01}', 1, 8],
  ])(
    'refuses invalid JSON %j with line %i, column %i and leaves the body alone',
    (text, line, col) => {
      const body = base();
      const r = mergeExtra(body, text);
      expect(r.body).toBe(body);
      expect(r.conflicts).toEqual([]);
      expect(r.error).toMatch(
        new RegExp(`^Extra parameters are not valid JSON \\(line ${line}, column ${col}\\): .+`),
      );
    },
  );

  it.each([
    ['[1, 2]', 'an array'],
    ['null', 'null'],
    ['42', 'a number'],
    ['"temperature"', 'a string'],
  ])('refuses %s: extras must be an object', (text, got) => {
    const body = base();
    const r = mergeExtra(body, text);
    expect(r.body).toBe(body);
    expect(r.error).toBe(
      `Extra parameters must be a JSON object like {"logprobs": true}, not ${got}.`,
    );
  });
});
