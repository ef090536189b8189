// Conversations in and out of Parley as files. Pure TypeScript: nothing here
// touches the DOM, storage or the network, and nothing imported is evaluated
// or rendered (text stays text).
//
// Out:
// - `toExportFile`: the export file, `parley-export.schema.json` in public/
//   describes it. {"format": "parley.conversations", "version": 1, "exportedAt",
//   "conversations": [stored Conversation records]}, pretty JSON with a fixed key
//   order. Nothing from the settings goes in: secret headers are redacted again
//   (they already are when recorded), credentials and key-like query parameters
//   are cut from recorded URLs, and any secret the caller names is replaced.
// - `turnAsRequestBody`: one turn as the exact Chat Completions body Parley sends.
// - `toMarkdown`: a readable transcript.
//
// In (`parseImport`), all-or-nothing, every conversation through
// migrateConversation (the one gate for stored records):
// - a Parley export file (older file versions upgraded by FILE_MIGRATIONS;
//   version 0 is the ad-hoc form: a bare Conversation or an array of them);
// - a bare Chat Completions request body, which becomes one conversation;
// - ChatGPT's data export `conversations.json` (the current branch of each).
// The text is checked before it is parsed: size, binary content, and nesting
// depth (a linear scan, so absurd nesting cannot exhaust the stack), and JSON
// syntax errors are reported with their line and column. `__proto__` keys are
// removed right after parsing, and only known keys are ever copied.

import { maxTokensKeyFor, WIRE_PARAM_KEYS } from './params';
import { resolveParams, describeOverride } from './compare';
import { createConversation, newId } from './conversation';
import { migrateConversation } from './read-conversation';
import { migrateParams } from './read-params';
import {
  isFiniteNumber,
  isObject,
  isString,
  kindOf,
  lineColumn,
  own,
  parseJson,
  pathOf,
  prettyJson,
  sameJson,
  ShapeError,
  type JsonObject as Obj,
} from './json';
import { buildRequest, paramsToWire } from './request';
import type {
  ComparePane,
  Conversation,
  Message,
  Params,
  RequestRecord,
  ResponseRecord,
  Role,
  ToolCall,
  ToolChoice,
  ToolsConfig,
  Usage,
} from './types';

export const EXPORT_FORMAT = 'parley.conversations';
/** The file version this Parley writes and the newest it reads. */
export const EXPORT_VERSION = 1;
/** Files larger than this are refused before they are read. */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;
/** Deeper JSON is refused before JSON.parse sees it. */
export const MAX_IMPORT_DEPTH = 200;

/** A file made for the browser to save. */
export interface ExportedFile {
  filename: string;
  text: string;
  mime: string;
}

/** What an export produces: a file to save, or why it could not be made. */
export type ExportResult = ExportedFile | { error: string };

/** What an import did, in one sentence for the user. */
export interface ImportOutcome {
  ok: boolean;
  message: string;
}

export type ImportKind = 'parley' | 'request' | 'openai-export';

export type ImportResult =
  | { ok: true; kind: ImportKind; conversations: Conversation[]; warnings: string[] }
  | { ok: false; error: string };

export interface ImportOptions {
  /** Creation time of conversations that carry none (a request body). Default: Date.now(). */
  now?: number;
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

// ---------------------------------------------------------------------------
// Export

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

/** Replaces every occurrence of each secret (at least 8 characters) in JSON text. */
function scrubSecrets(json: string, secrets: readonly string[]): string {
  let out = json;
  for (const secret of secrets) {
    const s = secret.trim();
    if (s.length < 8) continue;
    // As it appears inside a JSON string.
    const escaped = JSON.stringify(s).slice(1, -1);
    out = out.split(escaped).join('[redacted]');
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

// ---------------------------------------------------------------------------
// Single turn as a request body

interface TurnSource {
  config: Pick<Conversation, 'model' | 'systemMessage' | 'params' | 'stream' | 'tools'>;
  messages: Message[];
}

function paneSource(conv: Conversation, pane: ComparePane): TurnSource {
  return {
    config: {
      model: pane.model,
      systemMessage: pane.systemMessage ?? conv.systemMessage,
      params: resolveParams(conv.params, pane.overrides),
      stream: pane.stream ?? conv.stream,
      tools: pane.tools ?? conv.tools,
    },
    messages: pane.linkedHistory ? [...conv.messages, ...pane.messages] : pane.messages,
  };
}

/**
 * The request body Parley sends for one turn, as pretty JSON (stream and
 * stream_options included: what you see is what is sent). Without
 * `upToMessageId`: the next request of the conversation. With the id of an
 * assistant answer: the request that produced it (the history before it).
 * With any other message: the history up to and including it. A message of a
 * compare pane gives that pane's request (its model, overrides, system
 * message, tools and history). Throws when no message has that id.
 */
export function turnAsRequestBody(conv: Conversation, upToMessageId?: string): string {
  let source: TurnSource = { config: conv, messages: conv.messages };
  if (upToMessageId !== undefined && !conv.messages.some((m) => m.id === upToMessageId)) {
    const pane = conv.compare?.panes.find((p) => p.messages.some((m) => m.id === upToMessageId));
    if (!pane) throw new Error(`No message with id ${upToMessageId} in this conversation.`);
    source = paneSource(conv, pane);
  }
  let messages = source.messages;
  if (upToMessageId !== undefined) {
    const index = messages.findIndex((m) => m.id === upToMessageId);
    const target = messages[index]!;
    messages = messages.slice(0, target.role === 'assistant' ? index : index + 1);
  }
  const { body } = buildRequest({ ...source.config, messages });
  return JSON.stringify(body, null, 2) + '\n';
}

// ---------------------------------------------------------------------------
// Markdown transcript

/** A code fence longer than any run of backticks in `text`. */
function fenced(text: string, lang: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

function blockquote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

function dateLine(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function usageLine(usage: Usage | null | undefined): string | undefined {
  if (usage === undefined) return undefined;
  if (usage === null) return 'Usage: not reported by the provider';
  const extra: string[] = [];
  if (usage.cachedPrompt !== undefined) extra.push(`${usage.cachedPrompt} cached`);
  if (usage.reasoning !== undefined) extra.push(`${usage.reasoning} reasoning`);
  const tail = extra.length ? ` (${extra.join(', ')})` : '';
  return `Usage: ${usage.prompt} prompt + ${usage.completion} completion = ${usage.total} tokens${tail}`;
}

const ROLE_HEADINGS: Record<Role, string> = {
  system: 'System',
  developer: 'Developer',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool result',
};

function toolCallBlock(call: ToolCall): string {
  const text =
    call.type === 'function' ? (prettyJson(call.arguments) ?? call.arguments) : call.arguments;
  return `Tool call \`${call.name}\` (${call.id}):\n\n${fenced(text, call.type === 'function' ? 'json' : 'text')}`;
}

function messageMarkdown(m: Message, model: string, level: string): string {
  const parts: string[] = [];
  let heading = ROLE_HEADINGS[m.role];
  if (m.role === 'assistant') heading += ` (${m.model ?? model})`;
  else if (m.role === 'tool') {
    const about = [m.name, m.toolCallId].filter(Boolean).join(', ');
    if (about) heading += ` (${about})`;
  } else if (m.name) heading += ` (${m.name})`;
  parts.push(`${level} ${heading}`);
  if (m.reasoning) parts.push(`Reasoning:\n\n${blockquote(m.reasoning)}`);
  if (m.role === 'tool') parts.push(fenced(m.content, 'text'));
  else if (m.content !== '') parts.push(m.content);
  if (m.refusal) parts.push(`Refusal: ${m.refusal}`);
  for (const call of m.toolCalls ?? []) parts.push(toolCallBlock(call));
  if (m.role !== 'tool' && m.content === '' && !m.refusal && !m.toolCalls?.length) {
    parts.push('_(empty)_');
  }
  if (m.choices && m.choices.length > 1) {
    parts.push(`_Choice ${(m.chosen ?? 0) + 1} of ${m.choices.length} shown._`);
  }
  if (m.status && m.status !== 'done' && m.status !== 'streaming') {
    parts.push(`_Answer ${m.status}${m.error ? `: ${m.error.message}` : ''}_`);
  }
  const usage = usageLine(m.usage);
  if (usage) parts.push(usage);
  return parts.join('\n\n');
}

/**
 * A readable transcript: title, model and date, the system message as a
 * quote, one heading per message, tool calls and results fenced, usage under
 * each answer, then each compare pane. Message text is written verbatim.
 */
export function toMarkdown(conv: Conversation): string {
  const blocks: string[] = [];
  blocks.push(`# ${oneLine(conv.title) || 'Untitled conversation'}`);
  const date = dateLine(conv.createdAt);
  blocks.push(`Model: ${conv.model}${date ? ` · ${date}` : ''}`);
  if (conv.systemMessage.trim() !== '') blocks.push(blockquote(conv.systemMessage));
  for (const m of conv.messages) blocks.push(messageMarkdown(m, conv.model, '##'));
  conv.compare?.panes.forEach((pane, i) => {
    blocks.push(`## Pane ${i + 1} — ${pane.model}${pane.label ? ` (${pane.label})` : ''}`);
    const overrides = Object.entries(pane.overrides).map(([k, v]) => describeOverride(k, v));
    if (overrides.length) blocks.push(`Overrides: ${overrides.join(', ')}`);
    if (pane.systemMessage !== undefined && pane.systemMessage.trim() !== '') {
      blocks.push(blockquote(pane.systemMessage));
    }
    if (!pane.linkedHistory) blocks.push('_This pane has its own copy of the history._');
    for (const m of pane.messages) blocks.push(messageMarkdown(m, pane.model, '###'));
  });
  return blocks.join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------
// Fresh ids

/**
 * A copy with a new conversation id, new message ids and new pane ids;
 * everything else (tool call ids included: they are the API's) is unchanged.
 */
export function withFreshIds(conv: Conversation): Conversation {
  const copy = JSON.parse(JSON.stringify(conv)) as Conversation;
  const renumber = (messages: Message[]) => messages.map((m) => ({ ...m, id: newId() }));
  copy.id = newId();
  copy.messages = renumber(copy.messages);
  if (copy.compare) {
    copy.compare.panes = copy.compare.panes.map((p) => ({
      ...p,
      id: newId(),
      messages: renumber(p.messages),
    }));
  }
  return copy;
}

// ---------------------------------------------------------------------------
// Checking the text before parsing

/** Why a file of this many bytes is refused, or null when it may be read. */
export function checkFileSize(bytes: number): string | null {
  if (!(bytes <= MAX_IMPORT_BYTES)) {
    const size = Number.isFinite(bytes) ? megabytes(bytes) : 'too large';
    return `This file is ${size}; Parley imports files up to ${megabytes(MAX_IMPORT_BYTES)}.`;
  }
  return null;
}

/** UTF-8 length of `text`, counting only as far as `limit` + 1. */
function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const NOT_TEXT =
  'This is not a text file. Import a .json file: a Parley export, a Chat Completions request body, or ChatGPT’s conversations.json.';

function binaryProblem(text: string): string | null {
  if (text.startsWith('PK\u0003\u0004')) {
    return 'This is a ZIP archive. Unzip it first, then import the .json file inside (for a ChatGPT export: conversations.json).';
  }
  if (
    text.charCodeAt(0) === 0x1f &&
    (text.charCodeAt(1) === 0x8b || text.charCodeAt(1) === 0xfffd)
  ) {
    return 'This is a gzip-compressed file. Decompress it first, then import the .json file.';
  }
  if (text.includes('\u0000')) return NOT_TEXT;
  // A raw control character or undecodable byte where JSON must start.
  const first = /\S/.exec(text.slice(0, 1024))?.[0].charCodeAt(0);
  if (first !== undefined && (first < 0x20 || first === 0xfffd)) return NOT_TEXT;
  // Half a surrogate pair: the text was not decoded from valid UTF-8/UTF-16.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
    return 'This file is not valid UTF-8 text.';
  }
  return null;
}

/**
 * Bytes of a file as text: UTF-8 (strictly: invalid bytes are refused rather
 * than replaced), or UTF-16 when the file starts with its byte order mark.
 * For the UI, before parseImport.
 */
export function decodeImportBytes(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; error: string } {
  const tooBig = checkFileSize(bytes.byteLength);
  if (tooBig) return { ok: false, error: tooBig };
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) {
    return { ok: false, error: binaryProblem('PK\u0003\u0004')! };
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return { ok: false, error: binaryProblem('\u001f\u008b')! };
  }
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, error: 'This file is not valid UTF-8 text.' };
  }
}

/**
 * Offset of the first bracket nested deeper than `max`, or -1. A linear scan
 * that skips strings (and the escapes inside them), so it never recurses.
 */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Deletes own `__proto__` keys everywhere (JSON.parse makes them plain own data). */
function dropProtoKeys(root: unknown): number {
  let dropped = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === 'object' && item !== null) stack.push(item);
    } else if (isObject(v)) {
      if (Object.hasOwn(v, '__proto__')) {
        delete v['__proto__'];
        dropped++;
      }
      for (const key of Object.keys(v)) {
        const item = v[key];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return dropped;
}

// ---------------------------------------------------------------------------
// Parley files

/**
 * Upgrades an export file from version N to N + 1. Version 0 is the ad-hoc
 * form from before the file format (a bare Conversation record or an array of
 * them), which parseImport hands over as `{ conversations: [...] }`.
 */
export const FILE_MIGRATIONS: Readonly<Record<number, (file: Obj) => Obj>> = {
  0: (file) => ({
    format: EXPORT_FORMAT,
    version: 1,
    conversations: own(file, 'conversations'),
  }),
};

/** "messages[0].role: …" -> "conversations[2].messages[0].role: …". */
function prefixed(prefix: string, error: string): string {
  if (!prefix) return error;
  if (/^[A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*: /.test(error)) return `${prefix}.${error}`;
  return `${prefix}: ${error}`;
}

/** Every record through migrateConversation; the first bad one fails the whole import. */
function readConversations(records: unknown[], label: (i: number) => string): Conversation[] {
  return records.map((raw, i) => {
    const checked = migrateConversation(raw);
    if (!checked.ok) throw new ShapeError(prefixed(label(i), checked.error));
    return checked.value;
  });
}

function readParleyFile(file: Obj): Conversation[] {
  const format = own(file, 'format');
  if (format !== EXPORT_FORMAT) {
    throw new ShapeError(
      `This is not a Parley export: its format is ${JSON.stringify(format)}, not "${EXPORT_FORMAT}".`,
    );
  }
  const version = own(file, 'version');
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    throw new ShapeError('version: expected a whole number of at least 1');
  }
  if ((version as number) > EXPORT_VERSION) {
    throw new ShapeError(
      `This file was made by a newer Parley (version ${version as number}); this one reads up to version ${EXPORT_VERSION}. Update Parley to import it.`,
    );
  }
  return readUpgraded(file, version as number, (i) => `conversations[${i}]`);
}

function readUpgraded(file: Obj, from: number, label: (i: number) => string): Conversation[] {
  let current = file;
  for (let v = from; v < EXPORT_VERSION; v++) {
    const step = FILE_MIGRATIONS[v];
    if (!step) throw new ShapeError(`version: no migration from version ${v}`);
    current = step(current);
  }
  const conversations = own(current, 'conversations');
  if (!Array.isArray(conversations)) throw new ShapeError('conversations: expected an array');
  return readConversations(conversations, label);
}

// ---------------------------------------------------------------------------
// Chat Completions request bodies

const WIRE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

/** Message keys Parley reads; others (audio, annotations…) are left out with a warning. */
const WIRE_MESSAGE_KEYS = new Set([
  'role',
  'content',
  'name',
  'refusal',
  'tool_calls',
  'function_call',
  'tool_call_id',
]);

/** What reading the messages left out, for the warnings. */
interface LeftOut {
  /** Content part types (image_url, input_audio…). */
  parts: Set<string>;
  /** Message keys. */
  keys: Set<string>;
}

/** Body keys Parley sets itself or maps to its own fields. */
const MAPPED_KEYS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'functions',
  'function_call',
  'max_tokens',
  'max_completion_tokens',
  ...WIRE_PARAM_KEYS,
]);

/** Keys never copied anywhere, even into the extra parameters. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface ContentText {
  text: string;
  refusal?: string;
}

function readContent(raw: unknown, path: string, skipped: LeftOut): ContentText {
  if (raw === undefined || raw === null) return { text: '' };
  if (isString(raw)) return { text: raw };
  if (!Array.isArray(raw)) {
    throw new ShapeError(`${path}: expected a string, null or an array of content parts`);
  }
  const texts: string[] = [];
  const refusals: string[] = [];
  raw.forEach((part, i) => {
    if (isString(part)) return void texts.push(part);
    if (!isObject(part)) throw new ShapeError(`${path}[${i}]: expected a content part object`);
    const type = own(part, 'type');
    const text = own(part, 'text');
    const refusal = own(part, 'refusal');
    if (type === 'text' && isString(text)) texts.push(text);
    else if (type === 'refusal' && isString(refusal)) refusals.push(refusal);
    else skipped.parts.add(isString(type) ? type : 'unknown');
  });
  const out: ContentText = { text: texts.join('\n') };
  if (refusals.length) out.refusal = refusals.join('\n');
  return out;
}

function readWireToolCall(raw: unknown, path: string): ToolCall {
  if (!isObject(raw)) throw new ShapeError(`${path}: expected an object`);
  const id = own(raw, 'id');
  if (!isString(id)) throw new ShapeError(`${path}.id: expected a string`);
  const type = own(raw, 'type') ?? 'function';
  if (type !== 'function' && type !== 'custom') {
    throw new ShapeError(`${path}.type: expected "function" or "custom"`);
  }
  const inner = own(raw, type);
  if (!isObject(inner)) throw new ShapeError(`${path}.${type}: expected an object`);
  const name = own(inner, 'name');
  if (!isString(name)) throw new ShapeError(`${path}.${type}.name: expected a string`);
  const argKey = type === 'custom' ? 'input' : 'arguments';
  const args = own(inner, argKey) ?? '';
  if (!isString(args)) throw new ShapeError(`${path}.${type}.${argKey}: expected a string`);
  return { id, type, name, arguments: args };
}

function readWireMessage(
  raw: unknown,
  path: string,
  skipped: LeftOut,
  callNames: Map<string, string>,
): Message {
  if (!isObject(raw)) throw new ShapeError(`${path}: expected an object`);
  for (const key of Object.keys(raw)) if (!WIRE_MESSAGE_KEYS.has(key)) skipped.keys.add(key);
  const role = own(raw, 'role');
  if (!isString(role) || !(WIRE_ROLES as readonly string[]).includes(role)) {
    throw new ShapeError(`${path}.role: expected one of ${WIRE_ROLES.join(', ')}`);
  }
  const content = readContent(own(raw, 'content'), `${path}.content`, skipped);
  const m: Message = {
    id: newId(),
    role: role === 'function' ? 'tool' : (role as Role),
    content: content.text,
  };
  const name = own(raw, 'name');
  if (name !== undefined && !isString(name))
    throw new ShapeError(`${path}.name: expected a string`);
  if (name !== undefined) m.name = name;
  const refusal = own(raw, 'refusal') ?? content.refusal;
  if (isString(refusal) && refusal !== '' && role === 'assistant') m.refusal = refusal;
  if (role === 'assistant') {
    const calls = own(raw, 'tool_calls');
    if (calls !== undefined && calls !== null) {
      if (!Array.isArray(calls)) throw new ShapeError(`${path}.tool_calls: expected an array`);
      const read = calls.map((c, i) => readWireToolCall(c, `${path}.tool_calls[${i}]`));
      if (read.length) m.toolCalls = read;
    }
    const legacy = own(raw, 'function_call');
    if (legacy !== undefined && legacy !== null && !m.toolCalls) {
      // The legacy format has one call per turn and no call id.
      const call = { id: `call_${newId().slice(0, 8)}`, type: 'function', function: legacy };
      m.toolCalls = [readWireToolCall(call, `${path}.function_call`)];
    }
    for (const call of m.toolCalls ?? []) callNames.set(call.id, call.name);
  }
  if (role === 'tool') {
    const callId = own(raw, 'tool_call_id');
    if (callId !== undefined && !isString(callId)) {
      throw new ShapeError(`${path}.tool_call_id: expected a string`);
    }
    if (callId !== undefined) {
      m.toolCallId = callId;
      // Parley names a result after its function (the UI shows "Result for <name>").
      const called = callNames.get(callId);
      if (called !== undefined && m.name === undefined) m.name = called;
    }
  }
  return m;
}

function readWireChoice(raw: unknown, format: 'tools' | 'functions'): ToolChoice | undefined {
  if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
  if (!isObject(raw)) return undefined;
  if (format === 'functions') {
    const name = own(raw, 'name');
    return isString(name) && Object.keys(raw).length === 1 ? { name } : undefined;
  }
  const fn = own(raw, 'function');
  if (own(raw, 'type') !== 'function' || !isObject(fn) || Object.keys(raw).length !== 2) {
    return undefined;
  }
  const name = own(fn, 'name');
  return isString(name) && Object.keys(fn).length === 1 ? { name } : undefined;
}

/** What reading the body's keys collects: which were mapped, which were null. */
class BodyKeys {
  readonly used = new Set<string>(['model', 'messages']);
  readonly nulls: string[] = [];

  constructor(readonly body: Obj) {
    for (const key of Object.keys(body)) {
      if (body[key] === null && MAPPED_KEYS.has(key) && key !== 'messages') {
        this.nulls.push(key);
        this.used.add(key);
      }
    }
  }

  /** The value, or undefined when absent or null (the API's "not sent"). */
  get(key: string): unknown {
    const v = own(this.body, key);
    return v === null ? undefined : v;
  }

  use(key: string) {
    this.used.add(key);
  }
}

/**
 * Parameters Parley can hold so that it sends them back unchanged; the rest
 * stays with the extra parameters (the caller adds every unused key there).
 */
function readWireParams(keys: BodyKeys, model: string): Params {
  const params: Params = {};
  for (const key of WIRE_PARAM_KEYS) {
    const value = keys.get(key);
    if (value === undefined) continue;
    if (key === 'stop' && isString(value)) {
      // The API takes one stop string or a list; Parley keeps a list.
      params.stop = [value];
      keys.use(key);
      continue;
    }
    const checked = migrateParams({ [key]: value });
    if (sameJson(paramsToWire(checked, model)[key], value)) {
      Object.assign(params, checked);
      keys.use(key);
    }
  }
  // Max tokens: one control, sent under the key the body used.
  const limitKey =
    keys.get('max_completion_tokens') !== undefined
      ? 'max_completion_tokens'
      : keys.get('max_tokens') !== undefined
        ? 'max_tokens'
        : undefined;
  const limit = limitKey && keys.get(limitKey);
  if (limitKey && isFiniteNumber(limit)) {
    params.max_tokens = limit;
    if (maxTokensKeyFor(model, undefined) !== limitKey) params.max_tokens_field = limitKey;
    keys.use(limitKey);
  }
  return params;
}

/** The Tools region: the definitions as editor text, exactly the array that was sent. */
function readWireTools(keys: BodyKeys): ToolsConfig | undefined {
  const tools = keys.get('tools');
  const functions = keys.get('functions');
  const format = Array.isArray(tools)
    ? 'tools'
    : Array.isArray(functions)
      ? 'functions'
      : undefined;
  if (!format) return undefined;
  const listKey = format === 'tools' ? 'tools' : 'functions';
  const config: ToolsConfig = {
    json: JSON.stringify(keys.get(listKey), null, 2),
    format,
  };
  keys.use(listKey);
  const choiceKey = format === 'tools' ? 'tool_choice' : 'function_call';
  const rawChoice = keys.get(choiceKey);
  const choice = rawChoice === undefined ? undefined : readWireChoice(rawChoice, format);
  if (choice !== undefined) {
    config.choice = choice;
    keys.use(choiceKey);
  }
  const parallel = keys.get('parallel_tool_calls');
  if (format === 'tools' && typeof parallel === 'boolean') {
    config.parallel = parallel;
    keys.use('parallel_tool_calls');
  }
  return config;
}

function readRequestBody(body: Obj, now: number, warnings: string[]): Conversation {
  const keys = new BodyKeys(body);
  const model = keys.get('model');
  if (model !== undefined && !isString(model)) throw new ShapeError('model: expected a string');
  const rawMessages = own(body, 'messages');
  if (!Array.isArray(rawMessages)) throw new ShapeError('messages: expected an array');

  const skipped: LeftOut = { parts: new Set(), keys: new Set() };
  const callNames = new Map<string, string>();
  const messages = rawMessages.map((m, i) =>
    readWireMessage(m, `messages[${i}]`, skipped, callNames),
  );
  if (skipped.parts.size) {
    warnings.push(
      `Left out content parts Parley cannot send (${[...skipped.parts].join(', ')}); the text parts were kept.`,
    );
  }
  if (skipped.keys.size) {
    warnings.push(`Left out message fields Parley does not keep: ${[...skipped.keys].join(', ')}.`);
  }

  // A leading system (or developer) message is the conversation's system message.
  let systemMessage = '';
  const first = messages[0];
  if (
    first &&
    (first.role === 'system' || first.role === 'developer') &&
    first.content.trim() !== '' &&
    first.name === undefined
  ) {
    systemMessage = first.content;
    messages.shift();
    if (first.role === 'developer') {
      warnings.push('The developer message became the system message (sent with role "system").');
    }
  }

  const params = readWireParams(keys, model ?? '');
  const tools = readWireTools(keys);
  // Parley adds stream_options {include_usage: true} to every streamed request.
  const stream = keys.get('stream');
  if (typeof stream === 'boolean') keys.use('stream');
  if (stream === true && sameJson(keys.get('stream_options'), { include_usage: true })) {
    keys.use('stream_options');
  }

  const extra: [string, unknown][] = [];
  const ignored: string[] = [];
  for (const key of Object.keys(body)) {
    if (UNSAFE_KEYS.has(key)) ignored.push(key);
    else if (!keys.used.has(key)) extra.push([key, body[key]]);
  }
  if (ignored.length) warnings.push(`Ignored keys: ${ignored.join(', ')}.`);
  if (keys.nulls.length) {
    warnings.push(`Left out parameters set to null (not sent): ${keys.nulls.join(', ')}.`);
  }
  if (extra.length) {
    params.extra = JSON.stringify(Object.fromEntries(extra), null, 2);
    warnings.push(
      `Kept as extra parameters (sent as they are): ${extra.map(([k]) => k).join(', ')}.`,
    );
  }
  if (model === undefined) warnings.push('The body names no model; the default model is used.');

  const conv = createConversation({ model, systemMessage, params, stream: stream === true, tools });
  conv.messages = messages;
  conv.createdAt = now;
  conv.updatedAt = now;
  return conv;
}

// ---------------------------------------------------------------------------
// ChatGPT data export (conversations.json)

interface OpenAiCounts {
  skipped: number;
  otherBranches: number;
}

const CHATGPT_ROLES = new Set(['user', 'assistant', 'system']);

function secondsToMs(v: unknown): number | undefined {
  return isFiniteNumber(v) ? Math.round(v * 1000) : undefined;
}

function readOpenAiConversation(raw: unknown, path: string, now: number, counts: OpenAiCounts) {
  if (!isObject(raw)) throw new ShapeError(`${path || 'conversation'}: expected an object`);
  const mapping = own(raw, 'mapping');
  if (!isObject(mapping)) throw new ShapeError(`${pathOf(path, 'mapping')}: expected an object`);
  const current = own(raw, 'current_node');
  if (!isString(current) || !Object.hasOwn(mapping, current)) {
    throw new ShapeError(`${pathOf(path, 'current_node')}: expected the id of a node in mapping`);
  }

  // Walk from the current node back to the root: that is the thread on screen.
  const chain: Obj[] = [];
  const seen = new Set<string>();
  let id: unknown = current;
  while (isString(id) && Object.hasOwn(mapping, id)) {
    const nodePath = `${pathOf(path, 'mapping')}[${JSON.stringify(id)}]`;
    if (seen.has(id)) throw new ShapeError(`${nodePath}: the parent chain loops back here`);
    seen.add(id);
    const node = mapping[id];
    if (!isObject(node)) throw new ShapeError(`${nodePath}: expected an object`);
    chain.push(node);
    id = own(node, 'parent');
  }
  chain.reverse();
  for (const [key, node] of Object.entries(mapping)) {
    if (!seen.has(key) && isObject(node) && isObject(own(node, 'message'))) counts.otherBranches++;
  }

  const messages: Message[] = [];
  let systemMessage = '';
  for (const node of chain) {
    const msg = own(node, 'message');
    if (msg === undefined || msg === null) continue;
    if (!isObject(msg)) {
      counts.skipped++;
      continue;
    }
    const author = own(msg, 'author');
    const role = isObject(author) ? own(author, 'role') : undefined;
    const content = own(msg, 'content');
    const metadata = own(msg, 'metadata');
    const hidden =
      isObject(metadata) && own(metadata, 'is_visually_hidden_from_conversation') === true;
    const type = isObject(content) ? own(content, 'content_type') : undefined;
    const parts = isObject(content) ? own(content, 'parts') : undefined;
    const recipient = own(msg, 'recipient');
    const text =
      (type === 'text' || type === 'multimodal_text') && Array.isArray(parts)
        ? parts.filter(isString).join('\n')
        : '';
    if (
      hidden ||
      !isString(role) ||
      !CHATGPT_ROLES.has(role) ||
      (recipient !== undefined && recipient !== 'all') ||
      text.trim() === ''
    ) {
      counts.skipped++;
      continue;
    }
    if (role === 'system' && messages.length === 0 && systemMessage === '') {
      systemMessage = text;
      continue;
    }
    const m: Message = {
      id: isString(own(msg, 'id')) ? (own(msg, 'id') as string) : newId(),
      role: role as Role,
      content: text,
    };
    const slug = isObject(metadata) ? own(metadata, 'model_slug') : undefined;
    if (role === 'assistant' && isString(slug)) m.model = slug;
    messages.push(m);
  }

  const createdAt = secondsToMs(own(raw, 'create_time'));
  const updatedAt = secondsToMs(own(raw, 'update_time'));
  const title = own(raw, 'title');
  const model = own(raw, 'default_model_slug');
  const convId = own(raw, 'conversation_id') ?? own(raw, 'id');
  return {
    schemaVersion: 1,
    id: isString(convId) && convId !== '' ? convId : newId(),
    title: isString(title) ? title : '',
    createdAt: createdAt ?? updatedAt ?? now,
    updatedAt: updatedAt ?? createdAt ?? now,
    systemMessage,
    model: isString(model) && model !== '' ? model : 'gpt-4',
    stream: true,
    params: {},
    tools: { json: '', format: 'tools' },
    messages,
    draft: '',
  } satisfies Conversation;
}

function readOpenAiExport(list: unknown[], now: number, warnings: string[], single: boolean) {
  const counts: OpenAiCounts = { skipped: 0, otherBranches: 0 };
  const records = list.map((raw, i) =>
    readOpenAiConversation(raw, single ? '' : `[${i}]`, now, counts),
  );
  if (counts.skipped) {
    warnings.push(
      `Skipped ${counts.skipped} message${counts.skipped === 1 ? '' : 's'} that were empty, hidden or not text (images, code, tool output).`,
    );
  }
  if (counts.otherBranches) {
    warnings.push(
      `Imported the current branch of each conversation; ${counts.otherBranches} message${counts.otherBranches === 1 ? '' : 's'} on other branches (edits, regenerations) were left out.`,
    );
  }
  return readConversations(records, (i) => (single ? '' : `[${i}]`));
}

// ---------------------------------------------------------------------------
// parseImport

const IMPORTABLE =
  'Parley imports its own exports ({"format": "parley.conversations", …}), a Chat Completions request body ({"model": …, "messages": […]}) and ChatGPT’s conversations.json.';
const UNRECOGNISED = `Parley does not recognise this file. ${IMPORTABLE}`;

const isChatGptConversation = (v: unknown) =>
  isObject(v) && Object.hasOwn(v, 'mapping') && Object.hasOwn(v, 'current_node');
const isConversationRecord = (v: unknown) =>
  isObject(v) && (Object.hasOwn(v, 'schemaVersion') || isString(own(v, 'id')));

/** Which reader a parsed value goes to; conversations as they come out of it. */
function dispatch(
  value: unknown,
  now: number,
  warnings: string[],
): { kind: ImportKind; conversations: Conversation[] } {
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'parley', conversations: [] };
    if (isChatGptConversation(value[0])) {
      return {
        kind: 'openai-export',
        conversations: readOpenAiExport(value, now, warnings, false),
      };
    }
    if (!isObject(value[0])) throw new ShapeError(UNRECOGNISED);
    const file = { conversations: value };
    return { kind: 'parley', conversations: readUpgraded(file, 0, (i) => `[${i}]`) };
  }
  if (!isObject(value)) {
    throw new ShapeError(`The file holds ${kindOf(value)}, not conversations. ${IMPORTABLE}`);
  }
  if (Object.hasOwn(value, 'format'))
    return { kind: 'parley', conversations: readParleyFile(value) };
  if (isChatGptConversation(value)) {
    return { kind: 'openai-export', conversations: readOpenAiExport([value], now, warnings, true) };
  }
  if (Object.hasOwn(value, 'choices') && !Object.hasOwn(value, 'messages')) {
    throw new ShapeError(
      'This is a Chat Completions response, not a request. Import the request body (with "model" and "messages") instead.',
    );
  }
  if (isConversationRecord(value)) {
    return { kind: 'parley', conversations: readUpgraded({ conversations: [value] }, 0, () => '') };
  }
  if (Object.hasOwn(value, 'messages')) {
    const conv = readRequestBody(value, now, warnings);
    return { kind: 'request', conversations: readConversations([conv], () => '') };
  }
  throw new ShapeError(UNRECOGNISED);
}

/** Conversations that share an id with an earlier one in the same file get fresh ids. */
function distinctIds(convs: Conversation[], warnings: string[]): Conversation[] {
  const seen = new Set<string>();
  let renamed = 0;
  const out = convs.map((c) => {
    if (!seen.has(c.id)) {
      seen.add(c.id);
      return c;
    }
    renamed++;
    const fresh = withFreshIds(c);
    seen.add(fresh.id);
    return fresh;
  });
  if (renamed) {
    warnings.push(
      `${renamed} conversation${renamed === 1 ? '' : 's'} repeated an id used earlier in the file and got a new one.`,
    );
  }
  return out;
}

/**
 * Reads an import file's text. All or nothing: either every conversation in
 * it is valid (and returned, ids kept) or the result says what is wrong and
 * where (a line and column for JSON syntax, a path such as
 * `conversations[2].messages[0].role` for a bad record). Never throws.
 */
export function parseImport(text: string, opts: ImportOptions = {}): ImportResult {
  const now = opts.now ?? Date.now();
  try {
    // Checked before anything else looks at the text. A UTF-16 code unit is
    // at least one UTF-8 byte, so only long texts need counting.
    if (text.length > MAX_IMPORT_BYTES) return { ok: false, error: checkFileSize(text.length)! };
    if (text.length > MAX_IMPORT_BYTES / 3) {
      const bytes = utf8Length(text, MAX_IMPORT_BYTES);
      if (bytes > MAX_IMPORT_BYTES) return { ok: false, error: checkFileSize(bytes)! };
    }
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (body.trim() === '') return { ok: false, error: 'The file is empty.' };
    const binary = binaryProblem(body);
    if (binary) return { ok: false, error: binary };
    const deep = tooDeepAt(body, MAX_IMPORT_DEPTH);
    if (deep >= 0) {
      const { line, column } = lineColumn(body, deep);
      return {
        ok: false,
        error: `The JSON is nested deeper than ${MAX_IMPORT_DEPTH} levels at line ${line}, column ${column}.`,
      };
    }
    const parsed = parseJson(body, 'The file is');
    if (!parsed.ok) return parsed;
    const value = parsed.value;
    const warnings: string[] = [];
    const dropped = dropProtoKeys(value);
    if (dropped) warnings.push(`Ignored ${dropped} "__proto__" key${dropped === 1 ? '' : 's'}.`);
    const { kind, conversations } = dispatch(value, now, warnings);
    if (conversations.length === 0) warnings.push('The file holds no conversations.');
    return { ok: true, kind, conversations: distinctIds(conversations, warnings), warnings };
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, error: err.message };
    return { ok: false, error: `The file could not be read: ${String(err)}` };
  }
}
