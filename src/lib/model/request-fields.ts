// The newer fields of CreateChatCompletionRequest (OpenAI's spec), each with
// the control that fits it, how a stored or imported value is read, what is
// wrong with a value, and which models are known to refuse it (a warning,
// never a silent drop). Sent under their own names by paramsToWire.

import { isBoolean, isObject, isString, type Fields } from './json';
import { isReasoningModel } from './model-family';
import type { Params } from './types';

export type RequestFieldKey =
  | 'service_tier'
  | 'verbosity'
  | 'store'
  | 'modalities'
  | 'audio'
  | 'safety_identifier'
  | 'prompt_cache_key'
  | 'prompt_cache_retention'
  | 'prompt_cache_options'
  | 'metadata'
  | 'web_search_options'
  | 'prediction'
  | 'moderation';

interface Base {
  key: RequestFieldKey;
  /** The control's accessible name. */
  label: string;
  help: string;
  /** When the model is known and is not of the family that takes this field, why it may be refused. */
  refusedBy?: (model: string) => string | undefined;
}

/** One value of a set, from a select. */
export interface ChoiceField extends Base {
  kind: 'choice';
  values: readonly string[];
}
/** On or off; off is not sent. */
export interface FlagField extends Base {
  kind: 'flag';
}
/** A few words; empty is not sent. */
export interface TextField extends Base {
  kind: 'text';
  maxLength?: number;
}
/** Several values of a set, from checkboxes; none is not sent. */
export interface SetField extends Base {
  kind: 'set';
  values: readonly string[];
}
/** A JSON object, typed in a JSON box; empty is not sent. */
export interface ObjectField extends Base {
  kind: 'object';
  example: string;
  check?: (value: Record<string, unknown>) => string | undefined;
}

export type RequestField = ChoiceField | FlagField | TextField | SetField | ObjectField;

const knownOpenAi = (model: string) => /^(?:ft:)?(?:gpt-|o\d|chatgpt-)/i.test(model.trim());

/** GPT-5 and the o-series take verbosity; other OpenAI models refuse it. */
const reasoningOnly = (what: string) => (model: string) =>
  knownOpenAi(model) && !isReasoningModel(model)
    ? `${model} may refuse ${what}: OpenAI's GPT-5 and o-series models take it.`
    : undefined;

const audioOnly = (model: string) =>
  knownOpenAi(model) && !/audio/i.test(model)
    ? `${model} may refuse audio output: the gpt-4o-audio models take it.`
    : undefined;

const searchOnly = (model: string) =>
  knownOpenAi(model) && !/search/i.test(model)
    ? `${model} may refuse web search: the *-search-preview models take it.`
    : undefined;

function checkMetadata(value: Record<string, unknown>): string | undefined {
  const entries = Object.entries(value);
  if (entries.length > 16) return `Metadata takes at most 16 keys (got ${entries.length}).`;
  for (const [k, v] of entries) {
    if (k.length > 64) return `Metadata key "${k.slice(0, 20)}…" is longer than 64 characters.`;
    if (typeof v !== 'string') return `Metadata value of "${k}" must be a string.`;
    if (v.length > 512) return `Metadata value of "${k}" is longer than 512 characters.`;
  }
  return undefined;
}

function checkAudio(value: Record<string, unknown>): string | undefined {
  if (value.voice === undefined || value.format === undefined) {
    return 'Audio needs a voice and a format, like {"voice": "alloy", "format": "wav"}.';
  }
  return undefined;
}

function checkPrediction(value: Record<string, unknown>): string | undefined {
  if (value.type !== 'content' || value.content === undefined) {
    return 'A prediction is {"type": "content", "content": "the text you expect"}.';
  }
  return undefined;
}

export const REQUEST_FIELDS: readonly RequestField[] = [
  {
    key: 'service_tier',
    kind: 'choice',
    label: 'Service tier',
    values: ['auto', 'default', 'flex', 'scale', 'priority', 'fast'],
    help: 'Which processing tier serves the request (flex is cheaper and slower, priority faster); the answer says which was used.',
  },
  {
    key: 'verbosity',
    kind: 'choice',
    label: 'Verbosity',
    values: ['low', 'medium', 'high'],
    help: 'How long and detailed the answer is; the API default is medium.',
    refusedBy: reasoningOnly('verbosity'),
  },
  {
    key: 'store',
    kind: 'flag',
    label: 'Store',
    help: 'Keep this completion on OpenAI for distillation and evals (off: not sent, the API default).',
  },
  {
    key: 'modalities',
    kind: 'set',
    label: 'Modalities',
    values: ['text', 'audio'],
    help: 'What the answer may contain; text and audio needs an audio model and the Audio field.',
    refusedBy: (model) => audioOnly(model),
  },
  {
    key: 'audio',
    kind: 'object',
    label: 'Audio output',
    example: '{"voice": "alloy", "format": "wav"}',
    help: 'The voice and format of an audio answer; required when modalities include audio.',
    check: checkAudio,
    refusedBy: audioOnly,
  },
  {
    key: 'safety_identifier',
    kind: 'text',
    label: 'Safety identifier',
    maxLength: 64,
    help: 'A stable, hashed id of your end user, so OpenAI can tell abuse apart (up to 64 characters).',
  },
  {
    key: 'prompt_cache_key',
    kind: 'text',
    label: 'Prompt cache key',
    help: 'Groups similar requests for better prompt cache hits; replaces User for caching.',
  },
  {
    key: 'prompt_cache_retention',
    kind: 'choice',
    label: 'Prompt cache retention',
    values: ['in_memory', '24h'],
    help: 'Deprecated in favour of Prompt cache options: 24h keeps cached prefixes up to a day.',
  },
  {
    key: 'prompt_cache_options',
    kind: 'object',
    label: 'Prompt cache options',
    example: '{"ttl": "30m", "mode": "implicit"}',
    help: 'The minimum cache lifetime (ttl) and whether OpenAI adds an implicit breakpoint (mode).',
  },
  {
    key: 'metadata',
    kind: 'object',
    label: 'Metadata',
    example: '{"experiment": "a1"}',
    help: 'Up to 16 string values to find this completion by later (keys up to 64, values up to 512 characters).',
    check: checkMetadata,
  },
  {
    key: 'web_search_options',
    kind: 'object',
    label: 'Web search options',
    example: '{"search_context_size": "medium"}',
    help: 'Lets a search model search the web; its sources come back as citations under the answer.',
    refusedBy: searchOnly,
  },
  {
    key: 'prediction',
    kind: 'object',
    label: 'Prediction',
    example: '{"type": "content", "content": "text you expect back"}',
    help: 'A Predicted Output: text the answer will mostly repeat, so it comes faster.',
    check: checkPrediction,
  },
  {
    key: 'moderation',
    kind: 'object',
    label: 'Moderation',
    example: '{"model": "omni-moderation-latest"}',
    help: 'Runs moderation on the input and the answer with the model named.',
    check: (v) =>
      isString(v.model)
        ? undefined
        : 'Moderation needs a model, like {"model": "omni-moderation-latest"}.',
  },
];

/**
 * Spec fields Parley sends without a field of their own, and why: the list the
 * spec-coverage test holds the spec against.
 */
export const COVERED_ELSEWHERE: Readonly<Record<string, string>> = {
  messages: 'the transcript and the system message',
  model: 'the Model field',
  stream: 'the Stream switch',
  stream_options: 'sent as {"include_usage": true} with every stream, for usage',
  max_completion_tokens: 'Max tokens, sent under this name per the Max tokens field',
  tools: 'the Tools region',
  tool_choice: 'the Tools region',
  parallel_tool_calls: 'the Tools region',
  functions: 'the Tools region in the legacy functions format (deprecated)',
  function_call: 'the Tools region in the legacy functions format (deprecated)',
};

/** Reads the newer fields from stored or imported params into `out`; a badly typed one is left unset. */
export function readRequestFields(f: Fields, out: Params): void {
  const target = out as Record<string, unknown>;
  for (const field of REQUEST_FIELDS) {
    const v = f.get(field.key);
    if (v === undefined) continue;
    if (field.kind === 'choice' && isString(v) && field.values.includes(v)) target[field.key] = v;
    if (field.kind === 'flag' && isBoolean(v)) target[field.key] = v;
    if (field.kind === 'text' && isString(v)) target[field.key] = v;
    if (field.kind === 'set' && Array.isArray(v) && v.every((x) => field.values.includes(x))) {
      target[field.key] = [...new Set(v as string[])];
    }
    if (field.kind === 'object' && isObject(v)) {
      target[field.key] = JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
    }
  }
}

/** What is wrong with the newer fields that are set, each with its key. */
export function checkRequestFields(params: Params): { key: RequestFieldKey; error: string }[] {
  const errors: { key: RequestFieldKey; error: string }[] = [];
  for (const field of REQUEST_FIELDS) {
    const v = params[field.key];
    if (v === undefined) continue;
    if (field.kind === 'text' && field.maxLength && typeof v === 'string') {
      if (v.length > field.maxLength) {
        errors.push({
          key: field.key,
          error: `${field.label} takes up to ${field.maxLength} characters (got ${v.length}).`,
        });
      }
    }
    if (field.kind === 'object' && field.check && isObject(v)) {
      const error = field.check(v);
      if (error) errors.push({ key: field.key, error });
    }
  }
  if (params.modalities?.includes('audio') && params.audio === undefined) {
    errors.push({
      key: 'audio',
      error: 'Audio output needs Audio output set, like {"voice": "alloy", "format": "wav"}.',
    });
  }
  return errors;
}

/** Why `model` may refuse `field` (a warning shown beside it), or undefined. */
export function refusalWarning(field: RequestField, model: string): string | undefined {
  return field.refusedBy?.(model);
}
