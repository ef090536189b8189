/**
 * A local OpenAI-compatible streaming server for the bench: plain Node, no dependencies.
 *
 *   const server = await startStreamServer({ tokens: 2000, tokensPerSecond: 0 });
 *   server.url                       // 'http://127.0.0.1:PORT/v1', the app's Base URL
 *   server.expect('Zq1', 'Zq2')      // the next answers end with these markers, in order
 *   const [answer] = await server.waitForAnswers(1);
 *   answer.lastByteAt                // ms since the epoch (see `now`), when the body ended
 *
 * Knobs: `tokens` (content tokens per answer; a request's max_tokens or
 * max_completion_tokens lowers it) and `tokensPerSecond` (0 = as fast as the socket takes
 * them), set at start or with `configure()`; or per request through the Base URL:
 * `http://127.0.0.1:PORT/tokens/10000/rate/100/v1` (either part may be left out). Each token is one `chat.completion.chunk` event; then a finish chunk, a usage
 * chunk (stream_options.include_usage) and `[DONE]`. Non-streamed requests get the same
 * text in one JSON body.
 *
 * Each streamed answer carries `Server-Timing: bench;desc="<marker>"`, and every response
 * `Timing-Allow-Origin: *`, so the page's Resource Timing says when the browser got each
 * answer's last byte (`responseEnd`, on the page's own clock).
 *
 * Routes: POST /v1/chat/completions, GET /v1/models, GET /bench/clock (this process's
 * clock, for comparing it with a page's), OPTIONS (CORS preflight, Private Network Access).
 *
 * Run it alone to point a dev build at it by hand:
 *   node scripts/bench/stream-server.mjs --tokens 2000 --rate 100 --port 8787
 */
import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { answerPreflight } from '../../tests/e2e/replay-server.mjs';
import { answerTokens } from './answer-text.mjs';

/** Milliseconds since the epoch, sub-millisecond: the clock a page's `timeOrigin + now()` uses. */
const now = () => performance.timeOrigin + performance.now();

const MODELS = ['gpt-4', 'gpt-3.5-turbo', 'gpt-4o-mini', 'gpt-4o'];

/**
 * @param {{ tokens?: number, tokensPerSecond?: number, port?: number }} [options]
 */
export async function startStreamServer({ tokens = 2000, tokensPerSecond = 0, port = 0 } = {}) {
  const knobs = { tokens, tokensPerSecond };
  const markers = [];
  /** One record per chat request, in arrival order. */
  const answers = [];
  const signals = new EventEmitter();
  let seq = 0;

  const server = createServer((req, res) => {
    req.on('error', () => {});
    res.on('error', () => {});
    cors(req, res);
    if (req.method === 'OPTIONS') return answerPreflight(req, res);
    const url = new URL(req.url, 'http://bench');
    // "/tokens/N/rate/R/v1/…": knobs chosen by the Base URL, for one request.
    const [prefix = '', t, r] =
      /^(?:\/tokens\/(\d+))?(?:\/rate\/(\d+(?:\.\d+)?))?(?=\/v1\/)/.exec(url.pathname) ?? [];
    const pathname = url.pathname.slice(prefix.length);
    const own = {
      tokens: t ? Number(t) : knobs.tokens,
      tokensPerSecond: r ? Number(r) : knobs.tokensPerSecond,
    };
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && pathname === '/bench/clock')
        return json(res, 200, { now: now() });
      if (req.method === 'GET' && pathname === '/v1/models') {
        return json(res, 200, {
          object: 'list',
          data: MODELS.map((id) => ({
            id,
            object: 'model',
            created: 1700000000,
            owned_by: 'bench',
          })),
        });
      }
      if (req.method === 'POST' && pathname === '/v1/chat/completions') {
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return json(res, 400, { error: { message: 'bench server: the body is not JSON' } });
        }
        return void answer(req, res, body, own);
      }
      json(res, 404, { error: { message: `Invalid URL (${req.method} ${pathname})` } });
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');

  async function answer(req, res, body, { tokens: most, tokensPerSecond }) {
    const n = ++seq;
    const limit = body.max_completion_tokens ?? body.max_tokens;
    const count = Number.isSafeInteger(limit) && limit > 0 ? Math.min(limit, most) : most;
    const marker = markers.shift() ?? `Zq${n}end`;
    const record = {
      n,
      model: typeof body.model === 'string' ? body.model : '',
      marker,
      tokens: count,
      tokensPerSecond,
      receivedAt: now(),
      firstByteAt: undefined,
      lastByteAt: undefined,
      aborted: false,
    };
    answers.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
      signals.emit('change');
    });
    const text = answerTokens({ count, marker, seed: n });
    const id = `chatcmpl-bench-${n}`;
    const base = { id, object: 'chat.completion.chunk', created: 1700000000, model: record.model };
    const usage = { prompt_tokens: 100, completion_tokens: count, total_tokens: 100 + count };

    if (body.stream !== true) {
      record.firstByteAt = now();
      const message = { role: 'assistant', content: text.join(''), refusal: null };
      const done = { ...base, object: 'chat.completion', usage };
      done.choices = [{ index: 0, message, finish_reason: 'stop', logprobs: null }];
      res.writeHead(200, { 'Content-Type': 'application/json', 'x-request-id': `req_bench_${n}` });
      res.end(JSON.stringify(done), () => finish(record));
      return;
    }

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'x-request-id': `req_bench_${n}`,
      // The page's Resource Timing entry for this request names its marker, so a page
      // with several answers in flight can tell which entry's responseEnd is whose.
      'Server-Timing': `bench;desc="${marker}"`,
    });
    const event = (choices, extra) => `data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`;
    const delta = (content, role) => [
      { index: 0, delta: role ? { role, content } : { content }, finish_reason: null },
    ];
    const pieces = [
      event(delta('', 'assistant')),
      ...text.map((t) => event(delta(t))),
      event([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      ...(body.stream_options?.include_usage ? [event([], { usage })] : []),
      'data: [DONE]\n\n',
    ];
    // Token i is due at start + i / rate: a late timer never slows the whole stream down.
    const interval = tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0;
    const start = performance.now();
    for (let i = 0; i < pieces.length; i++) {
      if (res.destroyed) return;
      if (interval > 0 && i > 0 && i <= text.length) {
        const due = start + i * interval - performance.now();
        if (due > 0) await sleep(due);
      }
      const flushed = res.write(pieces[i]);
      if (i === 0) {
        record.firstByteAt = now();
        signals.emit('change');
      }
      // Full speed still respects the socket: wait when its buffer is full.
      if (!flushed && !res.destroyed) await once(res, 'drain');
    }
    res.end(() => finish(record));
  }

  function finish(record) {
    // end()'s callback: the last byte has been handed to the operating system.
    record.lastByteAt = now();
    signals.emit('change');
  }

  function cors(req, res) {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Expose-Headers', 'x-request-id');
    // Cross-origin Resource Timing: responseEnd and serverTiming in full.
    res.setHeader('Timing-Allow-Origin', '*');
  }

  /** Resolves when `ready()` holds, re-checked on every change; rejects after timeoutMs. */
  function until(ready, what, timeoutMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (!value) return;
        clearTimeout(timer);
        signals.off('change', check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        signals.off('change', check);
        reject(new Error(`bench server: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      signals.on('change', check);
      check();
    });
  }

  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    clockUrl: `http://127.0.0.1:${server.address().port}/bench/clock`,
    answers,

    /** Changes the knobs for the next requests. */
    configure({ tokens: t = knobs.tokens, tokensPerSecond: r = knobs.tokensPerSecond } = {}) {
      knobs.tokens = t;
      knobs.tokensPerSecond = r;
    },

    /** The next answers end with these markers, one per request, in arrival order. */
    expect(...next) {
      markers.push(...next);
    },

    /** Resolves when a request has begun its body (its first byte is sent). */
    waitForFirstByte(index, timeoutMs = 60_000) {
      return until(() => answers[index]?.firstByteAt && answers[index], 'a first byte', timeoutMs);
    },

    /** Resolves with the answers from `from` on once `count` of them have ended. */
    waitForAnswers(count, { from = 0, timeoutMs = 120_000 } = {}) {
      const done = () => {
        const mine = answers.slice(from, from + count);
        return mine.length === count && mine.every((a) => a.lastByteAt || a.aborted) && mine;
      };
      return until(done, `${count} answer(s) to end`, timeoutMs);
    },

    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function json(res, status, value) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const server = await startStreamServer({
    tokens: arg('tokens', 2000),
    tokensPerSecond: arg('rate', 0),
    port: arg('port', 8787),
  });
  console.log(`Streaming server on ${server.url} (Base URL for Parley; any API key works)`);
}
