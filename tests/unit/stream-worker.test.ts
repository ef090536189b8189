// The stream worker (stream.worker.ts) and the page's side of it (worker-stream.ts),
// together: a fake Worker runs the real worker module in this thread, and every message
// crosses by structured clone, as it does between threads. The worker's fetch is the
// test's. What is checked is what the user gets: the same answer, the same request
// inspector record and the same errors as when the page reads the stream itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunRequest, RunResult } from '../../src/lib/api/run';
import { MAX_STORED_CHUNKS } from '../../src/lib/model/limits';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import {
  cutAt,
  fetchReturning,
  jsonReply,
  listOwnFixtures,
  readOwnFixture,
  REPO_ROOT,
  sseOf,
  sseReply,
  textChunk,
  utf8,
  type Reply,
} from '../builders/streams';

const CONFIG = { apiKey: 'sk-test-0123456789', baseURL: 'http://127.0.0.1:8000/v1' };
const PAGE = 'http://127.0.0.1:5173/parley/';

type Listener = ((e: { data: unknown }) => void) | null;

/** Messages in both directions, and whether the worker starts at all. */
const wire = { toWorker: [] as unknown[], toPage: [] as unknown[], failToStart: false };

/** A Worker whose script runs here: the real stream worker module, with `self` its scope. */
class FakeWorker {
  onmessage: Listener = null;
  onerror: (() => void) | null = null;
  #scope = {
    onmessage: null as Listener,
    location: { href: PAGE },
    postMessage: (data: unknown, transfer: Transferable[] = []) => {
      const copy = structuredClone(data, { transfer });
      wire.toPage.push(copy);
      setTimeout(() => this.onmessage?.({ data: copy }), 0);
    },
  };
  #loaded: Promise<unknown>;

  constructor(_url: unknown, options: WorkerOptions) {
    expect(options.type).toBe('module');
    if (wire.failToStart) {
      this.#loaded = Promise.reject(new Error('no script'));
      this.#loaded.catch(() => setTimeout(() => this.onerror?.(), 0));
      return;
    }
    vi.stubGlobal('self', this.#scope);
    this.#loaded = import('../../src/lib/api/stream.worker');
  }

  postMessage(data: unknown) {
    const copy = structuredClone(data);
    wire.toWorker.push(copy);
    this.#loaded.then(
      () => setTimeout(() => this.#scope.onmessage?.({ data: copy }), 0),
      () => {}, // a worker that did not start hears nothing
    );
  }

  terminate() {}
}

beforeEach(() => {
  vi.resetModules(); // a new page: its worker is started afresh
  wire.toWorker = [];
  wire.toPage = [];
  wire.failToStart = false;
  vi.stubGlobal('window', globalThis);
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const body = (): RunRequest['body'] =>
  ({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
  }) as ChatCompletionCreateParams as RunRequest['body'];

/** A run whose network is the worker's (`fetch` the global one), or the page's own. */
async function run(
  replies: Reply[],
  { inPage = false, ...over }: Partial<RunRequest> & { inPage?: boolean } = {},
): Promise<{ result: RunResult; fetch: ReturnType<typeof fetchReturning> }> {
  const { runCompletion } = await import('../../src/lib/api/run');
  const fetch = fetchReturning(...replies);
  if (!inPage) vi.stubGlobal('fetch', fetch);
  const result = await runCompletion({
    config: CONFIG,
    body: body(),
    idleTimeoutMs: 10_000,
    signal: new AbortController().signal,
    onUpdate: () => {},
    maxRateLimitRetries: 0,
    ...(inPage ? { fetch } : {}),
    ...over,
  });
  return { result, fetch };
}

const HELLO = sseOf([
  textChunk('Hel', { role: 'assistant' }),
  textChunk('lo'),
  textChunk('', { finish: 'stop' }),
]);

describe('a streamed answer read in the worker', () => {
  it('is the answer, inspector record included, that the page reads from the same bytes', async () => {
    const streams = listOwnFixtures('.sse');
    expect(streams.length).toBeGreaterThan(0);
    for (const name of streams) {
      const bytes = readOwnFixture(name);
      const splits = [7, 100, 101, bytes.length >> 1];
      const inWorker = await run([sseReply(bytes, splits)]);
      const inPage = await run([sseReply(bytes, splits)], { inPage: true });
      expect(wire.toWorker.some((m) => (m as { type: string }).type === 'fetch')).toBe(true);
      const { timing: _a, ...worker } = inWorker.result;
      const { timing: _b, ...page } = inPage.result;
      expect(worker, name).toEqual(page);
      // The worker sent what the SDK built: the same request, key and all.
      const [sent] = inWorker.fetch.calls;
      expect(sent?.url).toBe('http://127.0.0.1:8000/v1/chat/completions');
      expect(sent?.headers.get('authorization')).toBe(`Bearer ${CONFIG.apiKey}`);
      expect(sent?.body).toEqual(inPage.fetch.calls[0]?.body);
    }
  });

  it('a stream longer than the inspector keeps: the same record, the rest counted, not sent', async () => {
    const words = Array.from({ length: MAX_STORED_CHUNKS + 20 }, (_, i) => textChunk(`w${i} `));
    const long = utf8(sseOf([textChunk('', { role: 'assistant' }), ...words]));
    const splits = [1_000, 50_000, 200_000, long.length - 100];
    const inWorker = await run([sseReply(long, splits)]);
    const inPage = await run([sseReply(long, splits)], { inPage: true });
    expect(inWorker.result.response?.chunks).toHaveLength(MAX_STORED_CHUNKS);
    expect(inWorker.result.response?.chunksOmitted).toBe(22); // the last 21 words, and [DONE]
    expect(inWorker.result.response).toEqual(inPage.result.response);
    expect(inWorker.result.answer).toEqual(inPage.result.answer);
    const sent = wire.toPage.flatMap((m) => (m as { payloads?: string[] }).payloads ?? []);
    expect(sent).toHaveLength(MAX_STORED_CHUNKS);
  });

  it('shows the answer as it grows, with fewer messages than reads', async () => {
    const pieces = cutAt(
      HELLO,
      [...HELLO].map((_, i) => i),
    ); // a read per byte
    const seen: string[] = [];
    const { result } = await run(
      [
        sseReply(
          utf8(pieces.join('')),
          pieces.map((_, i) => i),
        ),
      ],
      {
        onUpdate: (a) => seen.push(a.choices[0]?.content ?? ''),
      },
    );
    expect(result.outcome).toBe('done');
    expect(seen.at(-1)).toBe('Hello');
    expect(seen.length).toBeGreaterThanOrEqual(1);
    const reads = wire.toPage.filter((m) => (m as { type: string }).type === 'read');
    expect(reads.length).toBeLessThan(pieces.length);
  });

  it('an error event mid-stream ends it as the page would say it, the text before it kept', async () => {
    const bad = utf8(
      sseOf([textChunk('partial', { role: 'assistant' })], { done: false }) +
        'event: error\ndata: {"error":{"message":"Overloaded","type":"server_error"}}\n\n',
    );
    const inWorker = await run([sseReply(bad)]);
    const inPage = await run([sseReply(bad)], { inPage: true });
    expect(inWorker.result.outcome).toBe('error');
    expect(inWorker.result.error).toEqual(inPage.result.error);
    expect(inWorker.result.error?.apiMessage).toBe('Overloaded');
    expect(inWorker.result.answer.choices[0]?.content).toBe('partial');
  });

  it('an HTTP error comes back whole, for the SDK to read: the same message as from the page', async () => {
    const reply = jsonReply(401, {
      error: {
        message: 'Incorrect API key provided: sk-test-0123456789.',
        code: 'invalid_api_key',
      },
    });
    const inWorker = await run([reply]);
    const inPage = await run([reply], { inPage: true });
    expect(inWorker.result.error?.kind).toBe('auth');
    expect(inWorker.result.error).toEqual(inPage.result.error);
    expect(JSON.stringify(inWorker.result)).not.toContain(CONFIG.apiKey);
  });

  it('Stop mid-stream aborts the worker’s request and keeps the text so far', async () => {
    const user = new AbortController();
    const first = utf8(sseOf([textChunk('Hel', { role: 'assistant' })], { done: false }));
    const { result, fetch } = await run([sseReply(first, [], { hang: true })], {
      signal: user.signal,
      onUpdate: (a) => {
        if (a.choices[0]?.content === 'Hel') user.abort();
      },
    });
    expect(result.outcome).toBe('stopped');
    expect(result.error).toBeUndefined();
    expect(result.answer.choices[0]?.content).toBe('Hel');
    await vi.waitFor(() => expect(fetch.calls[0]?.signal?.aborted).toBe(true));
  });

  it('a stall is noticed from the worker’s reads, and its request is aborted', async () => {
    const first = utf8(sseOf([textChunk('Hel', { role: 'assistant' })], { done: false }));
    const { result, fetch } = await run([sseReply(first, [], { hang: true })], {
      idleTimeoutMs: 60,
    });
    expect(result.outcome).toBe('stalled');
    expect(result.answer.choices[0]?.content).toBe('Hel');
    await vi.waitFor(() => expect(fetch.calls[0]?.signal?.aborted).toBe(true));
  });

  it('connects only where the page’s policy lets the page connect', async () => {
    const { result, fetch } = await run([sseReply(utf8(HELLO))], {
      config: { ...CONFIG, baseURL: 'http://192.168.1.20:8000/v1' },
    });
    expect(fetch.calls).toHaveLength(0);
    expect(result.error?.kind).toBe('network');
  });

  it('a worker that cannot start leaves the page to send and read the request itself', async () => {
    wire.failToStart = true;
    const { result, fetch } = await run([sseReply(utf8(HELLO))]);
    expect(result.outcome).toBe('done');
    expect(result.answer.choices[0]?.content).toBe('Hello');
    expect(fetch.calls).toHaveLength(1);
  });
});

describe('allowedEndpoint: the page’s connect-src, in the worker', () => {
  /** Whether a connect-src source list admits `url` (the parts of CSP the list uses). */
  function admits(sources: string[], url: URL, page: URL): boolean {
    return sources.some((s) => {
      if (s === "'self'") return url.origin === page.origin;
      if (/^[a-z]+:$/.test(s)) return url.protocol === s;
      const m = /^(https?):\/\/([^:/]+):\*$/.exec(s);
      return m !== null && url.protocol === `${m[1]}:` && url.hostname === m[2];
    });
  }

  it('lets the worker connect exactly where index.html lets the page', async () => {
    const html = readFileSync(join(REPO_ROOT, 'index.html'), 'utf8');
    const policy = /content="([^"]*connect-src[^"]*)"/.exec(html)?.[1] ?? '';
    const sources = /connect-src ([^;]*)/.exec(policy)?.[1]?.trim().split(/\s+/) ?? [];
    expect(sources.length).toBeGreaterThan(1);
    const { allowedEndpoint } = await import('../../src/lib/api/stream-protocol');
    for (const page of ['https://someone.github.io/parley/', PAGE]) {
      for (const url of [
        'https://api.openai.com/v1/chat/completions',
        'https://openrouter.ai/api/v1/chat/completions',
        'http://localhost:11434/v1/chat/completions',
        'http://127.0.0.1:1234/v1/chat/completions',
        'http://127.0.0.1:5173/parley/v1/chat/completions',
        'http://192.168.1.20:8000/v1/chat/completions',
        'http://api.example.com/v1/chat/completions',
        'ftp://127.0.0.1/x',
        'ws://localhost:8080/',
      ]) {
        expect(allowedEndpoint(url, page), `${url} from ${page}`).toBe(
          admits(sources, new URL(url), new URL(page)),
        );
      }
    }
  });
});
