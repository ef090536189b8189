// The demo endpoint: a `fetch` that answers in the page, so a visitor with
// no key (and no network) sees Parley work. It takes the SDK's requests as
// a server would and answers in the same wire format: streamed chunks with
// usage, tool calls, log probabilities, n choices, and errors on request
// (`/error 429` as the last message). Nothing leaves the page.

import { DEMO_MODELS } from '../../model/demo';
import type { FetchLike } from '../client';
import { hashOf, readDemoRequest } from './request';
import { completionOf, delay, eventStream, planAnswer, writingMs } from './wire';

export interface DemoOptions {
  /** Multiplies every delay: 0 answers at once (tests); 1 is the models' own pace. */
  timeScale?: number;
  now?: () => number;
}

/** OpenAI's words for each status the demo is asked to fail with. */
const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: {
    type: 'invalid_request_error',
    code: null,
    message: 'The demo was asked to refuse this request (400).',
  },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided (the demo was asked to say so).',
  },
  403: {
    type: 'invalid_request_error',
    code: 'unsupported_country_region_territory',
    message: 'The demo was asked to refuse access (403).',
  },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist (the demo was asked to say so).',
  },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for demo requests per minute (RPM): the demo was asked to say so.',
  },
};

function serverError(status: number) {
  return (
    ERRORS[status] ?? {
      type: status >= 500 ? 'server_error' : 'invalid_request_error',
      code: null,
      message: `The demo was asked to fail with status ${status}.`,
    }
  );
}

function json(status: number, body: object, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** `/error 429` (any status 400–599) as the last user message: that status, as the API sends it. */
function askedError(text: string): number | null {
  const m = /^\s*\/error\s+(\d{3})\s*$/.exec(text);
  const status = m ? Number(m[1]) : NaN;
  return status >= 400 && status <= 599 ? status : null;
}

function requestParts(input: RequestInfo | URL, init?: RequestInit) {
  const request = typeof input === 'object' && 'method' in input ? input : null;
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input : input.url);
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  return { url, method, signal: init?.signal ?? request?.signal ?? null };
}

async function bodyText(input: RequestInfo | URL, init?: RequestInit): Promise<string> {
  if (typeof init?.body === 'string') return init.body;
  if (init?.body) return new Response(init.body).text();
  return typeof input === 'object' && 'text' in input ? input.text() : '';
}

async function chat(body: string, signal: AbortSignal | null, opts: DemoOptions) {
  const scale = opts.timeScale ?? 1;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return json(400, {
      error: {
        message: 'We could not parse the JSON body of your request.',
        type: 'invalid_request_error',
        code: null,
      },
    });
  }
  const req = readDemoRequest(parsed);
  if (typeof req === 'string') {
    return json(400, { error: { message: req, type: 'invalid_request_error', code: null } });
  }
  const requestId = `req_demo_${hashOf(body).toString(16)}`;
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
  const status = askedError(lastUser?.text ?? '');
  // A server takes a moment to answer, even to say no.
  await delay(80 * scale, signal);
  if (status !== null) {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    if (status === 429) headers['retry-after'] = '2';
    return json(status, { error: { ...serverError(status), param: null } }, headers);
  }
  const plan = planAnswer(req, opts.now?.());
  if (!req.stream) {
    await delay(writingMs(plan) * scale, signal);
    return json(200, completionOf(plan, req), { 'x-request-id': requestId });
  }
  return new Response(eventStream(plan, req, signal, scale), {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': requestId },
  });
}

function models(): Response {
  return json(200, {
    object: 'list',
    data: DEMO_MODELS.map((id) => ({
      id,
      object: 'model',
      created: 1_735_689_600,
      owned_by: 'parley-demo',
    })),
  });
}

/** A fetch that is the demo server; `opts` are for tests. */
export function createDemoFetch(opts: DemoOptions = {}): FetchLike {
  return async (input, init) => {
    const { url, method, signal } = requestParts(input, init);
    if (signal?.aborted) throw signal.reason;
    const path = url.pathname.replace(/\/+$/, '');
    if (method === 'POST' && path.endsWith('/chat/completions')) {
      return chat(await bodyText(input, init), signal, opts);
    }
    if (method === 'GET' && path.endsWith('/models')) return models();
    return json(404, {
      error: {
        message: `Invalid URL (${method} ${url.pathname}): the demo answers /chat/completions and /models.`,
        type: 'invalid_request_error',
        code: null,
      },
    });
  };
}

/** The demo server at its own pace. */
export const demoFetch: FetchLike = createDemoFetch();
