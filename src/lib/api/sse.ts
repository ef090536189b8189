// A chat completion stream, read from the response body the SDK returned.
//
// The SDK sends the request (headers, base URL, its errors for a failed
// status); the body is read here. The SDK's own reader passes every event
// through several async generators and scans bytes in JavaScript: a 10,000
// token answer that arrived in 150 ms then took another 70 ms to read on a
// small machine (issue 15's stream budgets). This reader decodes each network
// read once, splits it with indexOf and parses each payload once, and the
// request inspector's capture takes the payloads from here instead of
// splitting the same bytes a second time.
//
// What it accepts is what the SDK's Stream (legacy mode) accepts, in the same
// way: the WHATWG event-stream rules for lines and fields, `[DONE]` ends the
// answer, an `error` event or a payload with an `error` object throws (a
// StreamedError, which errors.ts reads as the SDK's APIError: this module
// also runs in the stream worker, which has no SDK), a payload that is not
// JSON throws a SyntaxError, an event cut off by the end of the body still
// counts.
import { AnswerTooLarge, NotAnApiResponse, StreamedError } from './stream-errors';
import type { WireChunk } from './wire';

export interface SseEvent {
  event: string | null;
  data: string;
}

/** Line ends of an event stream: CRLF, LF or a lone CR. */
const LINE_END = /\r\n|\n|\r/g;

/** Splits event-stream text, fed in pieces as it arrives, into events. */
export class SseDecoder {
  #rest = '';
  #event: string | null = null;
  #data: string[] = [];

  /** The events completed by `text`, appended to `out`. */
  feed(text: string, out: SseEvent[]): void {
    const buf = this.#rest + text;
    let at = 0;
    if (!buf.includes('\r')) {
      for (let end = buf.indexOf('\n'); end >= 0; end = buf.indexOf('\n', at)) {
        // Nearly every line of a chat stream is "data: {…}": taken here, without
        // a call and a second slice per line (#line says the same of it).
        if (end > at + 5 && buf.startsWith('data: ', at)) this.#data.push(buf.slice(at + 6, end));
        else this.#line(buf.slice(at, end), out);
        at = end + 1;
      }
    } else {
      LINE_END.lastIndex = 0;
      for (let m = LINE_END.exec(buf); m; m = LINE_END.exec(buf)) {
        // A CR that ends the text may be the first half of a CRLF: wait for more.
        if (m[0] === '\r' && m.index === buf.length - 1) break;
        this.#line(buf.slice(at, m.index), out);
        at = m.index + m[0].length;
      }
    }
    this.#rest = buf.slice(at);
  }

  /** The end of the body: a last line without its line end, and an event without its blank line. */
  end(out: SseEvent[]): void {
    const last = this.#rest.replace(/\r$/, '');
    this.#rest = '';
    if (last !== '') this.#line(last, out);
    this.#line('', out);
  }

  #line(line: string, out: SseEvent[]) {
    if (line === '') {
      if (this.#event === null && this.#data.length === 0) return;
      const data = this.#data.length === 1 ? this.#data[0]! : this.#data.join('\n');
      out.push({ event: this.#event, data });
      this.#event = null;
      this.#data = [];
      return;
    }
    if (line.charCodeAt(0) === 0x3a) return; // ":" a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * One answer's bytes read at most. A server that never stops (or sends a
 * hundred megabytes) is stopped here, the text so far kept.
 */
export const MAX_ANSWER_BYTES = 5 * 1024 * 1024;

/** Characters of a body kept to show what came instead of the API's answer. */
const START_CHARS = 600;

export interface ChatStreamHandlers {
  /** Every network read, before it is decoded (the stall watchdog). */
  onBytes: () => void;
  /** Every event's data, verbatim, `[DONE]` included (the request inspector). */
  onPayload: (data: string) => void;
  /** Every chunk of the answer, parsed. */
  onChunk: (chunk: WireChunk) => void;
  /** After the chunks of one network read (the moment to show them). */
  onRead?: () => void;
}

/** One event: true when it ends the answer. */
function take(e: SseEvent, headers: Headers, on: ChatStreamHandlers): boolean {
  on.onPayload(e.data);
  if (e.data === '[DONE]') return true;
  // Chat completion chunks come unnamed (or as `message`); an `error` event is
  // read below. Any other named event (`event: execute`, Assistants' `thread.*`)
  // is not part of an answer: ignored, whatever its data.
  if (e.event !== null && e.event !== 'message' && e.event !== 'error') return false;
  let data: unknown;
  try {
    data = JSON.parse(e.data);
  } catch {
    throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
  }
  if (e.event === 'error') {
    const error = isObject(data) && data.error !== undefined ? data.error : data;
    throw new StreamedError(error, headers);
  }
  if (isObject(data) && data.error) throw new StreamedError(data.error, headers);
  on.onChunk(data as WireChunk);
  return false;
}

/**
 * Reads a streamed chat completion to `[DONE]` or the end of the body. An
 * abort of the request's signal rejects the pending read, as fetch does.
 */
export async function readChatStream(res: Response, on: ChatStreamHandlers): Promise<void> {
  if (!res.body) throw new TypeError('The stream has no body.');
  const type = res.headers.get('content-type') ?? '';
  const reader = res.body.getReader();
  const text = new TextDecoder();
  const sse = new SseDecoder();
  const events: SseEvent[] = [];
  let bytes = 0;
  let start = '';
  let sawEvent = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      let piece: string;
      if (done) {
        piece = text.decode();
      } else {
        on.onBytes();
        bytes += value.byteLength;
        if (bytes > MAX_ANSWER_BYTES) throw new AnswerTooLarge(MAX_ANSWER_BYTES);
        piece = text.decode(value, { stream: true });
      }
      if (!sawEvent && start.length < START_CHARS) {
        start += piece.slice(0, START_CHARS - start.length);
        // A web page (a base URL pointing at a site) is said at once.
        if (/^text\/html/i.test(type) || /^\s*</.test(start)) {
          throw new NotAnApiResponse(type, start);
        }
      }
      sse.feed(piece, events);
      if (done) sse.end(events);
      sawEvent ||= events.length > 0;
      for (const e of events) if (take(e, res.headers, on)) return;
      events.length = 0;
      on.onRead?.();
      if (done) {
        if (!sawEvent && start.trim() !== '') throw new NotAnApiResponse(type, start);
        return;
      }
    }
  } finally {
    // After [DONE] or an error the rest is not wanted: the connection closes.
    await reader.cancel().catch(() => {});
  }
}
