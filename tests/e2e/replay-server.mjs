/**
 * An OpenAI-compatible replay server for the end-to-end tests: plain Node, no dependencies.
 *
 *   const server = await startReplayServer();   // server.url === 'http://127.0.0.1:PORT/v1'
 *   server.enqueue({ ownFixture: 'own_stream_hello' });
 *   ... drive the app ...
 *   server.requests[0].body.model;               // what the app sent
 *   await server.close();
 *
 * Routes: `POST /v1/chat/completions` answers with the next queued chat step, or a 500
 * "no response queued" error so a test that forgot to enqueue fails loudly. `GET /v1/models`
 * answers with the next queued models step, or DEFAULT_MODELS. `OPTIONS *` answers the CORS
 * preflight and consumes nothing. Anything else is OpenAI's 404 "Invalid URL".
 *
 * A step answers one request. Exactly one of these says what the answer is:
 *
 *   { fixture: 'b02_stream_gpt4o_include_usage' }  a recording in ../shared/fixtures/openai
 *   { ownFixture: 'own_stream_hello' }             a fixture of ours in tests/fixtures
 *   { json: {...} }                                inline JSON
 *   { body: 'text' | Buffer }                      inline body, sent as is (text/plain unless
 *                                                  `headers` say otherwise)
 *   { sse: [event, ...] }                          inline stream: an object is sent as
 *                                                  `data: <JSON>\n\n`, a string verbatim (so
 *                                                  'data: [DONE]\n\n', ': comment\n\n' or a
 *                                                  half event are all possible)
 *   { drop: true }                                 destroy the connection without answering
 *                                                  (the browser sees a network error)
 *
 * Fixture answers use the status and `headers_replay` of `<name>.meta.json` and the bytes of
 * its `body_file` unchanged; the server frames the body itself (Content-Length for JSON and
 * HTML, chunked for `.sse`, which is written one event at a time).
 *
 * Options, on any step:
 *   endpoint: 'models'       queue the step for GET /v1/models instead of chat completions
 *   status: n                the HTTP status (default 200 inline, the recorded one for fixtures)
 *   headers: { name: value } add headers or replace recorded ones of the same name
 *                            (a value may be an array to repeat the header)
 *   exposeHeaders: [...]     Access-Control-Expose-Headers; default ['X-Request-ID'], which
 *                            is what api.openai.com exposes (WIRE-FACTS fact 10). Exposing
 *                            more, e.g. retry-after, models a self-hosted proxy.
 *   cors: false              send no CORS headers on the answer, like a server that does not
 *                            support browsers (the preflight is still answered)
 *   model: 'gpt-4'           answer only a request for this model (compare panes send at
 *                            once, in no fixed order); a request takes the first step for
 *                            its model, else the first step without `model`
 *
 * The body goes out as pieces: one per SSE event, the whole body otherwise. These shape it:
 *   delayMs: n       pause before each piece (default: the server's `delayMs`, 5), so the
 *                    client has to parse incrementally
 *   chunkBytes: n    cut the body into n-byte pieces instead, splitting events and UTF-8
 *                    sequences the way TCP may
 *   holdAfter: k     after k pieces, wait until the test calls `server.release()`
 *   stallAfter: k    after k pieces, go silent with the connection open (for idle watchdogs)
 *   cut: true        after the last piece, close the connection without ending the chunked
 *                    body (a connection lost mid-stream: the client gets the data, then an error)
 *
 * Recorded `Access-Control-*` headers are dropped: the recordings were made without an Origin
 * header, so the server decides the CORS answer deliberately instead.
 */
import { once, EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWN_FIXTURES_DIR = join(REPO_ROOT, 'tests/fixtures');

/** Where the recorded traffic is expected: beside the checkout, never inside it. */
const SHARED_FIXTURES_PATH = resolve(REPO_ROOT, '../shared/fixtures/openai');

/** The absolute path of the recorded traffic, or null when it is not there. */
export function sharedFixturesDir() {
  return existsSync(SHARED_FIXTURES_PATH) ? SHARED_FIXTURES_PATH : null;
}

/** The skip message for tests that need the recordings. */
export const SHARED_ABSENT = `shared fixtures absent: ${SHARED_FIXTURES_PATH} not found (the recorded traffic sits beside the checkout; tests that replay it are skipped)`;

export const DEFAULT_MODELS = {
  object: 'list',
  data: [
    { id: 'gpt-4', object: 'model', created: 1687882411, owned_by: 'openai' },
    { id: 'gpt-3.5-turbo', object: 'model', created: 1677610602, owned_by: 'openai' },
    { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
  ],
};

const DEFAULT_EXPOSE = ['X-Request-ID'];
const BODY_KINDS = ['fixture', 'ownFixture', 'json', 'body', 'sse', 'drop'];
const OPTIONS = [
  'status',
  'endpoint',
  'headers',
  'exposeHeaders',
  'cors',
  'delayMs',
  'chunkBytes',
  'holdAfter',
  'stallAfter',
  'cut',
  'model',
];

/**
 * @param {{ sharedDir?: string | null, ownDir?: string, delayMs?: number }} [options]
 *   sharedDir defaults to sharedFixturesDir(); pass null to act as if it were absent.
 */
export async function startReplayServer({
  sharedDir = sharedFixturesDir(),
  ownDir = OWN_FIXTURES_DIR,
  delayMs = 5,
} = {}) {
  const queues = { chat: [], models: [] };
  const requests = [];
  /** Responses still being written, so reset() and close() can end them. */
  const open = new Set();
  /** Responses waiting at a holdAfter point, oldest first. */
  const held = [];
  const signals = new EventEmitter();
  let nextRequestId = 1;

  const server = createServer((req, res) => {
    req.on('error', () => {});
    res.on('error', () => {});
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res);
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const record = recordRequest(req, Buffer.concat(chunks));
      requests.push(record);
      signals.emit('change');
      void answer(req, res, record, route(req.method, record.path, record.body));
    });
  });
  // A malformed request or a reset during the request line is the client's business.
  server.on('clientError', (_err, socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();

  /** @returns the plan answering this request */
  function route(method, path, body) {
    if (method === 'POST' && path === '/v1/chat/completions') {
      // The first step meant for this request's model, else the first for any model.
      const mine = queues.chat.findIndex((p) => p.model !== undefined && p.model === body?.model);
      const i = mine >= 0 ? mine : queues.chat.findIndex((p) => p.model === undefined);
      return (
        (i < 0 ? undefined : queues.chat.splice(i, 1)[0]) ??
        inlinePlan({
          status: 500,
          json: { error: { message: 'replay server: no response queued' } },
        })
      );
    }
    if (method === 'GET' && path === '/v1/models') {
      return queues.models.shift() ?? inlinePlan({ json: DEFAULT_MODELS });
    }
    return inlinePlan({
      status: 404,
      json: {
        error: {
          message: `Invalid URL (${method} ${path})`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    });
  }

  function inlinePlan(step) {
    const headers = [];
    let pieces;
    if (step.json !== undefined) {
      headers.push(['Content-Type', 'application/json; charset=utf-8']);
      pieces = [Buffer.from(JSON.stringify(step.json))];
    } else if (step.body !== undefined) {
      headers.push(['Content-Type', 'text/plain; charset=utf-8']);
      pieces = [Buffer.from(step.body)];
    } else if (step.sse !== undefined) {
      headers.push(['Content-Type', 'text/event-stream; charset=utf-8']);
      pieces = step.sse.map((event) =>
        Buffer.from(typeof event === 'string' ? event : `data: ${JSON.stringify(event)}\n\n`),
      );
    }
    // OpenAI sends one on every answer and the app shows it; give inline answers one too.
    headers.push(['x-request-id', `req_replay_${nextRequestId++}`]);
    return makePlan(step, { status: 200, headers, pieces, stream: !!step.sse });
  }

  function fixturePlan(step, dir, name) {
    const metaPath = join(dir, `${name}.meta.json`);
    if (!existsSync(metaPath)) throw new Error(`replay server: no fixture ${metaPath}`);
    const { response } = JSON.parse(readFileSync(metaPath, 'utf8'));
    const body = readFileSync(join(dir, response.body_file));
    const stream = response.body_file.endsWith('.sse');
    return makePlan(step, {
      status: response.status,
      headers: response.headers_replay,
      pieces: stream ? splitEvents(body) : [body],
      stream,
    });
  }

  /** Applies the step's options to a base answer. */
  function makePlan(step, base) {
    const overrides = Object.entries(step.headers ?? {});
    const replaced = new Set(overrides.map(([name]) => name.toLowerCase()));
    const headers = [
      ...base.headers.filter(
        ([name]) => !/^access-control-/i.test(name) && !replaced.has(name.toLowerCase()),
      ),
      ...overrides.flatMap(([name, value]) => [value].flat().map((v) => [name, String(v)])),
    ];
    const body = Buffer.concat(base.pieces);
    if (!base.stream) headers.push(['Content-Length', String(body.length)]);
    return {
      status: step.status ?? base.status,
      headers,
      pieces: step.chunkBytes ? sliceBytes(body, step.chunkBytes) : base.pieces,
      cors: step.cors ?? true,
      exposeHeaders: step.exposeHeaders ?? DEFAULT_EXPOSE,
      delayMs: step.delayMs ?? delayMs,
      holdAfter: step.holdAfter,
      stallAfter: step.stallAfter,
      cut: !!step.cut,
    };
  }

  async function answer(req, res, record, plan) {
    if (plan.drop) {
      res.destroy();
      return;
    }
    open.add(res);
    res.on('close', () => {
      open.delete(res);
      removeHold(res);
      if (!res.writableFinished && !endedByServer.has(res)) record.aborted = true;
      signals.emit('change');
    });
    for (const [name, value] of plan.headers) res.appendHeader(name, value);
    if (plan.cors) {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
      if (plan.exposeHeaders.length > 0) {
        res.setHeader('Access-Control-Expose-Headers', plan.exposeHeaders.join(', '));
      }
    }
    res.writeHead(plan.status);
    res.flushHeaders();
    for (let i = 0; ; i++) {
      if (i === plan.stallAfter) return; // open until the client aborts or the server closes
      if (i === plan.holdAfter) await hold(res);
      if (res.destroyed) return;
      if (i === plan.pieces.length) break;
      if (plan.delayMs > 0) await sleep(plan.delayMs);
      if (res.destroyed) return;
      res.write(plan.pieces[i]);
    }
    if (plan.cut) {
      // Half-close the socket: what was written still arrives, the chunked body never ends.
      endedByServer.add(res);
      res.socket?.end();
    } else {
      res.end();
    }
  }

  function hold(res) {
    return new Promise((release) => {
      held.push({ res, release });
      signals.emit('change');
    });
  }

  function removeHold(res) {
    const index = held.findIndex((entry) => entry.res === res);
    if (index >= 0) held.splice(index, 1);
  }

  /** Resolves once `ready()` is true, re-checking whenever a request or response changes. */
  function until(ready, what, timeoutMs) {
    if (ready()) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        signals.off('change', check);
        reject(new Error(`replay server: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      function check() {
        if (!ready()) return;
        clearTimeout(timer);
        signals.off('change', check);
        resolvePromise();
      }
      signals.on('change', check);
    });
  }

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,

    /** Queues answers, in order. Throws at once on a malformed step or a missing fixture. */
    enqueue(...steps) {
      for (const step of steps) {
        const queue = queues[step.endpoint ?? 'chat'];
        if (!queue) throw new Error(`replay server: unknown endpoint "${step.endpoint}"`);
        queue.push(planFor(step));
      }
    },

    /** How many queued steps have not been used yet, for "every step was used" checks. */
    pending() {
      return queues.chat.length + queues.models.length;
    },

    /** Lets the oldest response waiting at its holdAfter point continue. */
    release() {
      const entry = held.shift();
      if (!entry) throw new Error('replay server: release() with no response held');
      entry.release();
    },

    /** Resolves when a response is waiting at its holdAfter point. */
    waitForHold({ timeoutMs = 15_000 } = {}) {
      return until(() => held.length > 0, 'a held response', timeoutMs);
    },

    /**
     * Resolves with the recorded requests once at least `count` have come;
     * with `path`, only those whose path ends with it count (and are returned).
     */
    async waitForRequests(count, { path = '', timeoutMs = 15_000 } = {}) {
      const matching = () => requests.filter((r) => r.path.endsWith(path));
      await until(() => matching().length >= count, `${count} request(s) to …${path}`, timeoutMs);
      return matching();
    },

    /** Resolves when the client has abandoned the response to `record` (e.g. Stop). */
    waitForAbort(record, { timeoutMs = 15_000 } = {}) {
      return until(() => record.aborted, `the client to abort ${record.path}`, timeoutMs);
    },

    /** Empties the queues and the request log and ends responses still open. */
    reset() {
      queues.chat.length = 0;
      queues.models.length = 0;
      requests.length = 0;
      held.length = 0;
      for (const res of open) endByServer(res);
    },

    async close() {
      for (const res of open) endByServer(res);
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  /** Validates a step and resolves it to a plan, reading any fixture now. */
  function planFor(step) {
    const kinds = BODY_KINDS.filter((key) => step[key] !== undefined);
    if (kinds.length !== 1) {
      throw new Error(
        `replay server: a step needs exactly one of ${BODY_KINDS.join(', ')}; got ${JSON.stringify(step)}`,
      );
    }
    const unknown = Object.keys(step).filter(
      (k) => !BODY_KINDS.includes(k) && !OPTIONS.includes(k),
    );
    if (unknown.length > 0) throw new Error(`replay server: unknown step option(s) ${unknown}`);
    const plan = bodyPlan(step);
    return step.model === undefined ? plan : { ...plan, model: step.model };
  }

  function bodyPlan(step) {
    if (step.fixture !== undefined) {
      if (!sharedDir) throw new Error(`replay server: step ${step.fixture}: ${SHARED_ABSENT}`);
      return fixturePlan(step, sharedDir, step.fixture);
    }
    if (step.ownFixture !== undefined) return fixturePlan(step, ownDir, step.ownFixture);
    if (step.drop !== undefined) return { drop: true };
    return inlinePlan(step);
  }
}

/** Answers a CORS preflight the way a permissive API does (the bench's server uses it too). */
export function answerPreflight(req, res) {
  res.writeHead(204, {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
    // Chromium asks before a public page may reach a loopback address (Private Network Access).
    ...(req.headers['access-control-request-private-network'] === 'true' && {
      'Access-Control-Allow-Private-Network': 'true',
    }),
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

function recordRequest(req, raw) {
  const url = new URL(req.url, 'http://replay');
  const rawBody = raw.toString('utf8');
  let body = null;
  try {
    body = rawBody ? JSON.parse(rawBody) : null;
  } catch {
    // Not JSON: the test can still read rawBody.
  }
  return {
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers, // Node lowercases header names
    body,
    rawBody,
    at: Date.now(),
    aborted: false,
  };
}

/** Responses the server ended itself (`cut`, reset, close): those are not client aborts. */
const endedByServer = new WeakSet();

function endByServer(res) {
  endedByServer.add(res);
  res.destroy();
}

/**
 * Splits an SSE body after each blank line, keeping every byte, so that the pieces
 * concatenate back to the recording exactly.
 */
function splitEvents(buf) {
  const LF = 0x0a;
  const CR = 0x0d;
  const events = [];
  let start = 0;
  for (let i = 1; i < buf.length; i++) {
    if (buf[i] === LF && (buf[i - 1] === LF || (buf[i - 1] === CR && buf[i - 2] === LF))) {
      events.push(buf.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < buf.length) events.push(buf.subarray(start));
  return events;
}

function sliceBytes(buf, size) {
  const pieces = [];
  for (let i = 0; i < buf.length; i += size) pieces.push(buf.subarray(i, i + size));
  return pieces;
}
