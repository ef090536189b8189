// What the demo reads from a request body. The body is whatever the page
// sends (extra JSON included), so nothing in it is trusted: every field is
// checked and a missing or odd one has a default.

import { DEMO_MODELS, type DemoModel } from '../../model/demo';

export interface DemoTool {
  name: string;
  /** The function's JSON Schema, when it has one. */
  parameters: unknown;
}

export interface DemoMessage {
  role: string;
  /** The text parts, joined. */
  text: string;
  /** A tool message's call id. */
  toolCallId?: string;
  /** An assistant turn's calls: id → function name. */
  calls?: [string, string][];
}

export interface DemoRequest {
  /** The voice: one of the demo's models (another id is given one by its hash). */
  model: DemoModel;
  messages: DemoMessage[];
  /** Functions a call may go to, the one `tool_choice` names first; empty: answer in text. */
  tools: DemoTool[];
  /** The legacy `functions` format: answer with `function_call`. */
  legacy: boolean;
  stream: boolean;
  includeUsage: boolean;
  n: number;
  logprobs: boolean;
  topLogprobs: number;
  /** Tokens per choice at most (`max_completion_tokens` or `max_tokens`). */
  maxTokens: number | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function int(v: unknown, min: number, max: number): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return Math.min(max, Math.max(min, Math.round(v)));
}

/** FNV-1a: the same input always gives the same answer. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) && part.type === 'text' ? str(part.text) : ''))
    .filter(Boolean)
    .join('\n');
}

function readMessage(m: unknown): DemoMessage | null {
  if (!isObject(m)) return null;
  const out: DemoMessage = { role: str(m.role), text: textOf(m.content) };
  if (typeof m.tool_call_id === 'string') out.toolCallId = m.tool_call_id;
  const calls: [string, string][] = [];
  if (Array.isArray(m.tool_calls)) {
    for (const c of m.tool_calls) {
      if (isObject(c) && isObject(c.function)) calls.push([str(c.id), str(c.function.name)]);
    }
  }
  if (isObject(m.function_call)) calls.push(['', str(m.function_call.name)]);
  if (calls.length) out.calls = calls;
  // A legacy `function` message names its function instead of a call id.
  if (out.role === 'function') out.calls = [['', str(m.name)]];
  return out;
}

function readFunctions(list: unknown, legacy: boolean): DemoTool[] {
  if (!Array.isArray(list)) return [];
  const tools: DemoTool[] = [];
  for (const t of list) {
    const fn = legacy ? t : isObject(t) && t.type === 'function' ? t.function : null;
    if (isObject(fn) && str(fn.name)) tools.push({ name: str(fn.name), parameters: fn.parameters });
  }
  return tools;
}

/** The tools a call may go to under `choice`: none for 'none', the named one first. */
function chosenTools(tools: DemoTool[], choice: unknown): DemoTool[] {
  if (choice === 'none') return [];
  const named = isObject(choice)
    ? str(isObject(choice.function) ? choice.function.name : choice.name)
    : '';
  const pick = tools.find((t) => t.name === named);
  return pick ? [pick, ...tools.filter((t) => t !== pick)] : tools;
}

function voiceFor(model: string): DemoModel {
  const own = DEMO_MODELS.find((m) => m === model);
  return own ?? DEMO_MODELS[hashOf(model) % DEMO_MODELS.length]!;
}

/** The request as the demo understands it, or why it cannot (a 400's message). */
export function readDemoRequest(body: unknown): DemoRequest | string {
  if (!isObject(body)) return 'The request body must be a JSON object.';
  if (!Array.isArray(body.messages)) return "Missing required parameter: 'messages'.";
  const messages = body.messages.map(readMessage).filter((m): m is DemoMessage => m !== null);
  const legacy = body.tools === undefined && Array.isArray(body.functions);
  const tools = legacy
    ? chosenTools(readFunctions(body.functions, true), body.function_call)
    : chosenTools(readFunctions(body.tools, false), body.tool_choice);
  const options = isObject(body.stream_options) ? body.stream_options : {};
  return {
    model: voiceFor(str(body.model)),
    messages,
    tools,
    legacy,
    stream: body.stream === true,
    includeUsage: options.include_usage === true,
    n: int(body.n, 1, 128) ?? 1,
    logprobs: body.logprobs === true,
    topLogprobs: body.logprobs === true ? (int(body.top_logprobs, 0, 20) ?? 0) : 0,
    maxTokens: int(body.max_completion_tokens ?? body.max_tokens, 1, 1_000_000),
  };
}
