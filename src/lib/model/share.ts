// Share links: a conversation carried in the URL fragment (`#share=1.<data>`).
// The fragment is never sent to any server, GitHub Pages included: the page
// reads it from `location.hash`. Pure TypeScript; the only platform pieces are
// the web-standard CompressionStream/DecompressionStream, TextEncoder/TextDecoder
// and atob/btoa.
//
// Format version 1: the stripped conversation as JSON, UTF-8, deflate-raw,
// base64url without padding.

import { formatCount } from './format';
import { scrubSecrets } from './secrets';
import { migrateConversation } from './read-conversation';
import { newId } from './conversation';
import { fail, ok, type Result } from './result';
import type { AnswerChoice, AppError, ComparePane, Conversation, Message } from './types';

import { SHARE_PREFIX } from './share-prefix';

export { SHARE_PREFIX };

/** The share format this Parley writes and the newest it reads. */
const SHARE_VERSION = 1;

/**
 * The longest link Parley makes, page URL included. Conservative on purpose:
 * browsers take far longer URLs (Chromium 2 MB, Firefox 1 MB, Safari more), but
 * chat apps, mail clients, URL shorteners and link previews start cutting or
 * refusing links in the tens of thousands of characters; 32,000 is below the
 * limits we know of (and far below any browser's), so a link that is accepted
 * here survives being pasted around and opened on GitHub Pages.
 */
export const MAX_SHARE_URL_CHARS = 32_000;

/** Input longer than this is refused before any decoding work. */
export const MAX_SHARE_INPUT_CHARS = 4 * MAX_SHARE_URL_CHARS;

/**
 * The most a link may inflate to. Deflate compresses up to ~1000:1, so a
 * 128,000-character fragment could otherwise expand to ~100 MB (a zip bomb).
 */
const MAX_SHARE_JSON_BYTES = 10 * 1024 * 1024;

/** The page URL length assumed when the caller does not say. */
const DEFAULT_BASE_URL_LENGTH = 100;

/** A link's fragment, or why there is none; `chars` is the whole link's length either way (0 when not measured). */
export type EncodedShare = Result<
  { fragment: string; chars: number },
  { message: string; chars: number }
>;

export type DecodedShare = Result<Conversation>;

const megabytes = (bytes: number) =>
  `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

// ---------------------------------------------------------------------------
// What a share carries

function stripError(e: AppError): AppError {
  const { requestId: _requestId, ...rest } = e;
  return rest;
}

function stripChoice(c: AnswerChoice): AnswerChoice {
  const { logprobs: _l, refusalLogprobs: _r, ...rest } = c;
  return rest;
}

/**
 * A message without what must never leave the device or is only noise in a
 * link: the request and response records (URLs, headers, raw bodies), the
 * provider's request ids, and log probabilities (large).
 */
function stripMessage(m: Message): Message {
  const {
    request: _request,
    response: _response,
    requestId: _requestId,
    logprobs: _logprobs,
    refusalLogprobs: _refusalLogprobs,
    ...rest
  } = m;
  const out: Message = { ...rest };
  if (out.error) out.error = stripError(out.error);
  if (out.choices) out.choices = out.choices.map(stripChoice);
  return out;
}

function stripPane(p: ComparePane): ComparePane {
  return { ...p, messages: p.messages.map(stripMessage) };
}

/**
 * The conversation as it goes into a link: messages, tool calls, usage,
 * timings, model, parameters, tools, system message, title and compare panes;
 * no draft, no request/response records, request ids or log probabilities.
 */
export function stripForShare(conv: Conversation): Conversation {
  const { draftImages: _images, draftFiles: _files, ...kept } = conv;
  const out: Conversation = { ...kept, draft: '', messages: conv.messages.map(stripMessage) };
  if (conv.compare) out.compare = { ...conv.compare, panes: conv.compare.panes.map(stripPane) };
  return out;
}

// ---------------------------------------------------------------------------
// Bytes

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url (padding tolerated); undefined when the text is not base64url. */
function fromBase64Url(text: string): Uint8Array | undefined {
  const data = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(data) || data.length % 4 === 1) return undefined;
  const b64 = data.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (data.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Feeds `input` through a transform and collects its output, stopping past `cap` bytes. */
async function pump(
  stream: { readable: ReadableStream<Uint8Array>; writable: WritableStream<BufferSource> },
  input: Uint8Array,
  cap: number,
): Promise<Result<Uint8Array, { tooLarge: boolean; cause: unknown }>> {
  const writer = stream.writable.getWriter();
  // Not awaited: the writes finish only as the output is read. Their failures
  // surface on the reader, so they are swallowed here (no unhandled rejection).
  writer.write(input as BufferSource).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        await reader.cancel().catch(() => {});
        await writer.abort().catch(() => {});
        return fail({ tooLarge: true, cause: undefined });
      }
      chunks.push(value);
    }
  } catch (error) {
    await writer.abort().catch(() => {});
    return fail({ tooLarge: false, cause: error });
  }
  return ok(concat(chunks, total));
}

// ---------------------------------------------------------------------------
// Encoding

/** Characters of a conversation's attached files (images, audio, PDFs) and audio answers. */
function attachedChars(conv: Conversation): number {
  const messages = [...conv.messages, ...(conv.compare?.panes.flatMap((p) => p.messages) ?? [])];
  let chars = 0;
  for (const m of messages) {
    for (const image of m.images ?? []) chars += image.url.length;
    for (const file of m.files ?? []) chars += file.data?.length ?? 0;
    chars += m.audio?.data.length ?? 0;
  }
  return chars;
}

/** Why a conversation is too big for a link, and what to do. */
function tooBigForLink(
  conv: Conversation,
  size: { what: 'large' | 'long'; numbers: string },
  jsonChars: number,
): string {
  const files = attachedChars(conv);
  const why =
    files > jsonChars / 2
      ? ' Most of it is its attached images, audio and PDFs, which a link cannot carry.'
      : '';
  return `This conversation is too ${size.what} for a link (${size.numbers}).${why} Export it as a file instead.`;
}

/**
 * Makes the fragment of a share link (`#share=1.<data>`). `chars` is the
 * length of the whole link: the fragment plus `baseUrlLength` for the page
 * URL the caller puts in front. Never throws.
 */
export async function encodeShare(
  conv: Conversation,
  baseUrlLength = DEFAULT_BASE_URL_LENGTH,
  secrets: readonly string[] = [],
): Promise<EncodedShare> {
  if (typeof globalThis.CompressionStream !== 'function') {
    return fail({
      message:
        'This browser cannot compress data (no CompressionStream), so it cannot make share links. Export the conversation as a file instead.',
      chars: 0,
    });
  }
  try {
    // The key is never in a link, even where a message or a server echo holds it.
    const shared = stripForShare(conv);
    const text = scrubSecrets(JSON.stringify(shared), secrets);
    const json = new TextEncoder().encode(text);
    if (json.length > MAX_SHARE_JSON_BYTES) {
      const numbers = `${megabytes(json.length)} of text; the limit is ${megabytes(MAX_SHARE_JSON_BYTES)}`;
      return fail({
        message: tooBigForLink(shared, { what: 'large', numbers }, text.length),
        chars: 0,
      });
    }
    const deflated = await pump(
      new CompressionStream('deflate-raw'),
      json,
      Number.POSITIVE_INFINITY,
    );
    if (!deflated.ok) {
      return fail({
        message: `Could not compress the conversation: ${String(deflated.error.cause)}`,
        chars: 0,
      });
    }
    const fragment = `${SHARE_PREFIX}${SHARE_VERSION}.${toBase64Url(deflated.value)}`;
    const chars = fragment.length + Math.max(0, baseUrlLength);
    if (chars > MAX_SHARE_URL_CHARS) {
      const numbers = `${formatCount(chars)} characters; the limit is ${formatCount(MAX_SHARE_URL_CHARS)}`;
      return fail({
        message: tooBigForLink(shared, { what: 'long', numbers }, text.length),
        chars,
      });
    }
    return ok({ fragment, chars });
  } catch (err) {
    return fail({ message: `Could not make a share link: ${String(err)}`, chars: 0 });
  }
}

// ---------------------------------------------------------------------------
// Decoding

const DAMAGED = 'This share link is damaged';
const RECOPY = 'It may have been cut or changed when it was copied; ask for the link again.';

/**
 * Reads a share fragment (with or without the leading `#`) back into a
 * conversation. Everything in it is untrusted: the size is capped before and
 * while inflating, the text must be strict UTF-8 JSON, and the result passes
 * through migrateConversation like any imported record. The conversation gets
 * a new id, so opening a link never overwrites a stored conversation. Never throws.
 */
export async function decodeShare(fragment: string): Promise<DecodedShare> {
  try {
    return await decode(fragment);
  } catch (err) {
    return { ok: false, error: `${DAMAGED}: ${String(err)}` };
  }
}

async function decode(fragment: string): Promise<DecodedShare> {
  if (typeof fragment !== 'string') return { ok: false, error: 'This is not a share link.' };
  if (fragment.length > MAX_SHARE_INPUT_CHARS) return tooLong(fragment.length);
  const text = fragment.trim();
  const prefix = SHARE_PREFIX.slice(1);
  const body = text.startsWith(SHARE_PREFIX)
    ? text.slice(SHARE_PREFIX.length)
    : text.startsWith(prefix)
      ? text.slice(prefix.length)
      : undefined;
  if (body === undefined) {
    return {
      ok: false,
      error: `This is not a Parley share link (it must start with ${SHARE_PREFIX}).`,
    };
  }

  const dot = body.indexOf('.');
  const versionText = dot < 0 ? '' : body.slice(0, dot);
  if (!/^[0-9]{1,9}$/.test(versionText) || Number(versionText) < 1) {
    return { ok: false, error: `${DAMAGED}: it has no share format version. ${RECOPY}` };
  }
  const version = Number(versionText);
  if (version > SHARE_VERSION) {
    return {
      ok: false,
      error: `This share link was made by a newer Parley (share format ${version}; this one reads up to ${SHARE_VERSION}). Update Parley to open it.`,
    };
  }

  const data = body.slice(dot + 1);
  if (data === '') return { ok: false, error: `${DAMAGED}: it holds no data. ${RECOPY}` };
  const bad = /[^A-Za-z0-9_=-]/.exec(data);
  if (bad) {
    return {
      ok: false,
      error: `${DAMAGED}: ${JSON.stringify(bad[0])} at position ${bad.index} cannot be part of its data. ${RECOPY}`,
    };
  }
  const deflated = fromBase64Url(data);
  if (!deflated) {
    return { ok: false, error: `${DAMAGED}: its data is not valid base64url. ${RECOPY}` };
  }

  if (typeof globalThis.DecompressionStream !== 'function') {
    return {
      ok: false,
      error:
        'This browser cannot decompress data (no DecompressionStream), so it cannot open share links.',
    };
  }
  const inflated = await pump(
    new DecompressionStream('deflate-raw'),
    deflated,
    MAX_SHARE_JSON_BYTES,
  );
  if (!inflated.ok) {
    return {
      ok: false,
      error: inflated.error.tooLarge
        ? `This share link expands to more than ${megabytes(MAX_SHARE_JSON_BYTES)}; Parley does not open links that large.`
        : `${DAMAGED}: its data cannot be decompressed. ${RECOPY}`,
    };
  }

  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated.value);
  } catch {
    return { ok: false, error: `${DAMAGED}: its data is not UTF-8 text. ${RECOPY}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `${DAMAGED}: its data is not JSON (${why}).` };
  }

  const checked = migrateConversation(raw);
  if (!checked.ok) {
    return {
      ok: false,
      error: `This share link does not hold a valid conversation: ${checked.error}`,
    };
  }
  // Stripped again: a hand-made link must not smuggle in a draft or request records.
  const conversation = stripForShare(checked.value);
  conversation.id = newId();
  return ok(conversation);
}

function tooLong(chars: number): DecodedShare {
  return {
    ok: false,
    error: `This share link is too long to open (${formatCount(chars)} characters; the limit is ${formatCount(MAX_SHARE_INPUT_CHARS)}).`,
  };
}
