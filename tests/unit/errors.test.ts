// Failures become words. The recorded error responses are replayed through
// runCompletion with an injected fetch, so the SDK builds its real error
// classes and toAppError sees exactly what it will see in the browser.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { primaryChoice } from '../../src/lib/api/accumulator';
import { RedirectRefused } from '../../src/lib/api/client';
import { previewBody, retryAfterMs, toAppError } from '../../src/lib/api/errors';
import { runCompletion, type RunRequest } from '../../src/lib/api/run';
import {
  fetchReturning,
  jsonReply,
  listOwnFixtures,
  listSharedFixtures,
  OWN_FIXTURES_DIR,
  readFixture,
  readFixtureJson,
  readFixtureText,
  referenceAnswer,
  sseOf,
  sseReply,
  textChunk,
  warnIfSharedAbsent,
  type Reply,
} from '../builders/streams';

const readOwnText = (name: string) => readFileSync(join(OWN_FIXTURES_DIR, name), 'utf8');

const BODY = { model: 'gpt-4', messages: [{ role: 'user', content: 'Hi' }] };

function run(reply: Reply, baseURL = 'https://api.openai.com/v1', extra: Partial<RunRequest> = {}) {
  return runCompletion({
    config: { apiKey: 'sk-test', baseURL },
    body: BODY,
    idleTimeoutMs: 10_000,
    signal: new AbortController().signal,
    onUpdate: () => {},
    fetch: fetchReturning(reply),
    maxRateLimitRetries: 0,
    ...extra,
  });
}

interface Meta {
  request: { url: string };
  response: { status: number; headers_replay: [string, string][]; body_file: string };
}
interface ErrorBody {
  error: {
    message: string;
    type?: string | null;
    param?: string | null;
    code?: string | number | null;
  };
}

/** What the user should be told, by HTTP status (and quota code), per the product spec. */
function expectedKind(status: number, body: ErrorBody): string {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 429 && body.error.code === 'insufficient_quota') return 'quota';
  // A single request over the tokens-per-minute limit can never succeed by waiting.
  if (status === 429 && /^Request too large/.test(body.error.message)) return 'too_large';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'bad_request';
}

const present = warnIfSharedAbsent('errors.test.ts recorded error replays');
const SHARED_CASES = [
  'e01_401_invalid_api_key',
  'e02_429_rate_limit_tokens_request_too_large',
  'e03_400_context_length_exceeded',
  'e04_400_unsupported_parameter',
  'e05_404_model_not_found',
  'e06_400_invalid_request_code_null',
  'i08_openrouter_401_numeric_code',
].filter((id) => listSharedFixtures('.meta.json').includes(`${id}.meta.json`));

/** Parley's own JSON error fixtures (tests/fixtures), when the other helper has written them. */
const OWN_CASES = listOwnFixtures('.meta.json')
  .map((f) => f.replace(/\.meta\.json$/, ''))
  .filter((id) => {
    const meta = JSON.parse(readOwnText(`${id}.meta.json`)) as Meta;
    return meta.response.status >= 400 && meta.response.body_file.endsWith('.json');
  });

interface Case {
  meta: Meta;
  bodyText: string;
  baseURL: string;
}

function sharedCase(id: string): Case {
  const meta = readFixtureJson<Meta>(`${id}.meta.json`);
  // The base URL the user would have configured for that provider.
  const baseURL = meta.request.url.replace(/\/chat\/completions.*$/, '');
  return { meta, bodyText: readFixtureText(meta.response.body_file), baseURL };
}

function ownCase(id: string): Case {
  const meta = JSON.parse(readOwnText(`${id}.meta.json`)) as Meta;
  return {
    meta,
    bodyText: readOwnText(meta.response.body_file),
    baseURL: 'https://api.openai.com/v1',
  };
}

async function checkReplay({ meta, bodyText, baseURL }: Case) {
  const body = JSON.parse(bodyText) as ErrorBody;
  const { status, headers_replay } = meta.response;
  const host = new URL(baseURL).host;

  const result = await run(jsonReply(status, bodyText, headers_replay), baseURL);

  expect(result.outcome).toBe('error');
  const e = result.error!;
  expect(e.kind).toBe(expectedKind(status, body));
  expect(e.status).toBe(status);
  expect(e.apiMessage).toBe(body.error.message);
  expect(e.code ?? null).toBe(body.error.code ?? null);
  expect(e.param ?? null).toBe(body.error.param ?? null);
  expect(e.message).toContain(host);
  expect(e.message).toContain(String(status));
  const requestId = headers_replay.find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
  expect(e.requestId).toBe(requestId);
  expect(result.requestId).toBe(requestId);
  expect(e.retryable).toBe(e.kind === 'rate_limit');
  if (status === 401 || status === 404) expect(e.fixInSettings).toBe(true);
}

describe('own error fixtures, replayed through the SDK', () => {
  if (OWN_CASES.length === 0) it.skip('no own error fixtures in tests/fixtures yet', () => {});
  it.each(OWN_CASES)('%s', async (id) => {
    await checkReplay(ownCase(id));
  });
});

describe.skipIf(!present)('recorded error responses, replayed through the SDK', () => {
  it('finds all the recordings', () => {
    expect(SHARED_CASES).toHaveLength(7);
  });

  it.each(SHARED_CASES)('%s', async (id) => {
    await checkReplay(sharedCase(id));
  });

  it('e06: code null and a JSON-path param come through as they are', async () => {
    const id = 'e06_400_invalid_request_code_null';
    const meta = readFixtureJson<Meta>(`${id}.meta.json`);
    const result = await run(
      jsonReply(400, readFixtureText(meta.response.body_file), meta.response.headers_replay),
    );
    expect(result.error?.code).toBeNull();
    expect(result.error?.param).toBe('messages.[0].name');
    expect(result.error?.message).toContain('messages.[0].name');
    expect(result.error?.requestId).toBe('918f7bf767b8126da2bb8cf5aace7bdc');
  });

  it('i08: OpenRouter numeric code stays a number', async () => {
    const id = 'i08_openrouter_401_numeric_code';
    const meta = readFixtureJson<Meta>(`${id}.meta.json`);
    const result = await run(
      jsonReply(401, readFixtureText(meta.response.body_file), meta.response.headers_replay),
      'https://openrouter.ai/api/v1',
    );
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.code).toBe(401);
    expect(result.error?.message).toContain('openrouter.ai');
  });

  it('i09: an error chunk inside a 200 stream is a stream error with the partial answer kept', async () => {
    const name = 'i09_openrouter_stream_midstream_error.sse';
    const ref = referenceAnswer(readFixtureText(name));
    const result = await run(sseReply(readFixture(name)), 'https://openrouter.ai/api/v1', {
      body: { ...BODY, stream: true, stream_options: { include_usage: true } },
    });
    expect(result.outcome).toBe('error');
    const e = result.error!;
    expect(e.kind).toBe('stream');
    expect(e.status).toBeUndefined();
    expect(e.apiMessage).toBe(ref.error?.message);
    expect(e.code).toBe(ref.error?.code);
    expect(e.message).toContain('openrouter.ai');
    expect(primaryChoice(result.answer).reasoning).toBe(ref.reasoning);
    expect(ref.reasoning).not.toBe('');
  });
});

describe('error bodies that are not JSON', () => {
  const filler = 'The web server reported a bad gateway error. '.repeat(12);
  const HTML = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title>
<style>body { color: red; font-family: sans-serif }</style>
<script>var secret = "<b>not text</b>"; if (a < b) {}</script></head>
<body><h1>Bad&nbsp;gateway</h1><p>${filler}</p><hr><center>cloudflare</center></body></html>`;

  it('a 500 with an HTML page gives a short readable excerpt without tags', async () => {
    const result = await run(
      () => new Response(HTML, { status: 500, headers: { 'content-type': 'text/html' } }),
    );
    const e = result.error!;
    expect(e.kind).toBe('server');
    expect(e.status).toBe(500);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('api.openai.com');
    expect(e.apiMessage).toBeDefined();
    expect(e.apiMessage!.length).toBeLessThanOrEqual(201);
    expect(e.apiMessage).not.toMatch(/[<>]/);
    expect(e.apiMessage).toContain('Bad gateway');
    expect(e.apiMessage).not.toContain('color: red');
    expect(e.apiMessage).not.toContain('secret');
  });

  it.skipIf(!listOwnFixtures('.html').includes('own_500_html.html'))(
    'own_500_html: a Cloudflare page becomes a short excerpt, its script never text',
    async () => {
      const meta = JSON.parse(readOwnText('own_500_html.meta.json')) as Meta;
      const html = readOwnText(meta.response.body_file);
      const result = await run(jsonReply(meta.response.status, html, meta.response.headers_replay));
      const e = result.error!;
      expect(e.kind).toBe('server');
      expect(e.apiMessage!.length).toBeLessThanOrEqual(201);
      expect(e.apiMessage).not.toMatch(/[<>]/);
      expect(e.apiMessage).toContain('Internal server error');
      expect(e.apiMessage).not.toContain('__xss');
    },
  );

  it('a 400 with a plain-text body shows that text', async () => {
    const result = await run(
      () =>
        new Response('model field is required', {
          status: 400,
          headers: { 'content-type': 'text/plain' },
        }),
    );
    expect(result.error?.kind).toBe('bad_request');
    expect(result.error?.apiMessage).toBe('model field is required');
  });

  it('a 500 with an empty body says there was no body, not an SDK placeholder', async () => {
    const result = await run(() => new Response(null, { status: 500 }));
    expect(result.error?.kind).toBe('server');
    expect(result.error?.apiMessage).toBeTruthy();
    expect(result.error?.apiMessage).not.toMatch(/status code/i);
  });

  it('previewBody keeps short plain text as it is', () => {
    expect(previewBody('  upstream   timed out \n')).toBe('upstream timed out');
  });
});

describe('network failures', () => {
  it('fetch rejecting (offline, CORS) names the host and offers settings', async () => {
    const result = await run(new TypeError('Failed to fetch'));
    const e = result.error!;
    expect(result.outcome).toBe('error');
    expect(e.kind).toBe('network');
    expect(e.message).toContain('api.openai.com');
    expect(e.retryable).toBe(true);
    expect(e.fixInSettings).toBe(true);
    expect(e.hint ?? '').not.toContain('OLLAMA_ORIGINS');
  });

  it.each(['http://localhost:11434/v1', 'http://127.0.0.1:11434/v1', 'http://[::1]:11434/v1'])(
    'for a local server (%s) the hint explains OLLAMA_ORIGINS',
    async (baseURL) => {
      const result = await run(new TypeError('Failed to fetch'), baseURL);
      const e = result.error!;
      expect(e.kind).toBe('network');
      expect(e.message).toContain(new URL(baseURL).host);
      expect(e.hint).toContain('OLLAMA_ORIGINS');
    },
  );

  it('a connection dropped part way through a stream says so, not "cannot reach"; the text stays', async () => {
    const first = new TextEncoder().encode(sseOf([textChunk('The first half ')], { done: false }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(first);
      },
      pull(controller) {
        // What Chrome's reader throws when the connection closes mid-body.
        controller.error(new TypeError('network error'));
      },
    });
    const reply = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const result = await run(reply, 'http://localhost:11434/v1', {
      body: { ...BODY, stream: true },
    });
    expect(result.outcome).toBe('error');
    expect(primaryChoice(result.answer).content).toBe('The first half ');
    const e = result.error!;
    expect(e.kind).toBe('network');
    expect(e.message).toBe(
      'The connection to localhost:11434 closed before the answer finished. The text received so far is kept; Retry asks again.',
    );
    expect(e.apiMessage).toBe('network error');
    expect(e.retryable).toBe(true);
    // Nothing in Settings would fix it, and the server plainly was reachable.
    expect(e.fixInSettings).toBeUndefined();
    expect(e.hint).toBeUndefined();
  });

  it('a redirect is not followed: the key goes nowhere else, and the base URL is the fix', async () => {
    const fetch = fetchReturning(
      new Response(null, {
        status: 307,
        headers: { location: 'https://elsewhere.example/v1/chat/completions' },
      }),
    );
    const result = await run(new Response(), 'https://proxy.example.com/v1', { fetch });
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]?.url).toBe('https://proxy.example.com/v1/chat/completions');
    const e = result.error!;
    expect(result.outcome).toBe('error');
    expect(e.kind).toBe('config');
    expect(e.message).toBe(
      "proxy.example.com answered with a redirect (HTTP 307 to elsewhere.example). Parley does not follow redirects, so your key goes nowhere else. Check the base URL in Settings: use the API's exact address, which usually ends in /v1.",
    );
    expect(e.fixInSettings).toBe(true);
    expect(e.retryable).toBe(false);
    // A browser hides the redirect (an opaque answer): the same words, without the details.
    const opaque = toAppError(new RedirectRefused(0, ''), 'proxy.example.com');
    expect(opaque.message).toMatch(/^proxy\.example\.com answered with a redirect\. Parley/);
  });

  describe('while the browser says it is offline', () => {
    beforeEach(() => {
      vi.stubGlobal('navigator', { onLine: false });
    });
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('a failed fetch says so plainly, not CORS or a wrong URL; what was typed is kept', async () => {
      const result = await run(new TypeError('Failed to fetch'), 'http://localhost:11434/v1');
      const e = result.error!;
      expect(e.kind).toBe('network');
      expect(e.message).toBe(
        'You are offline: localhost:11434 cannot be reached without a network. Nothing was sent, and what you typed is kept; send again once you are back online.',
      );
      expect(e.apiMessage).toBe('Failed to fetch');
      expect(e.retryable).toBe(true);
      // Settings are not the fix, nor is the local server's CORS.
      expect(e.fixInSettings).toBeUndefined();
      expect(e.hint).toBeUndefined();
    });

    it('an HTTP answer is still that answer', async () => {
      const reply = new Response(JSON.stringify({ error: { message: 'bad key' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
      const result = await run(reply);
      expect(result.error?.kind).toBe('auth');
    });
  });

  it('a bare TypeError handed to toAppError is also a network error', () => {
    const e = toAppError(new TypeError('Failed to fetch'), 'localhost:1234');
    expect(e.kind).toBe('network');
    expect(e.message).toContain('localhost:1234');
    expect(e.hint).toBeTruthy();
  });
});

describe('retryAfterMs', () => {
  const h = (init: Record<string, string>) => new Headers(init);
  const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads seconds', () => {
    expect(retryAfterMs(h({ 'retry-after': '1' }))).toBe(1000);
    expect(retryAfterMs(h({ 'retry-after': '2.5' }))).toBe(2500);
    expect(retryAfterMs(h({ 'retry-after': '0' }))).toBe(0);
  });

  it('prefers retry-after-ms when both are sent', () => {
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '10' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after-ms': '', 'retry-after': '2' }))).toBe(2000);
  });

  it('reads an HTTP date relative to now', () => {
    const at = new Date(NOW + 7000).toUTCString();
    expect(retryAfterMs(h({ 'retry-after': at }), NOW)).toBe(7000);
  });

  it('a date in the past means no wait', () => {
    const at = new Date(NOW - 60_000).toUTCString();
    expect(retryAfterMs(h({ 'retry-after': at }), NOW)).toBe(0);
  });

  it('gives undefined when there is nothing usable', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(h({}))).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after': '' }))).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after-ms': '' }))).toBeUndefined();
  });

  it('reaches the error the runner reports for a 429', async () => {
    const result = await run(
      jsonReply(
        429,
        { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } },
        [['retry-after-ms', '1500']],
      ),
    );
    expect(result.error?.kind).toBe('rate_limit');
    expect(result.error?.retryAfterMs).toBe(1500);
  });
});
