// The demo endpoint: a fetch that answers in the page in the Chat Completions
// wire format. Its replies go through the same reader and runner as a real
// server's, so what is checked here is what the page will show.

import { describe, expect, it } from 'vitest';
import { primaryChoice } from '../../src/lib/api/accumulator';
import { createDemoFetch, demoFetch } from '../../src/lib/api/demo';
import { listModels } from '../../src/lib/api/models';
import { runCompletion, type RunRequest } from '../../src/lib/api/run';
import { DEMO_BASE_URL, DEMO_MODELS, isDemoBaseUrl, isDemoModel } from '../../src/lib/model/demo';
import type { RequestBody, WireMessage } from '../../src/lib/model/request';
import { checkBaseUrl, DEFAULT_BASE_URL, ENDPOINT_PRESETS } from '../../src/lib/model/settings';
import { AppSettings } from '../../src/lib/state/settings.svelte';
import { memorySettingsPort, settingsValues } from '../builders/settings';
import { referenceAnswer, ssePayloads } from '../builders/streams';

const CONFIG = { apiKey: '', baseURL: DEMO_BASE_URL };
const URL_CHAT = `${DEMO_BASE_URL}/chat/completions`;
/** The demo without its delays, for tests about what it says. */
const quick = createDemoFetch({ timeScale: 0 });

function body(text: string, extra: Partial<RequestBody> = {}): RequestBody {
  return {
    model: 'demo-fast',
    messages: [{ role: 'user', content: text }],
    stream: true,
    stream_options: { include_usage: true },
    ...extra,
  };
}

function run(b: RequestBody, extra: Partial<RunRequest> = {}) {
  return runCompletion({
    config: CONFIG,
    body: b,
    idleTimeoutMs: 10_000,
    signal: new AbortController().signal,
    onUpdate: () => {},
    fetch: quick,
    ...extra,
  });
}

async function rawStream(b: RequestBody): Promise<string> {
  const res = await quick(URL_CHAT, { method: 'POST', body: JSON.stringify(b) });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return res.text();
}

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string' },
        unit: { type: 'string', enum: ['fahrenheit', 'celsius'] },
        days: { type: 'integer', minimum: 1 },
      },
      required: ['location', 'unit'],
    },
  },
};

describe('the demo endpoint is an endpoint like any other', () => {
  it('is a Base URL preset that passes the Base URL check and needs no key', () => {
    expect(ENDPOINT_PRESETS).toContainEqual({
      label: 'Demo (no key)',
      baseURL: DEMO_BASE_URL,
      needsKey: false,
    });
    expect(checkBaseUrl(DEMO_BASE_URL)).toEqual({ ok: true, value: DEMO_BASE_URL });
    expect(isDemoBaseUrl(DEMO_BASE_URL + '/')).toBe(true);
    expect(isDemoBaseUrl('https://api.openai.com/v1')).toBe(false);
  });

  it('lists its models through the SDK, without a fetch handed in', async () => {
    const listed = await listModels(CONFIG);
    expect(listed).toEqual({ ok: true, value: [...DEMO_MODELS].sort() });
  });
});

describe('a streamed answer', () => {
  it('is valid chunks that the real reader assembles into the answer, with usage', async () => {
    const b = body('What is a haiku?');
    const reference = referenceAnswer(await rawStream(b));
    const result = await run(b);
    const choice = primaryChoice(result.answer);
    expect(result.outcome).toBe('done');
    expect(choice.content).toBe(reference.content);
    expect(choice.content).toContain('What is a haiku?');
    expect(choice.finishReason).toBe('stop');
    expect(result.answer.model).toBe('demo-fast');
    expect(isDemoModel(result.answer.model)).toBe(true);
    expect(result.answer.usage).toMatchObject(reference.usage!);
    const usage = result.answer.usage!;
    expect(usage.completion).toBeGreaterThan(5);
    expect(usage.total).toBe(usage.prompt + usage.completion);
    expect(result.requestId).toMatch(/^req_demo_/);
    expect(result.response?.chunks?.at(-1)).toBe('[DONE]');
  });

  it('sends the usage only when asked for, in its own chunk with no choices', async () => {
    const withUsage = ssePayloads(await rawStream(body('hi'))) as Record<string, unknown>[];
    expect(withUsage.at(-1)).toMatchObject({
      choices: [],
      usage: { total_tokens: expect.any(Number) },
    });
    const without = ssePayloads(await rawStream(body('hi', { stream_options: undefined })));
    expect(without.some((c) => 'usage' in (c as object))).toBe(false);
  });

  it('arrives over time at the model’s pace, through the demo fetch the runner picks itself', async () => {
    const seen: string[] = [];
    const result = await runCompletion({
      config: CONFIG,
      body: body('Tell me about streams', { model: 'demo-poet' }),
      idleTimeoutMs: 10_000,
      signal: new AbortController().signal,
      onUpdate: (a) => seen.push(primaryChoice(a).content),
    });
    expect(result.outcome).toBe('done');
    const timing = result.timing;
    expect(timing.firstTokenAt! - timing.startedAt).toBeGreaterThanOrEqual(250);
    expect(timing.endedAt! - timing.firstTokenAt!).toBeGreaterThan(20);
    // Several updates, each a longer prefix of the answer.
    const distinct = [...new Set(seen)].filter(Boolean);
    expect(distinct.length).toBeGreaterThan(2);
    const final = primaryChoice(result.answer).content;
    for (const text of distinct) expect(final.startsWith(text)).toBe(true);
  });

  it('is the same for the same conversation, and different per model', async () => {
    const texts = async (model: string) =>
      primaryChoice((await run(body('Explain recursion', { model }))).answer).content;
    expect(await texts('demo-fast')).toBe(await texts('demo-fast'));
    const [fast, thoughtful, poet] = await Promise.all(DEMO_MODELS.map(texts));
    expect(new Set([fast, thoughtful, poet]).size).toBe(3);
    expect(fast!.length).toBeLessThan(thoughtful!.length);
    // The thorough voice writes Markdown: a heading, a list and a code block.
    expect(thoughtful).toMatch(/^## /m);
    expect(thoughtful).toMatch(/^1\. /m);
    expect(thoughtful).toMatch(/^```\w+\n[\s\S]+?\n```$/m);
    expect(poet!.split('\n')).toHaveLength(4);
  });

  it('answers any other model id in one of its voices, under that voice’s name', async () => {
    const result = await run(body('Hello', { model: 'gpt-4' }));
    expect(DEMO_MODELS).toContain(result.answer.model);
  });

  it('gives n choices, each its own', async () => {
    const result = await run(body('Name a colour', { n: 3 }));
    expect(result.answer.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(result.answer.choices.map((c) => c.content)).size).toBe(3);
    expect(result.answer.choices.every((c) => c.finishReason === 'stop')).toBe(true);
  });

  it('stops at max tokens with finish reason length', async () => {
    const result = await run(
      body('Explain recursion', { model: 'demo-thoughtful', max_tokens: 5 }),
    );
    expect(primaryChoice(result.answer).finishReason).toBe('length');
    expect(result.answer.usage?.completion).toBe(5);
  });

  it('gives log probabilities with the asked number of alternatives', async () => {
    const result = await run(body('What is the sky like?', { logprobs: true, top_logprobs: 3 }));
    const choice = primaryChoice(result.answer);
    expect(choice.logprobs.map((t) => t.token).join('')).toBe(choice.content);
    for (const t of choice.logprobs) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.topLogprobs).toHaveLength(3);
      expect(new TextDecoder().decode(new Uint8Array(t.bytes!))).toBe(t.token);
      const total = t.topLogprobs.reduce((sum, alt) => sum + Math.exp(alt.logprob), 0);
      expect(total).toBeLessThanOrEqual(1.000001);
    }
    const plain = await run(body('What is the sky like?'));
    expect(primaryChoice(plain.answer).logprobs).toEqual([]);
  });

  it('stops when the user stops, keeping what came', async () => {
    const stop = new AbortController();
    const full = primaryChoice(
      (await run(body('Explain recursion', { model: 'demo-thoughtful' }))).answer,
    );
    const result = await runCompletion({
      config: CONFIG,
      body: body('Explain recursion', { model: 'demo-thoughtful' }),
      idleTimeoutMs: 10_000,
      signal: stop.signal,
      fetch: demoFetch,
      onUpdate: (a) => {
        if (primaryChoice(a).content.length > 0) stop.abort();
      },
    });
    expect(result.outcome).toBe('stopped');
    const partial = primaryChoice(result.answer).content;
    expect(partial.length).toBeGreaterThan(0);
    expect(full.content.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(full.content.length);
  });

  it('answers a non-streamed request with the same words in one JSON completion', async () => {
    const streamed = await run(body('What is a haiku?', { n: 2 }));
    const whole = await run(
      body('What is a haiku?', { n: 2, stream: false, stream_options: undefined }),
    );
    expect(whole.outcome).toBe('done');
    expect(whole.answer.choices.map((c) => c.content)).toEqual(
      streamed.answer.choices.map((c) => c.content),
    );
    expect(whole.answer.usage).toEqual(streamed.answer.usage);
  });
});

describe('tools', () => {
  it('calls the first function with arguments that fit its schema, then uses the result', async () => {
    const first = await run(
      body('Weather in Paris?', { tools: [weather, { ...weather, function: { name: 'other' } }] }),
    );
    const choice = primaryChoice(first.answer);
    expect(choice.finishReason).toBe('tool_calls');
    expect(choice.content).toBe('');
    expect(choice.toolCalls).toHaveLength(1);
    const call = choice.toolCalls[0]!;
    expect(call.name).toBe('get_weather');
    expect(call.id).toMatch(/^call_demo_/);
    const args = JSON.parse(call.arguments);
    expect(args).toEqual({
      location: expect.any(String),
      unit: 'fahrenheit',
      days: expect.any(Number),
    });
    expect(Number.isInteger(args.days) && args.days >= 1).toBe(true);

    const messages: WireMessage[] = [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          },
        ],
      },
      { role: 'tool', content: '{"temperature": 21}', tool_call_id: call.id },
    ];
    for (const model of DEMO_MODELS) {
      const after = await run(body('', { model, messages, tools: [weather] }));
      const text = primaryChoice(after.answer).content;
      expect(primaryChoice(after.answer).finishReason).toBe('stop');
      expect(text).toContain('{"temperature": 21}');
      expect(text).toContain('get_weather');
    }
  });

  it('calls the function tool_choice names, and none when it says none', async () => {
    const other = {
      type: 'function',
      function: {
        name: 'lookup',
        parameters: { type: 'object', properties: { query: { type: 'string' } } },
      },
    };
    const named = await run(
      body('Find cats', {
        tools: [weather, other],
        tool_choice: { type: 'function', function: { name: 'lookup' } },
      }),
    );
    const call = primaryChoice(named.answer).toolCalls[0]!;
    expect(call.name).toBe('lookup');
    expect(JSON.parse(call.arguments)).toEqual({ query: 'Find cats' });
    const none = await run(body('Find cats', { tools: [weather], tool_choice: 'none' }));
    expect(primaryChoice(none.answer).toolCalls).toEqual([]);
    expect(primaryChoice(none.answer).content).not.toBe('');
  });

  it('speaks the legacy functions format too', async () => {
    const result = await run(body('Weather?', { functions: [weather.function] }));
    const choice = primaryChoice(result.answer);
    expect(choice.finishReason).toBe('function_call');
    expect(choice.toolCalls[0]?.name).toBe('get_weather');
    const after = await run(
      body('', {
        functions: [weather.function],
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: null,
            function_call: { name: 'get_weather', arguments: '{}' },
          },
          { role: 'function', name: 'get_weather', content: 'sunny' },
        ],
      }),
    );
    expect(primaryChoice(after.answer).content).toContain('sunny');
  });
});

describe('errors on request', () => {
  it('/error 429 is a rate limit, as the API words it, with retry-after', async () => {
    const result = await run(body('/error 429'), { maxRateLimitRetries: 0 });
    expect(result.outcome).toBe('error');
    expect(result.error).toMatchObject({
      kind: 'rate_limit',
      status: 429,
      code: 'rate_limit_exceeded',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(result.error?.apiMessage).toMatch(/Rate limit reached/);
    expect(result.response?.status).toBe(429);
    expect(JSON.parse(result.response!.body!)).toMatchObject({
      error: { type: 'requests', code: 'rate_limit_exceeded' },
    });
  });

  it.each([
    [400, 'bad_request'],
    [401, 'auth'],
    [500, 'server'],
    [503, 'server'],
  ])('/error %i fails with that status', async (status, kind) => {
    const result = await run(body(`/error ${status}`));
    expect(result.error).toMatchObject({ status, kind });
  });

  it('answers anything else as text, /error 200 included', async () => {
    const result = await run(body('/error 200'));
    expect(result.outcome).toBe('done');
  });

  it('says 404 for a path it does not serve, and 400 for a body it cannot read', async () => {
    const missing = await quick(`${DEMO_BASE_URL}/embeddings`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    const broken = await quick(URL_CHAT, { method: 'POST', body: '{' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

describe('choosing the demo in Settings', () => {
  const KEY = 'sk-proj-demo-0123456789';

  it('a first run that picks the demo needs no key, and is not a first run again', async () => {
    const { port } = memorySettingsPort();
    const settings = new AppSettings(port);
    await settings.load();
    expect(settings.firstRun).toBe(true);
    await settings.save(settingsValues({ baseURL: DEMO_BASE_URL }));
    expect(settings.isDemo).toBe(true);
    expect(settings.needsKey).toBe(false);
    const reloaded = new AppSettings(port);
    await reloaded.load();
    expect(reloaded.firstRun).toBe(false);
    expect(reloaded.isDemo).toBe(true);
  });

  it('is never handed the key, nor asks to send it; the key stays bound to its endpoint', async () => {
    const changes: string[] = [];
    const settings = new AppSettings(memorySettingsPort().port, (c) => changes.push(c.apiKey));
    await settings.save(settingsValues({ apiKey: KEY }));
    await settings.save(settingsValues({ apiKey: KEY, baseURL: DEMO_BASE_URL }));
    expect(settings.config).toMatchObject({ apiKey: '', baseURL: DEMO_BASE_URL });
    expect(changes.at(-1)).toBe('');
    expect(settings.keyOriginPending).toBeNull();
    expect(settings.confirmKeyOrigin()).toBe(true);
    expect(settings.keyOrigin).toBe('https://api.openai.com');
    await settings.save(settingsValues({ apiKey: KEY }));
    expect(settings.config.apiKey).toBe(KEY);
    expect(settings.keyOriginPending).toBeNull();
  });

  it('a new key saved while the demo is chosen ends the demo: the key is for OpenAI', async () => {
    const settings = new AppSettings(memorySettingsPort().port);
    await settings.save(settingsValues({ baseURL: DEMO_BASE_URL }));
    const saved = await settings.save(settingsValues({ apiKey: KEY, baseURL: DEMO_BASE_URL }));
    expect(saved.ok && saved.value.baseURL).toBe(DEFAULT_BASE_URL);
    expect(settings.isDemo).toBe(false);
    expect(settings.keyOrigin).toBe('https://api.openai.com');
  });
});
