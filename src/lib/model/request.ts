import { maxTokensKeyFor, mergeExtra } from './params';
import type { Conversation, Message, Params } from './types';

/** A Chat Completions message as it goes on the wire. */
export interface WireMessage {
  role: string;
  content: string | null;
  name?: string;
  refusal?: string;
  tool_calls?: {
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }[];
  tool_call_id?: string;
}

/** The JSON body of POST /chat/completions, exactly as it will be sent. */
export interface RequestBody {
  model: string;
  messages: WireMessage[];
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  [param: string]: unknown;
}

// Sent under their own names. max_tokens is placed separately (its key depends on
// the model), and max_tokens_field and extra only shape the body.
const PARAM_KEYS = [
  'temperature',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'stop',
  'seed',
  'n',
  'user',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'response_format',
  'reasoning_effort',
] as const satisfies readonly (keyof Params)[];

const isEmptyObject = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/**
 * Keeps every set parameter (0, false and "" included) and drops the unset ones.
 * Max tokens goes under max_completion_tokens for reasoning models or when the
 * user chose that key.
 */
export function paramsToWire(params: Params, model = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of PARAM_KEYS) {
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

export function toWireMessage(m: Message): WireMessage {
  const wire: WireMessage = { role: m.role, content: m.content };
  if (m.name) wire.name = m.name;
  // A refusal is its own channel; without it the model would see an empty turn.
  if (m.role === 'assistant' && m.refusal) wire.refusal = m.refusal;
  if (m.role === 'assistant' && m.toolCalls?.length) {
    wire.tool_calls = m.toolCalls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
    // An assistant turn that only called tools has no text: the API wants null, not "".
    if (m.content === '') wire.content = null;
  }
  if (m.role === 'tool' && m.toolCallId) wire.tool_call_id = m.toolCallId;
  return wire;
}

/**
 * Messages that belong in the next request: the system message (when not blank)
 * then the transcript. Answers that produced nothing (failed before any text)
 * are left out, since an empty assistant turn would change what the model sees.
 */
export function toWireMessages(conv: Pick<Conversation, 'systemMessage' | 'messages'>) {
  const out: WireMessage[] = [];
  if (conv.systemMessage.trim() !== '') out.push({ role: 'system', content: conv.systemMessage });
  for (const m of conv.messages) {
    const empty = m.content === '' && !m.toolCalls?.length && !m.refusal;
    if (m.role === 'assistant' && empty) continue;
    out.push(toWireMessage(m));
  }
  return out;
}

type RequestInput = Pick<
  Conversation,
  'model' | 'systemMessage' | 'messages' | 'params' | 'stream'
>;

export interface BuiltRequest {
  body: RequestBody;
  /** Keys the extra parameters override (they win). */
  conflicts: string[];
  /** Why the extra parameters could not be used; the body then has none of them. */
  extraError?: string;
}

/** The request body plus what the extra parameters did to it. */
export function buildRequest(conv: RequestInput): BuiltRequest {
  const model = conv.model.trim();
  const body: RequestBody = {
    model,
    messages: toWireMessages(conv),
    ...paramsToWire(conv.params, model),
  };
  if (conv.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  const merged = mergeExtra(body, conv.params.extra ?? '');
  const result: BuiltRequest = { body: merged.body as RequestBody, conflicts: merged.conflicts };
  if (merged.error) result.extraError = merged.error;
  return result;
}

/** The request body for the next answer of this conversation, extras merged last. */
export function toRequestBody(conv: RequestInput): RequestBody {
  return buildRequest(conv).body;
}
