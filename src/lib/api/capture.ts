// What the request inspector shows: the request exactly as it went to the
// network (key redacted) and the response as it came back, captured inside the
// fetch the SDK calls, so it is the wire and not a reconstruction.

import { MAX_STORED_CHUNKS } from '../model/limits';
import type { RequestRecord, ResponseRecord } from '../model/types';

/** Characters kept of a non-streamed (or error) body. */
const MAX_BODY_CHARS = 2_000_000;

const SECRET_HEADERS = new Set(['authorization', 'api-key', 'x-api-key']);

/** `Bearer sk-…` becomes `Bearer [redacted]`; other secret headers lose their whole value. */
function redactHeader(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.toLowerCase())) return value;
  const scheme = /^(\w+)\s+\S/.exec(value);
  return scheme ? `${scheme[1]} [redacted]` : '[redacted]';
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

export function captureRequest(input: RequestInfo | URL, init?: RequestInit): RequestRecord {
  const headers: [string, string][] = [];
  new Headers(init?.headers).forEach((value, name) => {
    headers.push([name, redactHeader(name, value)]);
  });
  const body = typeof init?.body === 'string' ? init.body : '';
  return {
    method: (
      init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')
    ).toUpperCase(),
    url: urlOf(input),
    headers,
    body,
  };
}

/**
 * Collects a response as it is read. A successful stream is kept as its
 * `data:` payloads, verbatim, handed over by the stream reader (sse.ts);
 * anything else (an error, a non-streamed answer) as the text of its body.
 */
export class ResponseCapture {
  readonly record: ResponseRecord;
  #decoder = new TextDecoder();
  #text = '';

  constructor(res: Response, sse: boolean) {
    const headers: [string, string][] = [];
    res.headers.forEach((value, name) => headers.push([name, value]));
    this.record = { status: res.status, headers };
    if (sse) this.record.chunks = [];
  }

  /** Bytes of a body that is not an event stream. */
  feed(bytes: Uint8Array) {
    this.#take(this.#decoder.decode(bytes, { stream: true }));
  }

  end() {
    this.#take(this.#decoder.decode());
  }

  /** One event's data, of a stream. */
  event(payload: string) {
    const chunks = this.record.chunks;
    if (!chunks) return;
    // A long answer can have tens of thousands; the inspector keeps the first ones.
    if (chunks.length < MAX_STORED_CHUNKS) chunks.push(payload);
    else this.omitted(1);
  }

  /** Events past what is kept, counted only (the stream worker does not send them). */
  omitted(count: number) {
    if (this.record.chunks) this.record.chunksOmitted = (this.record.chunksOmitted ?? 0) + count;
  }

  #take(text: string) {
    if (!text || this.#text.length >= MAX_BODY_CHARS) return;
    this.#text = (this.#text + text).slice(0, MAX_BODY_CHARS);
    this.record.body = this.#text;
  }
}

/**
 * The key never reaches a stored record, even where a server echoes it
 * (OpenAI's 401 message quotes it; a proxy may put it in a page or a chunk).
 */
export function scrubKey<T extends RequestRecord | ResponseRecord>(record: T, key: string): T {
  if (!key || key.length < 4) return record;
  const scrub = (s: string) => (s.includes(key) ? s.split(key).join('[redacted]') : s);
  const out = { ...record, headers: record.headers.map(([n, v]) => [n, scrub(v)]) };
  if ('body' in out && typeof out.body === 'string') out.body = scrub(out.body);
  if ('chunks' in out && Array.isArray(out.chunks)) out.chunks = out.chunks.map(scrub);
  return out as T;
}
