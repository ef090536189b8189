import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai/error';
import { isLocalHost } from '../model/settings';
import { AnswerTooLarge, NotAnApiResponse, StreamedError } from './stream-errors';
import { RedirectRefused } from './client';
import type { AppError } from '../model/types';

// The one place where failures become words. Every branch says what happened,
// where, and what the user can do about it; the API's own message rides along
// verbatim as `apiMessage` and is only ever rendered as text.

interface ErrorBody {
  message?: unknown;
  type?: unknown;
  code?: unknown;
  param?: unknown;
}

const MAX_BODY_PREVIEW = 200;

/** First characters of a non-JSON body as readable text (tags stripped; still shown as text). */
export function previewBody(text: string): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > MAX_BODY_PREVIEW ? plain.slice(0, MAX_BODY_PREVIEW) + '…' : plain;
}

/** Parses `retry-after-ms` / `retry-after` (seconds or HTTP date) when the server exposes them. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  // An empty header is no answer (Number('') would read it as "retry now").
  const rawMs = headers.get('retry-after-ms')?.trim();
  const ms = Number(rawMs);
  if (rawMs && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The SDK prefixes `message` with the status; for non-JSON bodies the rest is the body text. */
function rawBodyText(err: APIError): string {
  const prefix = err.status ? `${err.status} ` : '';
  const text = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  // The SDK's own words for an empty body are not the server's message.
  return err.error === undefined && text === 'status code (no body)' ? '' : text;
}

function fromApiError(err: APIError, origin: string): AppError {
  const body = (err.error ?? undefined) as ErrorBody | undefined;
  const status = err.status;
  const apiMessage = str(body?.message);
  const code = (body?.code as string | number | null | undefined) ?? null;
  const base = {
    status,
    apiMessage,
    code,
    param: str(body?.param) ?? null,
    type: str(body?.type) ?? null,
    requestId: err.requestID ?? undefined,
  };
  if (status === undefined) {
    // An `error` object inside a 200 stream (OpenRouter, i09).
    return {
      ...base,
      kind: 'stream',
      message: `${origin} reported an error in the middle of the answer. The text received so far is kept.`,
      apiMessage: apiMessage ?? JSON.stringify(err.error ?? err.message),
      retryable: true,
    };
  }
  if (status === 401 || status === 403) {
    return {
      ...base,
      kind: 'auth',
      message:
        status === 401
          ? `The key was rejected by ${origin} (401). Check it in Settings.`
          : `${origin} refused this request (403): the key has no access to it. Check the key, organization and project in Settings.`,
      fixInSettings: true,
      retryable: false,
    };
  }
  if (status === 429) {
    if (code === 'insufficient_quota' || body?.type === 'insufficient_quota') {
      return {
        ...base,
        kind: 'quota',
        message: `${origin} says this account is out of credit (429 insufficient_quota). Check the plan and billing with the provider; retrying will not help.`,
        retryable: false,
      };
    }
    // "Request too large … tokens per min": this request alone exceeds the limit,
    // so waiting cannot help (e02).
    if (/^request too large/i.test(apiMessage ?? '')) {
      return {
        ...base,
        kind: 'too_large',
        message: `This request is larger than the tokens-per-minute limit ${origin} allows for this model (429). Shorten the conversation or lower max tokens; retrying will not help.`,
        retryable: false,
      };
    }
    return {
      ...base,
      kind: 'rate_limit',
      message: `Rate limited by ${origin} (429).`,
      retryable: true,
      retryAfterMs: retryAfterMs(err.headers),
    };
  }
  if (status === 404) {
    return {
      ...base,
      kind: 'not_found',
      message: `${origin} answered 404: the model does not exist for this key, or the base URL is wrong. Pick another model or check the base URL in Settings.`,
      fixInSettings: true,
      retryable: false,
    };
  }
  if (status >= 400 && status < 500) {
    const where = base.param ? ` (parameter \`${base.param}\`)` : '';
    return {
      ...base,
      kind: 'bad_request',
      message: `${origin} rejected the request (${status})${where}. Fix it and send again.`,
      apiMessage: apiMessage ?? (previewBody(rawBodyText(err)) || undefined),
      retryable: false,
    };
  }
  return {
    ...base,
    kind: 'server',
    message: `${origin} had a server error (${status}). Try again in a moment.`,
    apiMessage: apiMessage ?? (previewBody(rawBodyText(err)) || 'The response had no body.'),
    retryable: true,
  };
}

/** The browser knows it has no network; where it cannot tell, it counts as online. */
function browserOffline(): boolean {
  return globalThis.navigator?.onLine === false;
}

function networkError(host: string, cause: unknown): AppError {
  if (browserOffline()) {
    // Not CORS or a wrong URL, whatever the failure looks like: say the real reason.
    return {
      kind: 'network',
      message: `You are offline: ${host} cannot be reached without a network. Nothing was sent, and what you typed is kept; send again once you are back online.`,
      apiMessage: cause instanceof Error && cause.message ? cause.message : undefined,
      retryable: true,
    };
  }
  const hostname = host.replace(/:\d+$/, '');
  const hint = isLocalHost(hostname)
    ? 'Is the server running? For Ollama, allow this page with OLLAMA_ORIGINS (for example OLLAMA_ORIGINS="*" ollama serve); for LM Studio, turn on CORS in its server settings.'
    : undefined;
  return {
    kind: 'network',
    message: `Cannot reach ${host}: offline, blocked by CORS, or wrong URL.`,
    apiMessage: cause instanceof Error && cause.message ? cause.message : undefined,
    hint,
    fixInSettings: true,
    retryable: true,
  };
}

function redirectError(origin: string, err: RedirectRefused): AppError {
  let to = '';
  try {
    if (err.location) to = ` to ${new URL(err.location, `http://${origin}`).host}`;
  } catch {
    // An unreadable Location names nowhere.
  }
  const status = err.status ? ` (HTTP ${err.status}${to})` : to;
  return {
    kind: 'config',
    message: `${origin} answered with a redirect${status}. Parley does not follow redirects, so your key goes nowhere else. Check the base URL in Settings: use the API's exact address, which usually ends in /v1.`,
    fixInSettings: true,
    retryable: false,
  };
}

function droppedError(origin: string, err: Error): AppError {
  const cause = err instanceof APIConnectionError && err.cause instanceof Error ? err.cause : err;
  return {
    kind: 'network',
    message: `The connection to ${origin} closed before the answer finished. The text received so far is kept; Retry asks again.`,
    apiMessage: cause.message || undefined,
    retryable: true,
  };
}

/**
 * Maps anything thrown while talking to the API into an {@link AppError}.
 * `reading`: the answer had begun to arrive, so a network error is the
 * connection dropping part way, not a server that cannot be reached.
 */
export function toAppError(
  err: unknown,
  origin: string,
  { reading = false }: { reading?: boolean } = {},
): AppError {
  const refused = err instanceof APIConnectionError ? err.cause : err;
  if (refused instanceof RedirectRefused) return redirectError(origin, refused);
  const network =
    err instanceof TypeError ||
    (err instanceof APIConnectionError && !(err instanceof APIConnectionTimeoutError));
  if (reading && network) return droppedError(origin, err);
  if (err instanceof NotAnApiResponse) {
    const what = err.contentType.split(';')[0]?.trim() || 'a reply without a content type';
    return {
      kind: 'config',
      message: `${origin} did not answer like an OpenAI-compatible API (it sent ${what}, not a chat completion). Check the base URL in Settings: it usually ends in /v1.`,
      apiMessage: previewBody(err.start) || undefined,
      fixInSettings: true,
      retryable: false,
    };
  }
  if (err instanceof AnswerTooLarge) {
    const mb = Math.round(err.limitBytes / (1024 * 1024));
    return {
      kind: 'stream',
      message: `The answer from ${origin} passed ${mb} MB, so Parley stopped reading it. The text received so far is kept.`,
      retryable: false,
    };
  }
  if (err instanceof APIUserAbortError) {
    return { kind: 'aborted', message: 'Stopped.', retryable: true };
  }
  if (err instanceof APIConnectionTimeoutError) {
    return {
      kind: 'network',
      message: `${origin} did not answer in time.`,
      retryable: true,
    };
  }
  if (err instanceof APIConnectionError) return networkError(origin, err.cause ?? err);
  if (err instanceof APIError) return fromApiError(err, origin);
  if (err instanceof StreamedError) {
    // Read as the SDK reads an error event: an APIError without a status.
    return fromApiError(
      new APIError(undefined, err.error as object, undefined, err.headers),
      origin,
    );
  }
  if (err instanceof SyntaxError) {
    return {
      kind: 'stream',
      message: `${origin} sent a chunk that is not valid JSON. The text received so far is kept.`,
      apiMessage: err.message,
      retryable: true,
    };
  }
  if (err instanceof TypeError) return networkError(origin, err);
  return {
    kind: 'unknown',
    message: 'Something went wrong while talking to ' + origin + '.',
    apiMessage: err instanceof Error ? err.message : String(err),
    retryable: true,
  };
}

/** Makes sure the key can never leak into a message shown or stored. */
export function redactKey(error: AppError, key: string): AppError {
  if (!key || key.length < 4) return error;
  const scrub = (s: string | undefined) => (s ? s.split(key).join('[redacted]') : s);
  return { ...error, message: scrub(error.message)!, apiMessage: scrub(error.apiMessage) };
}
