// The newer fields of CreateChatCompletionRequest (OpenAI's spec): the kind of
// value each takes, how a stored or imported value is read, and what is wrong
// with a value. Sent under their own names by paramsToWire. What the panel
// shows of them (help, examples) is request-field-ui.ts; which models may refuse
// them is family-refusal.ts: neither is needed before the panel opens.

import { isBoolean, isObject, isString, type Fields } from './json';
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

/**
 * The control a field needs: `choice` one value of a set (a select), `flag`
 * on or off, `text` a few words, `set` several values (checkboxes), `object`
 * a JSON object. Unset, none is sent.
 */
export interface FieldShape {
  kind: 'choice' | 'flag' | 'text' | 'set' | 'object';
  /** The control's accessible name, also used in messages. */
  label: string;
  values?: readonly string[];
  maxLength?: number;
  /** What is wrong with an object value, or undefined. */
  check?: (value: Record<string, unknown>) => string | undefined;
}

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

function checkModeration(value: Record<string, unknown>): string | undefined {
  return isString(value.model)
    ? undefined
    : 'Moderation needs a model, like {"model": "omni-moderation-latest"}.';
}

/** Every newer field, in the order the panel lists them. */
export const FIELD_SHAPES: Readonly<Record<RequestFieldKey, FieldShape>> = {
  service_tier: {
    kind: 'choice',
    label: 'Service tier',
    values: ['auto', 'default', 'flex', 'scale', 'priority', 'fast'],
  },
  verbosity: { kind: 'choice', label: 'Verbosity', values: ['low', 'medium', 'high'] },
  store: { kind: 'flag', label: 'Store' },
  modalities: { kind: 'set', label: 'Modalities', values: ['text', 'audio'] },
  audio: { kind: 'object', label: 'Audio output', check: checkAudio },
  safety_identifier: { kind: 'text', label: 'Safety identifier', maxLength: 64 },
  prompt_cache_key: { kind: 'text', label: 'Prompt cache key' },
  prompt_cache_retention: {
    kind: 'choice',
    label: 'Prompt cache retention',
    values: ['in_memory', '24h'],
  },
  prompt_cache_options: { kind: 'object', label: 'Prompt cache options' },
  metadata: { kind: 'object', label: 'Metadata', check: checkMetadata },
  web_search_options: { kind: 'object', label: 'Web search options' },
  prediction: { kind: 'object', label: 'Prediction', check: checkPrediction },
  moderation: { kind: 'object', label: 'Moderation', check: checkModeration },
};

const SHAPES = Object.entries(FIELD_SHAPES) as [RequestFieldKey, FieldShape][];

/** Reads the newer fields from stored or imported params into `out`; a badly typed one is left unset. */
export function readRequestFields(f: Fields, out: Params): void {
  const target = out as Record<string, unknown>;
  for (const [key, field] of SHAPES) {
    const v = f.get(key);
    if (v === undefined) continue;
    if (field.kind === 'choice' && isString(v) && field.values?.includes(v)) target[key] = v;
    if (field.kind === 'flag' && isBoolean(v)) target[key] = v;
    if (field.kind === 'text' && isString(v)) target[key] = v;
    if (
      field.kind === 'set' &&
      Array.isArray(v) &&
      v.every((x) => isString(x) && field.values?.includes(x))
    ) {
      target[key] = [...new Set(v as string[])];
    }
    if (field.kind === 'object' && isObject(v)) {
      target[key] = JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
    }
  }
}

/** What is wrong with the newer fields that are set, each with its key. */
export function checkRequestFields(params: Params): { key: RequestFieldKey; error: string }[] {
  const errors: { key: RequestFieldKey; error: string }[] = [];
  for (const [key, field] of SHAPES) {
    const v = params[key];
    if (v === undefined) continue;
    if (field.kind === 'text' && field.maxLength && typeof v === 'string') {
      if (v.length > field.maxLength) {
        errors.push({
          key,
          error: `${field.label} takes up to ${field.maxLength} characters (got ${v.length}).`,
        });
      }
    }
    if (field.kind === 'object' && field.check && isObject(v)) {
      const error = field.check(v);
      if (error) errors.push({ key, error });
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
