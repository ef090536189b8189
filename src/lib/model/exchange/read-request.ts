// A bare Chat Completions request body becomes one conversation: messages,
// parameters Parley can hold (so it sends them back unchanged), the Tools
// region; every other key is kept as extra parameters, and what is left out
// is said in warnings.

import { MAX_IMAGES, readImagePart } from '../images';
import { MAX_FILES, readAudioPart, readDocumentPart } from '../media';
import { createConversation, DEFAULT_MODEL, newId } from '../conversation';
import {
  isFiniteNumber,
  isObject,
  isString,
  own,
  sameJson,
  ShapeError,
  type JsonObject as Obj,
} from '../json';
import { maxTokensKeyFor, WIRE_PARAM_KEYS } from '../params';
import { migrateParams } from '../read-params';
import { paramsToWire, systemRoleFor } from '../request';
import type {
  Conversation,
  FilePart,
  ImagePart,
  Message,
  Params,
  Role,
  SystemRole,
  ToolCall,
  ToolChoice,
  ToolsConfig,
} from '../types';

const WIRE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

/** Message keys Parley reads; others (annotations…) are left out with a warning. */
const WIRE_MESSAGE_KEYS = new Set([
  'audio',
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
  images?: ImagePart[];
  files?: FilePart[];
}

/** A wire `input_audio` or `file` content part as Parley keeps it, or undefined. */
function filePartFromWire(type: unknown, inner: unknown): FilePart | undefined {
  if (!isObject(inner)) return undefined;
  if (type === 'input_audio') return readAudioPart({ ...inner, name: undefined });
  if (type === 'file') {
    const name = own(inner, 'filename');
    return readDocumentPart({ name, data: own(inner, 'file_data'), fileId: own(inner, 'file_id') });
  }
  return undefined;
}

function readContent(raw: unknown, path: string, skipped: LeftOut): ContentText {
  if (raw === undefined || raw === null) return { text: '' };
  if (isString(raw)) return { text: raw };
  if (!Array.isArray(raw)) {
    throw new ShapeError(`${path}: expected a string, null or an array of content parts`);
  }
  const texts: string[] = [];
  const refusals: string[] = [];
  const images: ImagePart[] = [];
  const files: FilePart[] = [];
  raw.forEach((part, i) => {
    if (isString(part)) return void texts.push(part);
    if (!isObject(part)) throw new ShapeError(`${path}[${i}]: expected a content part object`);
    const type = own(part, 'type');
    const text = own(part, 'text');
    const refusal = own(part, 'refusal');
    const image = type === 'image_url' ? readImagePart(own(part, 'image_url')) : undefined;
    const file = isString(type) ? filePartFromWire(type, own(part, type)) : undefined;
    if (type === 'text' && isString(text)) texts.push(text);
    else if (type === 'refusal' && isString(refusal)) refusals.push(refusal);
    else if (image && images.length < MAX_IMAGES) images.push(image);
    else if (file && files.length < MAX_FILES) files.push(file);
    else skipped.parts.add(isString(type) ? type : 'unknown');
  });
  const out: ContentText = { text: texts.join('\n') };
  if (refusals.length) out.refusal = refusals.join('\n');
  if (images.length) out.images = images;
  if (files.length) out.files = files;
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
  if (content.images) {
    if (m.role === 'user') m.images = content.images;
    else skipped.parts.add('image_url');
  }
  if (content.files) {
    if (m.role === 'user') m.files = content.files;
    else
      for (const f of content.files) skipped.parts.add(f.kind === 'audio' ? 'input_audio' : 'file');
  }
  // An earlier audio answer, by id: kept so that sending again refers to it.
  const audio = own(raw, 'audio');
  if (role === 'assistant' && isObject(audio) && isString(own(audio, 'id'))) {
    m.audio = { id: own(audio, 'id') as string, data: '', format: 'pcm16', transcript: '' };
  } else if (audio !== undefined && audio !== null) skipped.keys.add('audio');
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

export function readRequestBody(body: Obj, now: number, warnings: string[]): Conversation {
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

  // A leading system (or developer) message is the conversation's system
  // message, sent again with the role it had (chosen, where the model's own
  // would differ).
  let systemMessage = '';
  let systemRole: SystemRole | undefined;
  const first = messages[0];
  if (
    first &&
    (first.role === 'system' || first.role === 'developer') &&
    first.content.trim() !== '' &&
    first.name === undefined
  ) {
    systemMessage = first.content;
    messages.shift();
    if (first.role !== systemRoleFor(model ?? DEFAULT_MODEL)) systemRole = first.role;
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

  const conv = createConversation({
    model,
    systemMessage,
    systemRole,
    params,
    stream: stream === true,
    tools,
  });
  conv.messages = messages;
  conv.createdAt = now;
  conv.updatedAt = now;
  return conv;
}
