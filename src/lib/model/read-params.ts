// Reading the request setup from untrusted data (stored records, imports,
// presets): parameters, response format, a pane's overrides and the Tools
// region. Only well-typed values are kept, copied into fresh objects.

import {
  Fields,
  isBoolean,
  isFiniteNumber,
  isObject,
  isString,
  own,
  type JsonObject,
} from './json';
import { NUMERIC_PARAMS, PARAM_KEYS, REASONING_EFFORTS } from './params';
import { readRequestFields } from './request-fields';
import type {
  ParamOverrides,
  Params,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
  ToolsConfig,
} from './types';

const MAX_TOKENS_FIELDS: Record<NonNullable<Params['max_tokens_field']>, true> = {
  auto: true,
  max_tokens: true,
  max_completion_tokens: true,
};

/** Keeps only well-typed parameters; anything else is unset (never sent). */
export function migrateParams(raw: unknown): Params {
  if (!isObject(raw)) return {};
  const f = new Fields(raw, 'params');
  const out: Params = {};
  for (const { key } of NUMERIC_PARAMS) {
    const v = f.get(key);
    if (isFiniteNumber(v)) out[key] = v;
  }
  const stop = f.get('stop');
  if (Array.isArray(stop) && stop.every(isString)) out.stop = [...stop];
  const user = f.get('user');
  if (isString(user)) out.user = user;
  const logprobs = f.get('logprobs');
  if (isBoolean(logprobs)) out.logprobs = logprobs;
  const bias = f.get('logit_bias');
  if (isObject(bias) && Object.keys(bias).length && Object.values(bias).every(isFiniteNumber)) {
    out.logit_bias = Object.fromEntries(Object.entries(bias)) as Record<string, number>;
  }
  const format = readResponseFormat(f.get('response_format'));
  if (format) out.response_format = format;
  const effort = f.get('reasoning_effort');
  if ((REASONING_EFFORTS as readonly unknown[]).includes(effort)) {
    out.reasoning_effort = effort as ReasoningEffort;
  }
  const field = f.get('max_tokens_field');
  if (isString(field) && Object.hasOwn(MAX_TOKENS_FIELDS, field)) {
    out.max_tokens_field = field as NonNullable<Params['max_tokens_field']>;
  }
  const extra = f.get('extra');
  if (isString(extra)) out.extra = extra;
  readRequestFields(f, out);
  return out;
}

/** A well-formed response_format, copied as plain JSON; anything else is unset. */
function readResponseFormat(raw: unknown): ResponseFormat | undefined {
  if (!isObject(raw)) return undefined;
  const type = own(raw, 'type');
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema' || !isObject(raw.json_schema)) return undefined;
  const js = raw.json_schema;
  if (!isString(js.name) || !isObject(js.schema)) return undefined;
  const out: ResponseFormat = {
    type: 'json_schema',
    json_schema: { name: js.name, schema: JSON.parse(JSON.stringify(js.schema)) as JsonObject },
  };
  if (isString(js.description)) out.json_schema.description = js.description;
  if (isBoolean(js.strict)) out.json_schema.strict = js.strict;
  return out;
}

function readToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
  const name = isObject(raw) ? own(raw, 'name') : undefined;
  return isString(name) ? { name } : undefined;
}

/**
 * The Tools region. The text is kept whatever it holds (it is the user's
 * typing); a choice or parallel flag of the wrong shape is dropped (unset).
 */
export function readTools(raw: unknown, path: string): ToolsConfig {
  const f = Fields.of(raw, path);
  const rawFormat = f.get('format') ?? 'tools';
  const format = rawFormat === 'functions' ? 'functions' : 'tools';
  if (rawFormat !== format) f.fail('format', '"tools" or "functions"');
  const out: ToolsConfig = { json: f.str('json', ''), format };
  const choice = readToolChoice(f.get('choice'));
  if (choice !== undefined) out.choice = choice;
  const parallel = f.get('parallel');
  if (isBoolean(parallel)) out.parallel = parallel;
  return out;
}

/**
 * A pane's overrides: null (not sent in this pane) is kept for known
 * parameters; a value goes through the same check as the shared parameters,
 * so a bad one is dropped.
 */
export function readOverrides(raw: unknown): ParamOverrides {
  if (!isObject(raw)) return {};
  const out: Record<string, unknown> = { ...migrateParams(raw) };
  for (const [key, value] of Object.entries(raw)) {
    if (value === null && (PARAM_KEYS as readonly string[]).includes(key)) out[key] = null;
  }
  return out as ParamOverrides;
}
