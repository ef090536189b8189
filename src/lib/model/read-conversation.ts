// The one gate every stored or imported conversation passes through
// (`migrateConversation`): version upgrades, then a reader per record part
// (messages, usage, timing, errors, log probabilities, panes) that copies
// only known, well-typed fields and names the path of the first wrong one.

import { readImageParts } from './images';
import { readAudioAnswer, readFileParts } from './media';
import { MAX_PANES } from './compare';
import { MAX_LISTED, MAX_STORED_CHUNKS, MAX_TOP_LOGPROBS } from './limits';
import { DEFAULT_MODEL, emptyTools, newId } from './conversation';
import {
  Fields,
  isFiniteNumber,
  isObject,
  isString,
  ShapeError,
  type JsonObject as Obj,
} from './json';
import { migrateParams, readOverrides, readTools } from './read-params';
import type { Result } from './result';
import {
  SCHEMA_VERSION,
  type AnswerChoice,
  type AppError,
  type CompareRecord,
  type ComparePane,
  type Conversation,
  type Message,
  type MessageStatus,
  type RequestRecord,
  type ResponseRecord,
  type Citation,
  type Role,
  type SystemRole,
  type Timing,
  type TokenLogprob,
  type ToolCall,
  type Usage,
} from './types';

/**
 * Upgrades a record from version N to N + 1. Version 0 is a record written
 * before schemaVersion existed; it already has the v1 shape.
 */
const MIGRATIONS: Readonly<Record<number, (raw: Obj) => Obj>> = {
  0: (raw) => ({ ...raw, schemaVersion: 1 }),
};

// Records (not arrays) so the compiler complains when types.ts adds a member.
const ROLES: Record<Role, true> = {
  system: true,
  developer: true,
  user: true,
  assistant: true,
  tool: true,
};
const SYSTEM_ROLES: Record<SystemRole, true> = { system: true, developer: true };
const STATUSES: Record<MessageStatus, true> = {
  streaming: true,
  done: true,
  stopped: true,
  stalled: true,
  incomplete: true,
  error: true,
  interrupted: true,
};
const ERROR_KINDS: Record<AppError['kind'], true> = {
  auth: true,
  rate_limit: true,
  too_large: true,
  quota: true,
  bad_request: true,
  not_found: true,
  server: true,
  network: true,
  stalled: true,
  stream: true,
  aborted: true,
  config: true,
  unknown: true,
};
const isCode = (v: unknown): v is string | number | null =>
  v === null || typeof v === 'string' || isFiniteNumber(v);

/**
 * A copy without the keys whose value is undefined, so optional fields are absent
 * rather than present-but-empty. A new object, not `delete` on this one: deleting
 * turns an object slow (a dictionary) for everything that reads it afterwards.
 */
function compact<T extends object>(o: T): T {
  const out: Partial<T> = {};
  for (const key in o) if (o[key] !== undefined) out[key] = o[key];
  return out as T;
}

function readToolCall(raw: unknown, path: string): ToolCall {
  const f = Fields.of(raw, path);
  const rawType = f.get('type') ?? 'function';
  const type = rawType === 'custom' ? 'custom' : 'function';
  if (rawType !== type) f.fail('type', '"function" or "custom"');
  return {
    id: f.str('id'),
    type,
    name: f.str('name'),
    arguments: f.str('arguments', ''),
  };
}

function readUsage(raw: unknown, path: string): Usage | null {
  if (raw === null) return null;
  const f = Fields.of(raw, path);
  return compact({
    prompt: f.count('prompt'),
    completion: f.count('completion'),
    total: f.count('total'),
    cachedPrompt: f.optCount('cachedPrompt'),
    reasoning: f.optCount('reasoning'),
    audioPrompt: f.optCount('audioPrompt'),
    audioCompletion: f.optCount('audioCompletion'),
  });
}

function readTiming(raw: unknown, path: string): Timing {
  const f = Fields.of(raw, path);
  return compact({
    startedAt: f.num('startedAt'),
    firstTokenAt: f.optNum('firstTokenAt'),
    endedAt: f.optNum('endedAt'),
  });
}

function readError(raw: unknown, path: string): AppError {
  const f = Fields.of(raw, path);
  return compact({
    kind: f.oneOf('kind', ERROR_KINDS) ?? 'unknown',
    message: f.str('message'),
    status: f.optNum('status'),
    apiMessage: f.optStr('apiMessage'),
    code: f.optional('code', isCode, 'a string, number or null'),
    param: f.nullableStr('param'),
    type: f.nullableStr('type'),
    requestId: f.optStr('requestId'),
    retryable: f.bool('retryable', false),
    retryAfterMs: f.optNum('retryAfterMs'),
    fixInSettings: f.optBool('fixInSettings'),
    hint: f.optStr('hint'),
  });
}

// The answer-side records (log probabilities, choices, request inspector).

const isByteList = (v: unknown): v is number[] | null =>
  v === null || (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255));
const isHeaderList = (v: unknown): v is [string, string][] =>
  Array.isArray(v) &&
  v.every((h) => Array.isArray(h) && h.length === 2 && isString(h[0]) && isString(h[1]));

function readTopLogprob(raw: unknown, path: string): TokenLogprob['topLogprobs'][number] {
  const f = Fields.of(raw, path);
  return compact({
    token: f.str('token'),
    logprob: f.num('logprob'),
    bytes: f.optional('bytes', isByteList, 'an array of bytes or null'),
  });
}

function readTokenLogprob(raw: unknown, path: string): TokenLogprob {
  const f = Fields.of(raw, path);
  return compact({
    token: f.str('token'),
    logprob: f.num('logprob'),
    bytes: f.optional('bytes', isByteList, 'an array of bytes or null'),
    topLogprobs: f.list('topLogprobs', readTopLogprob, MAX_TOP_LOGPROBS) ?? [],
  });
}

function readCitation(raw: unknown, path: string): Citation {
  const f = Fields.of(raw, path);
  return compact({
    url: f.str('url'),
    title: f.str('title', ''),
    start: f.optCount('start'),
    end: f.optCount('end'),
  });
}

function readChoice(raw: unknown, path: string): AnswerChoice {
  const f = Fields.of(raw, path);
  return compact({
    content: f.get('content') === null ? '' : f.str('content', ''),
    refusal: f.optStr('refusal'),
    reasoning: f.optStr('reasoning'),
    citations: f.list('citations', readCitation, MAX_LISTED),
    finishReason: f.nullableStr('finishReason'),
    toolCalls: f.list('toolCalls', readToolCall, MAX_LISTED),
    logprobs: f.list('logprobs', readTokenLogprob),
    refusalLogprobs: f.list('refusalLogprobs', readTokenLogprob),
  });
}

function readRequestRecord(raw: unknown, path: string): RequestRecord {
  const f = Fields.of(raw, path);
  return {
    method: f.str('method', 'POST'),
    url: f.str('url'),
    headers: (f.optional('headers', isHeaderList, 'a list of [name, value]') ?? []).map(
      ([name, value]) => [name, value] as [string, string],
    ),
    body: f.str('body', ''),
  };
}

function readResponseRecord(raw: unknown, path: string): ResponseRecord {
  const f = Fields.of(raw, path);
  const chunks = f.list(
    'chunks',
    (v, p) => {
      if (!isString(v)) throw new ShapeError(`${p}: expected a string`);
      return v;
    },
    MAX_STORED_CHUNKS,
  );
  return compact({
    status: f.count('status'),
    headers: (f.optional('headers', isHeaderList, 'a list of [name, value]') ?? []).map(
      ([name, value]) => [name, value] as [string, string],
    ),
    chunks,
    chunksOmitted: f.optCount('chunksOmitted'),
    body: f.optStr('body'),
    id: f.optStr('id'),
    systemFingerprint: f.nullableStr('systemFingerprint'),
  });
}

function readMessage(raw: unknown, path: string): Message {
  const f = Fields.of(raw, path);
  const role = f.oneOf('role', ROLES) ?? f.fail('role', `one of ${Object.keys(ROLES).join(', ')}`);
  const status = f.oneOf('status', STATUSES);
  const usage = f.get('usage');
  const timing = f.get('timing');
  const error = f.get('error');
  const request = f.get('request');
  const response = f.get('response');
  return compact({
    id: f.optStr('id') || newId(),
    role,
    // The wire format uses null for "no text"; our records use "".
    content: f.get('content') === null ? '' : f.str('content', ''),
    refusal: f.optStr('refusal'),
    reasoning: f.optStr('reasoning'),
    citations: f.list('citations', readCitation, MAX_LISTED),
    images: role === 'user' ? readImageParts(f.get('images')) : undefined,
    files: role === 'user' ? readFileParts(f.get('files')) : undefined,
    audio: role === 'assistant' ? readAudioAnswer(f.get('audio')) : undefined,
    toolCalls: f.list('toolCalls', readToolCall, MAX_LISTED),
    toolCallId: f.optStr('toolCallId'),
    name: f.optStr('name'),
    // A record still marked streaming was saved by a page that then died
    // mid-answer; nothing will ever finish it. The partial text stays.
    status: status === 'streaming' ? 'interrupted' : status,
    finishReason: f.nullableStr('finishReason'),
    usage: usage === undefined ? undefined : readUsage(usage, f.at('usage')),
    model: f.optStr('model'),
    timing: timing === undefined ? undefined : readTiming(timing, f.at('timing')),
    error: error === undefined ? undefined : readError(error, f.at('error')),
    requestId: f.optStr('requestId'),
    logprobs: f.list('logprobs', readTokenLogprob),
    refusalLogprobs: f.list('refusalLogprobs', readTokenLogprob),
    choices: f.list('choices', readChoice, MAX_LISTED),
    chosen: f.optCount('chosen'),
    ignored: f.optCount('ignored'),
    request: request === undefined ? undefined : readRequestRecord(request, f.at('request')),
    response: response === undefined ? undefined : readResponseRecord(response, f.at('response')),
  });
}

function readPane(raw: unknown, path: string): ComparePane {
  const f = Fields.of(raw, path);
  const tools = f.get('tools');
  return compact({
    id: f.optStr('id') || newId(),
    model: f.str('model', DEFAULT_MODEL),
    overrides: readOverrides(f.get('overrides')),
    stream: f.optBool('stream'),
    systemMessage: f.optStr('systemMessage'),
    tools: tools === undefined ? undefined : readTools(tools, f.at('tools')),
    linkedHistory: f.bool('linkedHistory', true),
    messages: f.list('messages', readMessage) ?? [],
    label: f.optStr('label'),
  });
}

function readCompare(raw: unknown, path: string): CompareRecord {
  const f = Fields.of(raw, path);
  return {
    active: f.bool('active', false),
    panes: f.list('panes', readPane, MAX_PANES) ?? [],
  };
}

/** Builds a fresh current-version object from an already-upgraded record. */
function readConversation(f: Fields): Conversation {
  const id = f.str('id');
  if (id === '') f.fail('id', 'a non-empty string');
  const createdAt = f.optNum('createdAt');
  const updatedAt = f.optNum('updatedAt');
  const compare = f.get('compare');
  return compact({
    schemaVersion: SCHEMA_VERSION,
    id,
    title: f.str('title', ''),
    createdAt: createdAt ?? updatedAt ?? 0,
    updatedAt: updatedAt ?? createdAt ?? 0,
    systemMessage: f.str('systemMessage', ''),
    systemRole: f.oneOf('systemRole', SYSTEM_ROLES),
    draftImages: readImageParts(f.get('draftImages')),
    draftFiles: readFileParts(f.get('draftFiles')),
    model: f.str('model', DEFAULT_MODEL),
    stream: f.bool('stream', true),
    params: migrateParams(f.get('params')),
    tools: f.get('tools') === undefined ? emptyTools() : readTools(f.get('tools'), f.at('tools')),
    messages: f.list('messages', readMessage) ?? f.fail('messages', 'an array'),
    draft: f.str('draft', ''),
    compare: compare === undefined ? undefined : readCompare(compare, f.at('compare')),
  });
}

function upgrade(f: Fields): Fields {
  const version = f.optCount('schemaVersion') ?? 0;
  if (version > SCHEMA_VERSION) {
    throw new ShapeError(
      `This conversation was made by a newer Parley (schema version ${version}; this one reads up to ${SCHEMA_VERSION}). Update Parley to open it.`,
    );
  }
  let raw = f.o;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new ShapeError(`schemaVersion: no migration from version ${v}`);
    raw = step(raw);
  }
  return new Fields(raw, f.path);
}

/**
 * Validates and upgrades a stored or imported conversation. Only known keys
 * are copied into fresh objects, so `__proto__` and unknown keys never reach
 * the app. Never throws.
 */
export function migrateConversation(raw: unknown): Result<Conversation> {
  try {
    if (!isObject(raw)) return { ok: false, error: 'expected a conversation object' };
    return { ok: true, value: readConversation(upgrade(new Fields(raw, ''))) };
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, error: err.message };
    return { ok: false, error: `unreadable conversation: ${String(err)}` };
  }
}
