// The runner: how an answer ends (done, stopped, stalled, incomplete, error),
// rate-limit retries, and what goes out on the wire.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { primaryChoice } from '../../src/lib/api/accumulator';
import {
  MAX_RETRY_WAIT_MS,
  runCompletion,
  type RetryWait,
  type RunRequest,
} from '../../src/lib/api/run';
import type { RequestBody } from '../../src/lib/model/request';
import {
  fetchReturning,
  jsonReply,
  listSharedFixtures,
  readFixtureJson,
  readFixtureText,
  sseOf,
  sseReply,
  textChunk,
  usageChunk,
  utf8,
  warnIfSharedAbsent,
  type RecordingFetch,
} from '../builders/streams';

const CONFIG = { apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' };

function streamBody(): RequestBody {
  return {
    model: 'gpt-4',
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: true,
    stream_options: { include_usage: true },
  };
}

function run(fetch: RecordingFetch, extra: Partial<RunRequest> = {}) {
  return runCompletion({
    config: CONFIG,
    body: streamBody(),
    idleTimeoutMs: 10_000,
    signal: new AbortController().signal,
    onUpdate: () => {},
    fetch,
    ...extra,
  });
}

const HELLO = sseOf([
  textChunk('', { role: 'assistant' }),
  textChunk('Hel'),
  textChunk('lo'),
  textChunk(null, { finish: 'stop' }),
  usageChunk(8, 2),
]);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a normal streamed answer', () => {
  it('arrives piece by piece and ends done with the reported usage', async () => {
    const seen: string[] = [];
    const bytes = utf8(HELLO);
    // Cut right after the "Hel" event so the first update can be observed alone.
    const cut = HELLO.indexOf('"lo"');
    const result = await run(fetchReturning(sseReply(bytes, [cut])), {
      onUpdate: (a) => seen.push(primaryChoice(a).content),
    });
    expect(result.outcome).toBe('done');
    expect(result.error).toBeUndefined();
    expect(primaryChoice(result.answer).content).toBe('Hello');
    expect(result.answer.usage).toMatchObject({ prompt: 8, completion: 2, total: 10 });
    expect(seen).toContain('Hel');
    expect(seen.indexOf('Hel')).toBeLessThan(seen.indexOf('Hello'));
  });

  it('records when the request started, when the first text came and when it ended', async () => {
    let clock = 1000;
    const result = await run(fetchReturning(sseReply(utf8(HELLO))), {
      now: () => (clock += 10),
    });
    const t = result.timing;
    expect(t.startedAt).toBeGreaterThanOrEqual(1000);
    expect(t.firstTokenAt).toBeGreaterThan(t.startedAt);
    expect(t.endedAt).toBeGreaterThanOrEqual(t.firstTokenAt!);
  });
});

describe('how a streamed answer can end badly', () => {
  it('stalls when no byte arrives within the idle timeout, keeping the partial text', async () => {
    const first = utf8(sseOf([textChunk('Hel', { role: 'assistant' })], { done: false }));
    const started = Date.now();
    const result = await run(fetchReturning(sseReply(first, [], { hang: true })), {
      idleTimeoutMs: 50,
    });
    expect(result.outcome).toBe('stalled');
    expect(result.error?.kind).toBe('stalled');
    expect(result.error?.message).toContain('api.openai.com');
    expect(primaryChoice(result.answer).content).toBe('Hel');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stalls when the server never even sends headers', async () => {
    const neverAnswers = fetchReturning(
      (call) =>
        new Promise<Response>((_, reject) => {
          call.signal?.addEventListener('abort', () =>
            reject(new DOMException('aborted', 'AbortError')),
          );
        }),
    );
    const result = await run(neverAnswers, { idleTimeoutMs: 50 });
    expect(result.outcome).toBe('stalled');
    expect(result.error?.kind).toBe('stalled');
  });

  it('a keep-alive comment counts as life: slow bytes under the limit do not stall', async () => {
    // Three comment lines 30 ms apart, then the answer: never 50 ms of silence.
    const pieces = [': keep-alive\n\n', ': keep-alive\n\n', ': keep-alive\n\n', HELLO];
    const fetch = fetchReturning((call) => {
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (i >= pieces.length) return c.close();
          if (i > 0) await new Promise((r) => setTimeout(r, 30));
          if (call.signal?.aborted) return c.error(call.signal.reason);
          c.enqueue(utf8(pieces[i++]!));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const result = await run(fetch, { idleTimeoutMs: 50 });
    expect(result.outcome).toBe('done');
    expect(primaryChoice(result.answer).content).toBe('Hello');
  });

  it('Stop mid-stream ends as stopped, keeps the partial text and shows no error', async () => {
    const user = new AbortController();
    const first = utf8(sseOf([textChunk('Hel', { role: 'assistant' })], { done: false }));
    const result = await run(fetchReturning(sseReply(first, [], { hang: true })), {
      signal: user.signal,
      onUpdate: (a) => {
        if (primaryChoice(a).content === 'Hel') user.abort();
      },
    });
    expect(result.outcome).toBe('stopped');
    expect(result.error).toBeUndefined();
    expect(primaryChoice(result.answer).content).toBe('Hel');
  });

  it('Stop before anything was sent does not send a request', async () => {
    const user = new AbortController();
    user.abort();
    const fetch = fetchReturning(sseReply(utf8(HELLO)));
    const result = await run(fetch, { signal: user.signal });
    expect(result.outcome).toBe('stopped');
    expect(fetch.calls).toHaveLength(0);
  });

  it.each([
    ['with [DONE]', true],
    ['without [DONE]', false],
  ])('a stream that ends without finish_reason (%s) is incomplete', async (_label, done) => {
    const sse = sseOf([textChunk('Hel', { role: 'assistant' }), textChunk('lo')], { done });
    const result = await run(fetchReturning(sseReply(utf8(sse))));
    expect(result.outcome).toBe('incomplete');
    expect(primaryChoice(result.answer).content).toBe('Hello');
    expect(primaryChoice(result.answer).finishReason).toBeNull();
  });

  it('a chunk that is not JSON ends as a stream error, keeping the text so far', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const sse = sseOf([
      textChunk('Hel', { role: 'assistant' }),
      '{"id":"x","choices":[{"index":0,"delta":{"content":"lo"}',
    ]);
    const result = await run(fetchReturning(sseReply(utf8(sse))));
    expect(result.outcome).toBe('error');
    expect(result.error?.kind).toBe('stream');
    expect(result.error?.message).toContain('api.openai.com');
    expect(primaryChoice(result.answer).content).toBe('Hel');
  });
});

describe('rate limits', () => {
  const RATE_LIMITED = {
    error: {
      message:
        'Rate limit reached for gpt-4 on requests per min (RPM): Limit 3, Used 3, Requested 1.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  };

  it('429 then 200: waits as long as retry-after says, tells the UI, then succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const NOW = 1_700_000_000_000;
    const waits: (RetryWait | null)[] = [];
    let waitStarted!: () => void;
    const started = new Promise<void>((r) => (waitStarted = r));
    const fetch = fetchReturning(
      jsonReply(429, RATE_LIMITED, [['retry-after', '1']]),
      sseReply(utf8(HELLO)),
    );
    const pending = run(fetch, {
      now: () => NOW,
      onRetryWait: (w) => {
        waits.push(w);
        if (w) waitStarted();
      },
    });
    await started;
    expect(waits[0]).toMatchObject({ attempt: 1, until: NOW + 1000 });
    expect(waits[0]?.error.kind).toBe('rate_limit');
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(fetch.calls).toHaveLength(2);
    expect(fetch.calls[1]?.body).toEqual(fetch.calls[0]?.body);
    expect(result.outcome).toBe('done');
    expect(primaryChoice(result.answer).content).toBe('Hello');
    expect(waits.at(-1)).toBeNull();
  });

  it('retry-after: 3600 waits a minute at most, and Retry now does not wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const NOW = 1_700_000_000_000;
    let wait: RetryWait | null = null;
    const fetch = fetchReturning(
      jsonReply(429, RATE_LIMITED, [['retry-after', '3600']]),
      sseReply(utf8(HELLO)),
    );
    const pending = run(fetch, { now: () => NOW, onRetryWait: (w) => (wait ??= w) });
    await vi.waitFor(() => expect(wait).not.toBeNull());
    expect(wait).toMatchObject({ until: NOW + MAX_RETRY_WAIT_MS, askedMs: 3_600_000 });
    expect(MAX_RETRY_WAIT_MS).toBe(60_000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch.calls).toHaveLength(1);
    wait!.retryNow();
    const result = await pending;
    expect(fetch.calls).toHaveLength(2);
    expect(result.outcome).toBe('done');
  });

  it('gives up after the allowed number of retries and reports the rate limit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fetch = fetchReturning(
      jsonReply(429, RATE_LIMITED, [['retry-after', '1']]),
      jsonReply(429, RATE_LIMITED, [['retry-after', '1']]),
      jsonReply(429, RATE_LIMITED, [['retry-after', '1']]),
    );
    const pending = run(fetch, { maxRateLimitRetries: 2 });
    await vi.advanceTimersByTimeAsync(5000);
    const result = await pending;
    expect(fetch.calls).toHaveLength(3);
    expect(result.outcome).toBe('error');
    expect(result.error?.kind).toBe('rate_limit');
    expect(result.error?.apiMessage).toBe(RATE_LIMITED.error.message);
  });

  it('429 insufficient_quota is not retried and says the account is out of credit', async () => {
    const onRetryWait = vi.fn();
    const fetch = fetchReturning(
      jsonReply(429, {
        error: {
          message: 'You exceeded your current quota, please check your plan and billing details.',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      }),
    );
    const result = await run(fetch, { onRetryWait });
    expect(fetch.calls).toHaveLength(1);
    expect(onRetryWait).not.toHaveBeenCalled();
    expect(result.outcome).toBe('error');
    expect(result.error?.kind).toBe('quota');
    expect(result.error?.retryable).toBe(false);
  });

  it('Stop during the retry wait ends as stopped and sends no second request', async () => {
    const user = new AbortController();
    const fetch = fetchReturning(
      jsonReply(429, RATE_LIMITED, [['retry-after', '30']]),
      sseReply(utf8(HELLO)),
    );
    const waits: (RetryWait | null)[] = [];
    const result = await run(fetch, {
      signal: user.signal,
      onRetryWait: (w) => {
        waits.push(w);
        if (w) user.abort();
      },
    });
    expect(result.outcome).toBe('stopped');
    expect(fetch.calls).toHaveLength(1);
    // The UI is told the wait is over, so no countdown is left on screen.
    expect(waits.at(-1)).toBeNull();
  });
});

describe('a non-streamed answer', () => {
  const present = warnIfSharedAbsent('run.test.ts a01 replay', 'replaced by an inline answer');
  const useA01 =
    present && listSharedFixtures('.json').includes('a01_nonstream_gpt4o_2025_full_headers.json');

  interface Completion {
    choices: { message: { content: string }; finish_reason: string }[];
    usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    model: string;
  }
  const text = useA01
    ? readFixtureText('a01_nonstream_gpt4o_2025_full_headers.json')
    : JSON.stringify({
        id: 'chatcmpl-own',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4-0613',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Bonjour ! 👋' },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 },
      });
  const headers: [string, string][] = useA01
    ? readFixtureJson<{ response: { headers_replay: [string, string][] } }>(
        'a01_nonstream_gpt4o_2025_full_headers.meta.json',
      ).response.headers_replay
    : [['x-request-id', 'req_own']];
  const parsed = JSON.parse(text) as Completion;

  it('gives the content, usage, model and request id', async () => {
    const body = { model: 'gpt-4', messages: [{ role: 'user', content: 'Hi' }] };
    const fetch = fetchReturning(jsonReply(200, text, headers));
    const result = await run(fetch, { body });
    expect(result.outcome).toBe('done');
    const c = primaryChoice(result.answer);
    expect(c.content).toBe(parsed.choices[0]!.message.content);
    expect(c.finishReason).toBe(parsed.choices[0]!.finish_reason);
    expect(result.answer.model).toBe(parsed.model);
    expect(result.answer.usage).toMatchObject({
      prompt: parsed.usage.prompt_tokens,
      completion: parsed.usage.completion_tokens,
      total: parsed.usage.total_tokens,
    });
    const requestId = headers.find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
    expect(requestId).toBeTruthy();
    expect(result.requestId).toBe(requestId);
    expect(fetch.calls[0]?.body).toEqual(body);
  });
});

describe('what goes on the wire', () => {
  it('sends exactly the body given, to {baseURL}/chat/completions, with the key as a bearer token', async () => {
    const body: RequestBody = {
      model: 'gpt-4',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0,
      user: '',
      stop: ['\n\n'],
      stream: true,
      stream_options: { include_usage: true },
    };
    const fetch = fetchReturning(sseReply(utf8(HELLO)));
    await run(fetch, { body: structuredClone(body) });
    expect(fetch.calls).toHaveLength(1);
    const call = fetch.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(call.body).toEqual(body);
    expect(call.headers.get('authorization')).toBe('Bearer sk-test');
  });

  it('sends no Authorization header at all when the key is empty (local servers)', async () => {
    const fetch = fetchReturning(sseReply(utf8(HELLO)));
    const result = await run(fetch, {
      config: { apiKey: '', baseURL: 'http://localhost:11434/v1' },
    });
    expect(result.outcome).toBe('done');
    const call = fetch.calls[0]!;
    expect(call.url).toBe('http://localhost:11434/v1/chat/completions');
    expect(call.headers.has('authorization')).toBe(false);
  });
});

describe('the API key never shows up in an error', () => {
  const KEY = 'sk-proj-Zq81SECRETdoNotShow4321';
  const config = { apiKey: KEY, baseURL: 'https://api.openai.com/v1' };

  it('when an error body echoes the key', async () => {
    const fetch = fetchReturning(
      jsonReply(401, {
        error: {
          message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      }),
    );
    const result = await run(fetch, { config });
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.apiMessage).toContain('Incorrect API key provided');
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('when an error chunk inside a stream echoes the key', async () => {
    const sse = sseOf([
      textChunk('Hi', { role: 'assistant' }),
      { error: { message: `key ${KEY} is revoked`, code: 401 } },
    ]);
    const result = await run(fetchReturning(sseReply(utf8(sse))), { config });
    expect(result.outcome).toBe('error');
    expect(primaryChoice(result.answer).content).toBe('Hi');
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('when a non-JSON error body echoes the key', async () => {
    const fetch = fetchReturning(
      () =>
        new Response(`<html><body>Bad key ${KEY}</body></html>`, {
          status: 400,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const result = await run(fetch, { config });
    expect(result.error?.kind).toBe('bad_request');
    expect(JSON.stringify(result)).not.toContain(KEY);
  });
});
