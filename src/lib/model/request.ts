import { isObject } from './json';
import { filePartToWire, type WireFilePart } from './media';
import { isReasoningModel, maxTokensKeyFor, mergeExtra, WIRE_PARAM_KEYS } from './params';
import type {
  Conversation,
  FilePart,
  ImagePart,
  Message,
  Params,
  SystemRole,
  ToolCall,
  ToolFormat,
  ToolsConfig,
} from './types';

export type WireToolCall =
  | { id: string; type: 'function'; function: { name: string; arguments: string } }
  | { id: string; type: 'custom'; custom: { name: string; input: string } };

/** A Chat Completions message as it goes on the wire. */
export type WireContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string } }
  | WireFilePart;

export interface WireMessage {
  role: string;
  content: string | null | WireContentPart[];
  name?: string;
  refusal?: string;
  tool_calls?: WireToolCall[];
  tool_call_id?: string;
  /** Legacy functions format: the one call of an assistant turn. */
  function_call?: { name: string; arguments: string };
  /** An earlier audio answer, referred to by its id. */
  audio?: { id: string };
}

/** The JSON body of POST /chat/completions, exactly as it will be sent. */
export interface RequestBody {
  model: string;
  messages: WireMessage[];
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  [param: string]: unknown;
}

const isEmptyObject = (v: unknown) => isObject(v) && Object.keys(v).length === 0;

/**
 * Keeps every set parameter (0, false and "" included) and drops the unset ones.
 * Max tokens goes under max_completion_tokens for reasoning models or when the
 * user chose that key.
 */
export function paramsToWire(params: Params, model = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of WIRE_PARAM_KEYS) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isEmptyObject(value)) continue;
    out[key] = value;
  }
  if (params.max_tokens !== undefined && params.max_tokens !== null) {
    out[maxTokensKeyFor(model, params.max_tokens_field)] = params.max_tokens;
  }
  return out;
}

function toWireToolCall(c: ToolCall): WireToolCall {
  return c.type === 'custom'
    ? { id: c.id, type: 'custom', custom: { name: c.name, input: c.arguments } }
    : { id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } };
}

/**
 * One stored message on the wire. In the legacy `functions` format an
 * assistant call goes out as `function_call` (that API has one call per turn)
 * and a tool result as a `function` message named after the function.
 */
/** A user turn with attachments: its text (when any), each image, then audio and documents, as content parts. */
function withParts(
  text: string,
  images: readonly ImagePart[],
  files: readonly FilePart[],
): WireContentPart[] {
  const parts: WireContentPart[] = text === '' ? [] : [{ type: 'text', text }];
  for (const image of images) {
    const url: { url: string; detail?: string } = { url: image.url };
    if (image.detail) url.detail = image.detail;
    parts.push({ type: 'image_url', image_url: url });
  }
  for (const file of files) parts.push(filePartToWire(file));
  return parts;
}

function toWireMessage(m: Message, format: ToolFormat = 'tools'): WireMessage {
  if (m.role === 'tool' && format === 'functions') {
    return { role: 'function', name: m.name ?? '', content: m.content };
  }
  const wire: WireMessage = { role: m.role, content: m.content };
  if (m.role === 'user' && (m.images?.length || m.files?.length)) {
    wire.content = withParts(m.content, m.images ?? [], m.files ?? []);
  }
  // A tool message has no `name` in the current API (it would be refused); the
  // function's name is kept for the legacy format and for the UI.
  if (m.name && m.role !== 'tool') wire.name = m.name;
  // A refusal is its own channel; without it the model would see an empty turn.
  if (m.role === 'assistant' && m.refusal) wire.refusal = m.refusal;
  const first = m.toolCalls?.[0];
  if (m.role === 'assistant' && first) {
    if (format === 'functions') {
      wire.function_call = { name: first.name, arguments: first.arguments };
    } else {
      wire.tool_calls = m.toolCalls!.map(toWireToolCall);
    }
    // An assistant turn that only called tools has no text: the API wants null, not "".
    if (m.content === '') wire.content = null;
  }
  // An audio answer is referred to by its id; its words are in the audio, not in content.
  if (m.role === 'assistant' && m.audio) {
    wire.audio = { id: m.audio.id };
    if (m.content === '') wire.content = null;
  }
  if (m.role === 'tool' && m.toolCallId !== undefined) wire.tool_call_id = m.toolCallId;
  return wire;
}

/**
 * Messages that belong in the next request: the system message (when not blank)
 * then the transcript. Answers that produced nothing (failed before any text)
 * are left out, since an empty assistant turn would change what the model sees.
 */
export function toWireMessages(
  conv: { systemMessage: string; systemRole?: SystemRole; messages: readonly Message[] },
  format: ToolFormat = 'tools',
) {
  const out: WireMessage[] = [];
  if (conv.systemMessage.trim() !== '') {
    out.push({ role: conv.systemRole ?? 'system', content: conv.systemMessage });
  }
  for (const m of conv.messages) {
    const empty = m.content === '' && !m.toolCalls?.length && !m.refusal && !m.audio;
    if (m.role === 'assistant' && empty) continue;
    out.push(toWireMessage(m, format));
  }
  return out;
}

export interface WireTools {
  /** The body keys the Tools region adds (tools/tool_choice/parallel_tool_calls or functions/function_call). */
  fields: Record<string, unknown>;
  /** Why the definitions are not sent (the text is not a JSON array); Send is blocked meanwhile. */
  error?: string;
}

/**
 * The Tools region on the wire. The definitions go exactly as typed (parsed
 * JSON, not rebuilt); a blank editor or an empty list sends nothing, and then
 * neither tool_choice nor parallel_tool_calls (the API refuses them alone).
 */
function toolsToWire(tools: ToolsConfig | undefined): WireTools {
  if (!tools || tools.json.trim() === '') return { fields: {} };
  let value: unknown;
  try {
    value = JSON.parse(tools.json);
  } catch {
    return { fields: {}, error: 'The tools JSON is not valid JSON.' };
  }
  if (!Array.isArray(value)) return { fields: {}, error: 'The tools JSON is not an array.' };
  if (value.length === 0) return { fields: {} };
  const choice = tools.choice;
  if (tools.format === 'functions') {
    const fields: Record<string, unknown> = { functions: value };
    if (choice !== undefined) {
      fields.function_call = typeof choice === 'string' ? choice : { name: choice.name };
    }
    return { fields };
  }
  const fields: Record<string, unknown> = { tools: value };
  if (choice !== undefined) {
    fields.tool_choice =
      typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
  }
  if (tools.parallel !== undefined) fields.parallel_tool_calls = tools.parallel;
  return { fields };
}

/**
 * The role the system message box goes with: the one chosen, else what the
 * model expects. OpenAI's reasoning models (o-series, gpt-5) take
 * instructions as `developer`; others, and OpenAI-compatible servers, `system`.
 */
export function systemRoleFor(model: string, chosen?: SystemRole): SystemRole {
  return chosen ?? (isReasoningModel(model) ? 'developer' : 'system');
}

type RequestInput = Pick<
  Conversation,
  'model' | 'systemMessage' | 'systemRole' | 'params' | 'stream'
> & {
  messages: readonly Message[];
  /** Absent: no tools (the messages then use the current format). */
  tools?: ToolsConfig;
};

export interface BuiltRequest {
  body: RequestBody;
  /** Keys the extra parameters override (they win). */
  conflicts: string[];
  /** Why the extra parameters could not be used; the body then has none of them. */
  extraError?: string;
  /** Why the tool definitions are not in the body. */
  toolsError?: string;
}

/** The request body plus what the extra parameters did to it. */
export function buildRequest(conv: RequestInput): BuiltRequest {
  const model = conv.model.trim();
  const tools = toolsToWire(conv.tools);
  const body: RequestBody = {
    model,
    messages: toWireMessages(
      { ...conv, systemRole: systemRoleFor(model, conv.systemRole) },
      conv.tools?.format,
    ),
    ...tools.fields,
    ...paramsToWire(conv.params, model),
  };
  if (conv.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  const merged = mergeExtra(body, conv.params.extra ?? '');
  const result: BuiltRequest = { body: merged.body as RequestBody, conflicts: merged.conflicts };
  if (merged.error) result.extraError = merged.error;
  if (tools.error) result.toolsError = tools.error;
  return result;
}

/** The request body for the next answer of this conversation, extras merged last. */
export function toRequestBody(conv: RequestInput): RequestBody {
  return buildRequest(conv).body;
}
