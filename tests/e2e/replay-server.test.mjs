// Self-test of the end-to-end infrastructure: the replay server, the static server, the
// browser launcher and the project's own fixtures. Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newProfile, SHARED_ABSENT, sharedFixturesDir } from './browser.mjs';
import { DEFAULT_MODELS, startReplayServer } from './replay-server.mjs';
import { startStaticServer } from './static-server.mjs';

const OWN_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
const ORIGIN = 'http://127.0.0.1:9';
const TIMEOUT = { timeout: 15_000 };

/** POSTs a chat request the way the SDK does from a browser page. */
function chat(server, init = {}) {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', authorization: 'Bearer sk-x' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [] }),
    ...init,
  });
}

/** Reads a body chunk by chunk, as the client's incremental parser would see it. */
async function readChunks(res) {
  const chunks = [];
  for await (const chunk of res.body) chunks.push(Buffer.from(chunk));
  return chunks;
}

/** The SSE `data:` payloads of a body (comments and blank lines skipped). */
function dataLines(text) {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length));
}

describe('replay server', () => {
  let server;
  before(async () => {
    server = await startReplayServer();
  });
  beforeEach(() => server.reset());
  after(() => server.close());

  test('replays a shared SSE recording byte for byte, in several chunks', TIMEOUT, async (t) => {
    const shared = sharedFixturesDir();
    if (!shared) return t.skip(SHARED_ABSENT);
    const name = 'b02_stream_gpt4o_include_usage';
    const meta = JSON.parse(readFileSync(join(shared, `${name}.meta.json`), 'utf8'));
    server.enqueue({ fixture: name });

    const res = await chat(server);
    const chunks = await readChunks(res);

    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.concat(chunks), readFileSync(join(shared, meta.response.body_file)));
    assert.ok(chunks.length > 10, `expected the events one by one, got ${chunks.length} chunks`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const recorded = new Map(meta.response.headers_replay.map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(res.headers.get('x-request-id'), recorded.get('x-request-id'));
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(res.headers.get('access-control-expose-headers'), 'X-Request-ID');
  });

  test('replays a shared JSON recording with its own framing', TIMEOUT, async (t) => {
    const shared = sharedFixturesDir();
    if (!shared) return t.skip(SHARED_ABSENT);
    // The recorded Content-Length (427) no longer matches the redacted body (407 bytes).
    const name = 'e02_429_rate_limit_tokens_request_too_large';
    server.enqueue({ fixture: name });

    const res = await chat(server);
    const body = Buffer.from(await res.arrayBuffer());

    assert.equal(res.status, 429);
    assert.deepEqual(body, readFileSync(join(shared, `${name}.json`)));
    assert.equal(res.headers.get('content-length'), String(body.length));
    assert.equal(res.headers.get('x-ratelimit-limit-tokens'), '400000');
  });

  test('every shared recording replays byte for byte with its status', TIMEOUT, async (t) => {
    const shared = sharedFixturesDir();
    if (!shared) return t.skip(SHARED_ABSENT);
    await replaysAll(shared, 'fixture');
  });

  test('every own fixture replays byte for byte with its status', TIMEOUT, async () => {
    assert.ok((await replaysAll(OWN_DIR, 'ownFixture')) >= 12);
  });

  /** Replays every `<name>.meta.json` in dir; returns how many there were. */
  async function replaysAll(dir, kind) {
    const names = readdirSync(dir)
      .filter((file) => file.endsWith('.meta.json'))
      .map((file) => file.slice(0, -'.meta.json'.length));
    for (const name of names) {
      const { response } = JSON.parse(readFileSync(join(dir, `${name}.meta.json`), 'utf8'));
      server.enqueue({ [kind]: name, delayMs: 0 });
      const res = await chat(server);
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(res.status, response.status, name);
      assert.deepEqual(body, readFileSync(join(dir, response.body_file)), name);
    }
    return names.length;
  }

  test('own SSE fixtures are well-formed chunk streams with the promised shape', () => {
    const streams = {};
    for (const file of readdirSync(OWN_DIR).filter((f) => f.endsWith('.sse'))) {
      const text = readFileSync(join(OWN_DIR, file), 'utf8');
      assert.ok(text.endsWith('\n\ndata: [DONE]\n\n'), `${file} ends with [DONE]`);
      assert.ok(!text.includes('\r'), `${file} uses LF only`);
      const chunks = dataLines(text)
        .slice(0, -1)
        .map((data) => JSON.parse(data));
      const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
      const finish = chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);
      const usage = chunks.find((c) => c.usage)?.usage;
      streams[file.slice(0, -'.sse'.length)] = { chunks, content, finish, usage };
    }

    const hello = streams.own_stream_hello;
    assert.deepEqual(hello.chunks[0].choices[0].delta, {
      role: 'assistant',
      content: '',
      refusal: null,
    });
    assert.match(hello.content, /👋[\s\S]*ça[\s\S]*こんにちは[\s\S]*你好/);
    assert.deepEqual(hello.finish, ['stop']);
    assert.deepEqual(hello.chunks.at(-2).choices[0].delta, {});
    assert.deepEqual(hello.chunks.at(-1).choices, []);
    assert.equal(
      hello.usage.total_tokens,
      hello.usage.prompt_tokens + hello.usage.completion_tokens,
    );

    assert.ok(streams.own_stream_long.chunks.length >= 60);
    assert.deepEqual(streams.own_stream_long.finish, ['stop']);

    const xss = streams.own_stream_xss.content;
    assert.ok(xss.includes('<img src=x onerror="window.__xss=1">'));
    assert.ok(xss.includes('<script>window.__xss=2</script>'));
    assert.ok(xss.includes('[click](javascript:window.__xss=3)'));
    assert.match(xss, /\]\(https:\/\//);
    assert.match(xss, /```js\n[\s\S]*\n```$/);

    assert.deepEqual(streams.own_stream_length.finish, ['length']);
    assert.deepEqual(streams.own_stream_no_finish.finish, []);
    assert.equal(streams.own_stream_no_finish.usage, undefined);
    assert.deepEqual(streams.own_stream_no_usage.finish, ['stop']);
    assert.equal(streams.own_stream_no_usage.usage, undefined);
  });

  test('answers the CORS preflight without consuming or recording anything', async () => {
    server.enqueue({ json: { ok: true } });
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-stainless-os',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(
      res.headers.get('access-control-allow-headers'),
      'authorization,content-type,x-stainless-os',
    );
    assert.match(res.headers.get('access-control-allow-methods'), /POST/);
    assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
    assert.equal(server.requests.length, 0);
    assert.equal(server.pending(), 1);
  });

  test('records requests with lowercased headers and parsed bodies', async () => {
    server.enqueue({ json: { ok: 1 } }, { json: { ok: 2 } });
    await (await chat(server, { headers: { 'X-Custom': 'A', origin: ORIGIN } })).text();
    await (await chat(server, { body: '{not json' })).text();

    const [first, second] = await server.waitForRequests(2);
    assert.equal(first.method, 'POST');
    assert.equal(first.path, '/v1/chat/completions');
    assert.equal(first.headers['x-custom'], 'A');
    assert.deepEqual(first.body, { model: 'gpt-4o-mini', stream: true, messages: [] });
    assert.equal(typeof first.at, 'number');
    assert.equal(first.aborted, false);
    assert.equal(second.body, null);
    assert.equal(second.rawBody, '{not json');
  });

  test('an empty queue answers 500 so a missing step fails loudly', async () => {
    const res = await chat(server);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), {
      error: { message: 'replay server: no response queued' },
    });
  });

  test('a step with a model answers only a request for that model', TIMEOUT, async () => {
    server.enqueue(
      { json: { answer: 'for gpt-4' }, model: 'gpt-4' },
      { json: { answer: 'for anyone' } },
      { json: { answer: 'for gpt-3.5-turbo' }, model: 'gpt-3.5-turbo' },
    );
    const ask = async (model) => {
      const res = await chat(server, {
        body: JSON.stringify({ model, stream: false, messages: [] }),
      });
      return (await res.json()).answer;
    };
    assert.equal(await ask('gpt-3.5-turbo'), 'for gpt-3.5-turbo');
    assert.equal(await ask('gpt-4o'), 'for anyone');
    assert.equal(await ask('gpt-4'), 'for gpt-4');
    assert.equal(server.pending(), 0);
  });

  test('GET /models: the default list, or a queued models step', async () => {
    const models = () => fetch(`${server.url}/models`, { headers: { origin: ORIGIN } });
    assert.deepEqual(await (await models()).json(), DEFAULT_MODELS);

    server.enqueue({ ownFixture: 'own_models', endpoint: 'models' });
    const own = await (await models()).json();
    assert.ok(own.data.some((m) => m.id === 'text-embedding-3-small'));
    assert.deepEqual(await (await models()).json(), DEFAULT_MODELS);
  });

  test('unknown routes get OpenAI-style 404s', async () => {
    const res = await fetch(`${server.url}/completions`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.message, 'Invalid URL (POST /v1/completions)');
  });

  test('inline SSE: objects become data events, strings go out verbatim', async () => {
    server.enqueue({
      sse: [': keep-alive\n\n', { choices: [{ delta: { content: 'hi' } }] }, 'data: [DONE]\n\n'],
    });
    const res = await chat(server);
    assert.equal(
      await res.text(),
      ': keep-alive\n\ndata: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n',
    );
    assert.match(res.headers.get('x-request-id'), /^req_replay_/);
  });

  test('headers and exposeHeaders override, cors: false drops CORS', async () => {
    server.enqueue(
      {
        ownFixture: 'own_429_rate_limit',
        headers: { 'retry-after': '2' },
        exposeHeaders: ['X-Request-ID', 'retry-after'],
      },
      { json: {}, cors: false },
    );
    const limited = await chat(server);
    await limited.arrayBuffer();
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal(limited.headers.get('access-control-expose-headers'), 'X-Request-ID, retry-after');

    const noCors = await chat(server);
    await noCors.arrayBuffer();
    assert.equal(noCors.headers.get('access-control-allow-origin'), null);
  });

  test('chunkBytes splits the body mid-event and mid-character', async () => {
    const event = 'data: {"content":"👋"}\n\n';
    server.enqueue({ sse: [event], chunkBytes: 3, delayMs: 2 });
    const chunks = await readChunks(await chat(server));
    assert.equal(Buffer.concat(chunks).toString(), event);
    assert.ok(chunks.length > 3, `got ${chunks.length} chunks`);
    // A piece holding part of the emoji does not decode on its own.
    assert.ok(chunks.some((chunk) => chunk.toString().includes('\uFFFD')));
  });

  test(
    'stallAfter keeps the connection open and silent until the client aborts',
    TIMEOUT,
    async () => {
      server.enqueue({ sse: [{ n: 1 }, { n: 2 }, { n: 3 }], stallAfter: 2, delayMs: 0 });
      const controller = new AbortController();
      const res = await chat(server, { signal: controller.signal });
      const reader = res.body.getReader();
      let text = '';
      while (dataLines(text).length < 2) text += Buffer.from((await reader.read()).value);
      assert.equal(text, 'data: {"n":1}\n\ndata: {"n":2}\n\n');

      const silence = new Promise((resolve) => setTimeout(resolve, 300, 'silent'));
      assert.equal(await Promise.race([reader.read(), silence]), 'silent');

      controller.abort();
      await server.waitForAbort(server.requests[0]);
    },
  );

  test('holdAfter waits for release()', TIMEOUT, async () => {
    server.enqueue({ sse: [{ n: 1 }, { n: 2 }, 'data: [DONE]\n\n'], holdAfter: 1, delayMs: 0 });
    const res = await chat(server);
    await server.waitForHold();
    assert.throws(() => {
      server.release();
      server.release();
    }, /no response held/);
    assert.equal(await res.text(), 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
  });

  test('a client abort during a hold is recorded, not a crash', TIMEOUT, async () => {
    server.enqueue({ ownFixture: 'own_stream_long', holdAfter: 5 });
    const controller = new AbortController();
    await chat(server, { signal: controller.signal });
    await server.waitForHold();
    controller.abort();
    await server.waitForAbort(server.requests[0]);
    assert.throws(() => server.release(), /no response held/);
  });

  test('drop fails the request; cut fails the body after the events', TIMEOUT, async () => {
    server.enqueue({ drop: true }, { sse: [{ n: 1 }], cut: true });
    await assert.rejects(chat(server), TypeError);
    const reader = (await chat(server)).body.getReader();
    assert.equal(Buffer.from((await reader.read()).value).toString(), 'data: {"n":1}\n\n');
    await assert.rejects(reader.read());
    assert.equal(server.requests[1].aborted, false);
  });

  test('enqueue rejects malformed steps and missing fixtures at once', async () => {
    assert.throws(() => server.enqueue({ json: {}, sse: [] }), /exactly one/);
    assert.throws(
      () => server.enqueue({ json: {}, stalAfter: 1 }),
      /unknown step option.*stalAfter/,
    );
    assert.throws(() => server.enqueue({ json: {}, endpoint: 'embeddings' }), /unknown endpoint/);
    assert.throws(() => server.enqueue({ ownFixture: 'nope' }), /no fixture/);

    const withoutShared = await startReplayServer({ sharedDir: null });
    try {
      assert.throws(() => withoutShared.enqueue({ fixture: 'b01' }), /shared fixtures absent/);
    } finally {
      await withoutShared.close();
    }
    assert.equal(server.pending(), 0);
  });
});

describe('static server and browser', () => {
  let site;
  let replay;
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-static-'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><title>Parley smoke</title><script type="module" src="./app.js"></script>',
    );
    await writeFile(join(dir, 'app.js'), 'document.title += " ready";');
    site = await startStaticServer(dir);
    replay = await startReplayServer();
  });
  after(async () => {
    await site.close();
    await replay.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('serves the build under the sub-path only', async () => {
    assert.match(site.url, /^http:\/\/127\.0\.0\.1:\d+\/parley\/$/);
    const index = await fetch(site.url);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    const script = await fetch(`${site.url}app.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const bare = await fetch(site.url.slice(0, -1), { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal((await fetch(site.url.replace('/parley/', '/app.js'))).status, 404);
    assert.equal((await fetch(`${site.url}missing.js`)).status, 404);
    assert.equal((await fetch(`${site.url}..%2f..%2fetc%2fpasswd`)).status, 404);
  });

  test('Chromium loads the page; CORS behaves as against api.openai.com', TIMEOUT, async () => {
    const profile = await newProfile();
    try {
      const { page } = profile;
      await page.goto(site.url);
      await page.waitForFunction(() => document.title.endsWith('ready'));
      assert.equal(await page.title(), 'Parley smoke ready');

      replay.enqueue({ ownFixture: 'own_429_rate_limit' });
      const seen = await page.evaluate(async (url) => {
        const res = await fetch(`${url}/chat/completions`, {
          method: 'POST',
          headers: { Authorization: 'Bearer sk-test', 'Content-Type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
        });
        return {
          status: res.status,
          requestId: res.headers.get('x-request-id'),
          retryAfter: res.headers.get('retry-after'),
          code: (await res.json()).error.code,
        };
      }, replay.url);
      assert.deepEqual(seen, {
        status: 429,
        requestId: 'req_0ddc110460475d35a87906bbb257ea40',
        retryAfter: null, // not exposed, exactly as from api.openai.com (fact 10)
        code: 'rate_limit_exceeded',
      });
      assert.equal(replay.requests[0].headers.authorization, 'Bearer sk-test');

      // IndexedDB survives a reload within a profile.
      await page.evaluate(() => {
        return new Promise((resolve, reject) => {
          const open = indexedDB.open('smoke', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('kv');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('kv', 'readwrite');
            tx.objectStore('kv').put('kept', 'k');
            tx.oncomplete = () => resolve();
          };
        });
      });
      await page.reload();
      const kept = await page.evaluate(() => {
        return new Promise((resolve) => {
          const open = indexedDB.open('smoke', 1);
          open.onsuccess = () => {
            const get = open.result.transaction('kv').objectStore('kv').get('k');
            get.onsuccess = () => resolve(get.result);
          };
        });
      });
      assert.equal(kept, 'kept');
      assert.deepEqual(profile.pageErrors, []);
    } finally {
      await profile.close();
    }
  });
});
