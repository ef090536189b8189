// What the page and the stream worker (stream.worker.ts) say to each other,
// and how a failure in the worker becomes the same error on the page.
import type { Growth } from './growth';
import { AnswerTooLarge, NotAnApiResponse, StreamedError } from './stream-errors';

/**
 * The least time between two posts of one answer. The page draws streaming
 * answers at most every 60 ms (update-cadence.ts): a post every 25 ms keeps
 * what it draws at most that much behind the network, with under half the
 * messages a post per read would make at 100 tokens/s. The first output and
 * the end are posted at once (time to first token, the end's paint).
 */
export const POST_GAP_MS = 25;

/**
 * Events waiting that are posted without waiting for the gap: at full speed a
 * read brings hundreds, and holding them back would leave the page's next
 * frame drawing text older than it need be (and more of it after the end).
 */
export const POST_EVENTS = 32;

/** A request as it crosses to the worker: what `fetch` needs, minus the signal. */
export interface WireRequest {
  method: string;
  headers: [string, string][];
  body: string | null;
  redirect: RequestRedirect;
}

export type ToWorker =
  | { type: 'fetch'; id: number; url: string; init: WireRequest }
  /** The page stopped waiting (Stop, the stall watchdog): the request is aborted. */
  | { type: 'abort'; id: number };

/** An error the worker met, told in a form that crosses threads. */
export type WireError =
  | { kind: 'streamed'; error: unknown }
  | { kind: 'too-large'; limitBytes: number }
  | { kind: 'not-api'; contentType: string; start: string }
  | { kind: 'syntax' | 'type' | 'other'; message: string };

export type FromWorker =
  /** The worker's script has run: requests can go to it. */
  | { type: 'ready'; id: 0 }
  /**
   * The response's head. A success is read by the worker (reads follow);
   * anything else comes with its whole body, for the SDK to read as usual.
   */
  | {
      type: 'response';
      id: number;
      status: number;
      statusText: string;
      headers: [string, string][];
      opaqueRedirect: boolean;
      stream: boolean;
      body: ArrayBuffer | null;
    }
  /**
   * One or more network reads: their payloads (those past MAX_STORED_CHUNKS only
   * counted: the inspector keeps no more), and what the answer gained.
   */
  | { type: 'read'; id: number; payloads: string[]; omitted?: number; growth?: Growth }
  | { type: 'end'; id: number }
  | { type: 'failed'; id: number; error: WireError };

/**
 * Where the page may connect (its CSP's connect-src in index.html, which does
 * not reach into a worker): the same places, checked here.
 */
export function allowedEndpoint(url: string, page: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'https:' || u.origin === new URL(page).origin) return true;
  return u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1');
}

/** In the worker: an error, told. */
export function errorToWire(err: unknown): WireError {
  if (err instanceof StreamedError) return { kind: 'streamed', error: err.error };
  if (err instanceof AnswerTooLarge) return { kind: 'too-large', limitBytes: err.limitBytes };
  if (err instanceof NotAnApiResponse) {
    return { kind: 'not-api', contentType: err.contentType, start: err.start };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof SyntaxError) return { kind: 'syntax', message };
  if (err instanceof TypeError) return { kind: 'type', message };
  return { kind: 'other', message };
}

/** On the page: the error the worker told of, as readChatStream or fetch would have thrown it. */
export function errorFromWire(e: WireError, headers: Headers): Error {
  switch (e.kind) {
    case 'streamed':
      return new StreamedError(e.error, headers);
    case 'too-large':
      return new AnswerTooLarge(e.limitBytes);
    case 'not-api':
      return new NotAnApiResponse(e.contentType, e.start);
    case 'syntax':
      return new SyntaxError(e.message);
    case 'type':
      return new TypeError(e.message);
    default:
      return new Error(e.message);
  }
}
