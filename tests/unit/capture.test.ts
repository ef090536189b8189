// The request inspector's records, captured by the runner: the body exactly as
// sent, the key never kept, and the response as it came back.

import { describe, expect, it } from 'vitest';
import { MAX_STORED_CHUNKS as MAX_CHUNKS } from '../../src/lib/model/limits';
import { runCompletion, type RunRequest } from '../../src/lib/api/run';
import type { RequestBody } from '../../src/lib/model/request';
import {
  fetchReturning,
  jsonReply,
  sseOf,
  sseReply,
  textChunk,
  usageChunk,
  utf8,
  type RecordingFetch,
} from '../builders/streams';

const KEY = 'sk-proj-secretsecret1234';
const CONFIG = { apiKey: KEY, baseURL: 'https://api.example.test/v1', organization: 'org-7' };

const BODY: RequestBody = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Quote "this" — it’s\nfine 👋' }],
  temperature: 0,
  stream: true,
  stream_options: { include_usage: true },
};

/** Also keeps the body text exactly as handed to fetch. */
function rawBodies(fetch: RecordingFetch) {
  const bodies: string[] = [];
  const wrapped = Object.assign(
    (input: RequestInfo | URL, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return fetch(input, init);
    },
    { calls: fetch.calls },
  );
  return { fetch: wrapped, bodies };
}

function run(fetch: RunRequest['fetch'], body: RequestBody = BODY) {
  return runCompletion({
    config: CONFIG,
    body,
    idleTimeoutMs: 10_000,
    signal: new AbortController().signal,
    onUpdate: () => {},
    fetch,
  });
}

const HELLO =
  sseOf([textChunk('', { role: 'assistant', id: 'chatcmpl-42' })], { done: false }) +
  ': keep-alive\n\n' +
  sseOf([textChunk('Hi'), textChunk(null, { finish: 'stop' }), usageChunk(5, 1)]);

describe('the captured request', () => {
  it('is the exact body sent, at the exact URL, with the key redacted', async () => {
    const { fetch, bodies } = rawBodies(
      fetchReturning(sseReply(utf8(HELLO), [], { headers: { 'x-request-id': 'req_abc' } })),
    );
    const result = await run(fetch);
    expect(result.request?.body).toBe(bodies[0]);
    expect(JSON.parse(result.request!.body)).toEqual(BODY);
    expect(result.request?.url).toBe('https://api.example.test/v1/chat/completions');
    expect(result.request?.method).toBe('POST');
    const headers = new Map(result.request?.headers);
    expect(headers.get('authorization')).toBe('Bearer [redacted]');
    expect(headers.get('openai-organization')).toBe('org-7');
    expect(headers.get('content-type')).toBe('application/json');
    // The key went on the wire, but not into the record.
    expect(fetch.calls[0]?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(result)).not.toContain('secretsecret');
  });
});

describe('the captured response', () => {
  it('lists every SSE data payload verbatim, comments left out, [DONE] included', async () => {
    const bytes = utf8(HELLO);
    // Cut inside events, even between the two newlines, so the capture has to reassemble lines.
    const splits = [3, 17, HELLO.indexOf('\n\n') + 1, HELLO.indexOf(': keep') + 4, 400];
    const result = await run(
      fetchReturning(
        sseReply(bytes, splits, {
          headers: {
            'content-type': 'text/event-stream',
            'x-request-id': 'req_abc',
            'openai-processing-ms': '12',
          },
        }),
      ),
    );
    const expected = HELLO.split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice('data: '.length));
    expect(result.response?.chunks).toEqual(expected);
    expect(result.response?.chunks?.at(-1)).toBe('[DONE]');
    expect(result.response?.status).toBe(200);
    const headers = new Map(result.response?.headers);
    expect(headers.get('x-request-id')).toBe('req_abc');
    expect(headers.get('openai-processing-ms')).toBe('12');
    expect(result.response?.id).toBe('chatcmpl-42');
  });

  it(`keeps at most ${MAX_CHUNKS} payloads and counts the rest`, async () => {
    const many = sseOf([
      textChunk('', { role: 'assistant' }),
      ...Array.from({ length: MAX_CHUNKS + 10 }, () => textChunk('x')),
      textChunk(null, { finish: 'stop' }),
    ]);
    const result = await run(fetchReturning(sseReply(utf8(many))));
    expect(result.outcome).toBe('done');
    expect(result.response?.chunks).toHaveLength(MAX_CHUNKS);
    // role + 5010 text + finish + [DONE] = 5013 payloads in all.
    expect(result.response?.chunksOmitted).toBe(13);
  });

  it('keeps a non-streamed body verbatim, with its id and system_fingerprint', async () => {
    const text =
      '{\n  "id": "chatcmpl-plain",\n  "object": "chat.completion",\n  "system_fingerprint": "fp_1",\n' +
      '  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Plain"}, "finish_reason": "stop"}]\n}';
    const { stream: _s, stream_options: _o, ...plain } = BODY;
    const result = await run(fetchReturning(jsonReply(200, text)), plain);
    expect(result.outcome).toBe('done');
    expect(result.response?.body).toBe(text);
    expect(result.response?.chunks).toBeUndefined();
    expect(result.response?.id).toBe('chatcmpl-plain');
    expect(result.response?.systemFingerprint).toBe('fp_1');
  });

  it('records an error response too: status and the body the API sent', async () => {
    const error = { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } };
    const result = await run(fetchReturning(jsonReply(401, error)));
    expect(result.outcome).toBe('error');
    expect(result.response?.status).toBe(401);
    expect(JSON.parse(result.response!.body!)).toEqual(error);
    expect(new Map(result.request?.headers).get('authorization')).toBe('Bearer [redacted]');
  });
});
