// The stream reader that takes over from the SDK's once a stream's response is
// there: the event-stream rules, in any cut of the bytes, and the SDK's
// answers to errors inside a stream.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCompletion } from '../../src/lib/api/run';
import { MAX_ANSWER_BYTES, readChatStream, SseDecoder, type SseEvent } from '../../src/lib/api/sse';
import { StreamedError } from '../../src/lib/api/stream-errors';
import type { WireChunk } from '../../src/lib/api/wire';
import { cutAt } from '../builders/streams';

function decodeIn(pieces: string[]): SseEvent[] {
  const out: SseEvent[] = [];
  const d = new SseDecoder();
  for (const p of pieces) d.feed(p, out);
  d.end(out);
  return out;
}

/** `text` cut at the given offsets (taken modulo its length). */
const cut = (text: string, at: number[]) =>
  cutAt(
    text,
    at.map((n) => n % (text.length + 1)),
  );

describe('SseDecoder', () => {
  it('reads data lines, joins multi-line data, names events, skips comments and other fields', () => {
    const text =
      ': keep-alive\n\n' +
      'data: {"a":1}\n\n' +
      'event: error\ndata: {"error":{"message":"x"}}\n\n' +
      'id: 7\nretry: 10\ndata: line one\ndata:line two\n\n' +
      'data\n\n';
    expect(decodeIn([text])).toEqual([
      { event: null, data: '{"a":1}' },
      { event: 'error', data: '{"error":{"message":"x"}}' },
      { event: null, data: 'line one\nline two' },
      { event: null, data: '' },
    ]);
  });

  it('takes CRLF and lone CR line ends, also when a CRLF is cut between two reads', () => {
    expect(decodeIn(['data: a\r', '\n\r', '\ndata: b\r\r'])).toEqual([
      { event: null, data: 'a' },
      { event: null, data: 'b' },
    ]);
  });

  it('keeps an event the body ended before its blank line (as the SDK does)', () => {
    expect(decodeIn(['data: {"x":1}\n\ndata: last'])).toEqual([
      { event: null, data: '{"x":1}' },
      { event: null, data: 'last' },
    ]);
  });

  it('reads LF streams (its fast path for "data: " lines) as it reads the same lines with CRLF', () => {
    const line = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', ' ', ':', '{', 'é') }).map((v) => `data: ${v}`),
      fc.constantFrom('data:', 'data: ', 'data:x', 'data', 'dat', 'data :x', 'event: e', ': c', ''),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const lf = decodeIn([lines.map((l) => `${l}\n`).join('')]);
        expect(lf).toEqual(decodeIn([lines.map((l) => `${l}\r\n`).join('')]));
      }),
    );
  });

  it('gives the same events for any cut of any stream', () => {
    const line = fc.oneof(
      fc
        .string({ unit: fc.constantFrom('a', 'b', ' ', ':', '{', '"', 'é') })
        .map((v) => `data: ${v}`),
      fc.constant('event: delta'),
      fc.constant(': comment'),
      fc.constant(''),
    );
    const end = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, end), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (lines, at) => {
          const text = lines.map(([l, e]) => l + e).join('');
          expect(decodeIn(cut(text, at))).toEqual(decodeIn([text]));
        },
      ),
    );
  });
});

function sseResponse(text: string, splits: number[] = []): Response {
  const bytes = new TextEncoder().encode(text);
  const pieces = cut(text, splits).map((p) => new TextEncoder().encode(p));
  expect(pieces.reduce((n, p) => n + p.length, 0)).toBe(bytes.length);
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = pieces.shift();
      if (next) c.enqueue(next);
      else c.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  const res = new Response(body, { headers: { 'x-request-id': 'req_1' } });
  Object.defineProperty(res, 'cancelled', { get: () => cancelled });
  return res;
}

async function read(res: Response) {
  const chunks: WireChunk[] = [];
  const payloads: string[] = [];
  let reads = 0;
  await readChatStream(res, {
    onBytes: () => reads++,
    onPayload: (p) => payloads.push(p),
    onChunk: (c) => chunks.push(c),
  });
  return { chunks, payloads, reads };
}

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content } }] })}\n\n`;

describe('readChatStream', () => {
  it('says when the chunks of one network read are all handed over', async () => {
    const two = chunk('a') + chunk('b');
    const res = sseResponse(two + chunk('c') + 'data: [DONE]\n\n', [two.length]);
    const seen: string[] = [];
    await readChatStream(res, {
      onBytes: () => {},
      onPayload: () => {},
      onChunk: (c) => seen.push(String(c.choices?.[0]?.delta?.content)),
      onRead: () => seen.push('read'),
    });
    // [DONE] ends the answer at once: the caller takes what is left then.
    expect(seen).toEqual(['a', 'b', 'read', 'c']);
  });

  it('hands over every chunk and payload, stops at [DONE] and closes the connection', async () => {
    const res = sseResponse(
      chunk('Hel') + chunk('lo 👋') + 'data: [DONE]\n\n' + chunk('late'),
      [5, 40, 41, 80],
    );
    const { chunks, payloads, reads } = await read(res);
    expect(chunks.map((c) => c.choices?.[0]?.delta?.content)).toEqual(['Hel', 'lo 👋']);
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(payloads).toHaveLength(3);
    expect(reads).toBeGreaterThan(0);
    expect((res as unknown as { cancelled: boolean }).cancelled).toBe(true);
  });

  it('an error event or an error object is a StreamedError, after the chunks before it', async () => {
    for (const bad of [
      'event: error\ndata: {"error":{"message":"Overloaded","type":"server_error"}}\n\n',
      'data: {"error":{"message":"Overloaded","code":502}}\n\n',
    ]) {
      const chunks: WireChunk[] = [];
      const reading = readChatStream(sseResponse(chunk('partial') + bad), {
        onBytes: () => {},
        onPayload: () => {},
        onChunk: (c) => chunks.push(c),
      });
      await expect(reading).rejects.toBeInstanceOf(StreamedError);
      await expect(reading).rejects.toThrow('Overloaded');
      await expect(reading).rejects.toMatchObject({ error: { message: 'Overloaded' } });
      expect(chunks).toHaveLength(1);
    }
  });

  it('a payload that is not JSON is a SyntaxError, as the SDK throws', async () => {
    await expect(read(sseResponse(chunk('a') + 'data: {not json\n\n'))).rejects.toThrow(
      SyntaxError,
    );
  });
});

describe('replies that are not an answer (audit, issue 16)', () => {
  const CONFIG = { apiKey: 'sk-test-1234567890', baseURL: 'https://api.example.test/v1' };
  const run = (reply: Response, stream = true) =>
    runCompletion({
      config: CONFIG,
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream },
      idleTimeoutMs: 10_000,
      signal: new AbortController().signal,
      onUpdate: () => {},
      fetch: async () => reply,
      maxRateLimitRetries: 0,
    });
  const page = '<!doctype html><html><head><title>My blog</title></head><body><h1>Welcome</h1>';

  it('a 200 web page for a stream says the base URL is wrong, showing its start as text', async () => {
    const result = await run(new Response(page, { headers: { 'content-type': 'text/html' } }));
    expect(result.outcome).toBe('error');
    expect(result.error).toMatchObject({ kind: 'config', fixInSettings: true, retryable: false });
    expect(result.error?.message).toMatch(/not answer like an OpenAI-compatible API.*text\/html/);
    expect(result.error?.message).toMatch(/base URL/);
    expect(result.error?.apiMessage).toContain('Welcome');
    expect(result.error?.apiMessage).not.toContain('<');
  });

  it('the same for a non-streamed request, and for a stream with no event at all', async () => {
    const html = await run(new Response(page, { headers: { 'content-type': 'text/html' } }), false);
    expect(html.error?.kind).toBe('config');
    const plain = await run(
      new Response('Hello from nginx', { headers: { 'content-type': 'text/plain' } }),
    );
    expect(plain.error?.kind).toBe('config');
    expect(plain.error?.apiMessage).toBe('Hello from nginx');
  });

  it(`an answer past ${MAX_ANSWER_BYTES / 1024 / 1024} MB is stopped, the text so far kept`, async () => {
    const piece = chunk('x'.repeat(8000));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        sent++;
        c.enqueue(new TextEncoder().encode(piece));
      },
    });
    const result = await run(
      new Response(endless, { headers: { 'content-type': 'text/event-stream' } }),
    );
    expect(result.outcome).toBe('error');
    expect(result.error?.kind).toBe('stream');
    expect(result.error?.message).toMatch(/passed 5 MB.*text received so far is kept/);
    const text = result.answer.choices[0]?.content ?? '';
    expect(text.length).toBeGreaterThan(4_000_000);
    expect(sent).toBeLessThan(1000);
  });
});

describe('events an answer does not know', () => {
  it('named events other than error are ignored, whatever their data', async () => {
    const res = sseResponse(
      chunk('Hel') +
        'event: execute\ndata: alert(document.cookie)\n\n' +
        'event: thread.run.created\ndata: {"id":"run_1"}\n\n' +
        chunk('lo') +
        'data: [DONE]\n\n',
    );
    const { chunks } = await read(res);
    expect(chunks.map((c) => c.choices?.[0]?.delta?.content)).toEqual(['Hel', 'lo']);
  });
});
