// The export file (`parley-export.schema.json` in public/ describes it):
// {"format": "parley.conversations", "version": 1, "exportedAt",
// "conversations": [stored Conversation records]}, pretty JSON with a fixed key
// order. Nothing from the settings goes in: secret headers are redacted again
// (they already are when recorded), credentials and key-like query parameters
// are cut from recorded URLs, and any secret the caller names is replaced.

import type { Result } from '../result';
import { migrateConversation } from '../read-conversation';
import type { Conversation, Message, RequestRecord, ResponseRecord } from '../types';
import { scrubSecrets } from '../secrets';

export const EXPORT_FORMAT = 'parley.conversations';
/** The file version this Parley writes and the newest it reads. */
export const EXPORT_VERSION = 1;

/** A file made for the browser to save. */
export interface ExportedFile {
  filename: string;
  text: string;
  mime: string;
}

/** What an export produces: a file to save, or why it could not be made. */
export type ExportResult = Result<ExportedFile>;

/** Headers whose values are secrets, lower case. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'cookie',
  'set-cookie',
  // From Settings: which organization and project the key bills.
  'openai-organization',
  'openai-project',
]);

/** Query parameters that carry keys or tokens, lower case. */
const SECRET_QUERY_PARAMS = new Set([
  'key',
  'api-key',
  'api_key',
  'apikey',
  'token',
  'access_token',
]);

/** "Bearer sk-…" -> "Bearer [redacted]"; any other secret header value -> "[redacted]". */
function redactHeaderValue(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.trim().toLowerCase())) return value;
  // Only well-known schemes are kept: a key pasted without a scheme must not
  // have its first word mistaken for one.
  const scheme = /^(bearer|basic)\s/i.exec(value);
  return scheme ? `${scheme[1]} [redacted]` : '[redacted]';
}

function redactHeaders(headers: [string, string][]): [string, string][] {
  return headers.map(([name, value]) => [name, redactHeaderValue(name, value)]);
}

function queryName(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).trim().toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * The URL without user:password@ and without key-like query parameters.
 * Done on the text (not through URL) so a URL with nothing to remove is
 * returned exactly as it was.
 */
export function redactUrl(url: string): string {
  const withoutUser = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
  // The query is between the first "?" and the fragment; a "?" after "#" is the fragment's.
  const hash = withoutUser.indexOf('#');
  const end = hash >= 0 ? hash : withoutUser.length;
  const q = withoutUser.slice(0, end).indexOf('?');
  if (q < 0) return withoutUser;
  const pairs = withoutUser.slice(q + 1, end).split('&');
  const kept = pairs.filter((pair) => !SECRET_QUERY_PARAMS.has(queryName(pair)));
  if (kept.length === pairs.length) return withoutUser;
  const query = kept.join('&');
  return withoutUser.slice(0, q) + (query ? `?${query}` : '') + withoutUser.slice(end);
}

/**
 * The endpoint's path only: the origin is the Base URL setting (a private
 * host, a proxy) and stays on this device.
 */
function withoutOrigin(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
}

function redactRequest(r: RequestRecord): RequestRecord {
  return { ...r, url: withoutOrigin(redactUrl(r.url)), headers: redactHeaders(r.headers) };
}

function redactResponse(r: ResponseRecord): ResponseRecord {
  return { ...r, headers: redactHeaders(r.headers) };
}

function redactMessages(messages: Message[]): Message[] {
  return messages.map((m) => {
    if (!m.request && !m.response) return m;
    const out = { ...m };
    if (m.request) out.request = redactRequest(m.request);
    if (m.response) out.response = redactResponse(m.response);
    return out;
  });
}

/**
 * The record as it is written to a file: validated and normalised by
 * migrateConversation (fresh objects, a fixed key order), secrets redacted.
 * Throws when the record is not a valid conversation.
 */
function exportRecord(conv: Conversation, index: number): Conversation {
  // Through JSON first: the record may be a Svelte state proxy or hold undefined.
  const checked = migrateConversation(JSON.parse(JSON.stringify(conv)));
  if (!checked.ok) {
    throw new Error(`Conversation ${index + 1} cannot be exported: ${checked.error}`);
  }
  const out = checked.value;
  out.messages = redactMessages(out.messages);
  if (out.compare) {
    out.compare.panes = out.compare.panes.map((p) => ({
      ...p,
      messages: redactMessages(p.messages),
    }));
  }
  return out;
}

/**
 * The export file: pretty JSON (2 spaces, trailing newline), keys in a fixed
 * order, so the same conversations always give the same bytes. `secrets` (the
 * API key, say) are replaced wherever they occur, as a last line of defence.
 * Throws if a conversation is not a valid record (a bug, not a user error).
 */
export function toExportFile(
  convs: readonly Conversation[],
  now: number = Date.now(),
  secrets: readonly string[] = [],
): string {
  const file = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(Number.isFinite(now) ? now : Date.now()).toISOString(),
    conversations: convs.map(exportRecord),
  };
  return scrubSecrets(JSON.stringify(file, null, 2), secrets) + '\n';
}
