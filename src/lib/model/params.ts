// The request-parameter model behind the parameter panel and the request
// inspector: ranges, checks with messages a user can act on, which models take
// which token-limit key, stop-sequence display, and merging free-form extras.
// Ranges follow CreateChatCompletionRequest in the OpenAI OpenAPI spec.

import { isObject, kindOf, parseJson } from './json';
import { isReasoningModel } from './model-family';
import { checkRequestFields } from './request-fields';
import { fail, ok, type Result } from './result';
import type { Params, ReasoningEffort, ResponseFormat } from './types';

/**
 * Every parameter Parley keeps, in the order a request body lists them: the
 * one list of parameters, which the others derive from. A Record rather than
 * an array, so the compiler names any key Params gains and this misses.
 */
const EVERY_PARAM: Record<keyof Params, true> = {
  temperature: true,
  top_p: true,
  frequency_penalty: true,
  presence_penalty: true,
  max_tokens: true,
  stop: true,
  seed: true,
  n: true,
  user: true,
  logprobs: true,
  top_logprobs: true,
  logit_bias: true,
  response_format: true,
  reasoning_effort: true,
  max_tokens_field: true,
  extra: true,
  service_tier: true,
  verbosity: true,
  store: true,
  modalities: true,
  audio: true,
  safety_identifier: true,
  prompt_cache_key: true,
  prompt_cache_retention: true,
  prompt_cache_options: true,
  metadata: true,
  web_search_options: true,
  prediction: true,
  moderation: true,
};

export const PARAM_KEYS = Object.keys(EVERY_PARAM) as readonly (keyof Params)[];

/** Keys that shape the body rather than being sent under their own name. */
type ShapingKey = 'max_tokens' | 'max_tokens_field' | 'extra';
const SHAPING: readonly ShapingKey[] = ['max_tokens', 'max_tokens_field', 'extra'];

/**
 * Parameters sent under their own names. Max tokens is placed separately (its
 * key depends on the model); max_tokens_field and extra only shape the body.
 */
export const WIRE_PARAM_KEYS = PARAM_KEYS.filter(
  (key): key is Exclude<keyof Params, ShapingKey> => !(SHAPING as readonly string[]).includes(key),
);

/** The parameters whose value is a number: each has a range and a slider. */
export type NumericParamKey = {
  [K in keyof Params]-?: NonNullable<Params[K]> extends number ? K : never;
}[keyof Params];

export interface NumericParam {
  readonly key: NumericParamKey;
  /** Accessible name of the control, also used in error messages. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Slider granularity only: the API accepts any value in range. */
  readonly step: number;
  /** What the API uses when the parameter is not sent (shown greyed); undefined if none. */
  readonly apiDefault: number | undefined;
  readonly integer: boolean;
  /** One sentence: what the parameter does. */
  readonly help: string;
}

/**
 * The spec has no upper bound for max_tokens (it is the model's output limit).
 * This is a generous ceiling; the UI lowers it when it knows the model.
 */
const MAX_TOKENS_CEILING = 128_000;

export const NUMERIC_PARAMS: readonly NumericParam[] = [
  {
    key: 'temperature',
    label: 'Temperature',
    min: 0,
    max: 2,
    step: 0.01,
    apiDefault: 1,
    integer: false,
    help: 'Higher values make answers more random, lower values make them more focused and repeatable.',
  },
  {
    key: 'top_p',
    label: 'Top P',
    min: 0,
    max: 1,
    step: 0.01,
    apiDefault: 1,
    integer: false,
    help: 'Samples only from the most likely tokens whose probabilities add up to this value; change this or temperature, not both.',
  },
  {
    key: 'frequency_penalty',
    label: 'Frequency penalty',
    min: -2,
    max: 2,
    step: 0.01,
    apiDefault: 0,
    integer: false,
    help: 'Positive values discourage tokens the more often they have already appeared, so the model repeats itself less.',
  },
  {
    key: 'presence_penalty',
    label: 'Presence penalty',
    min: -2,
    max: 2,
    step: 0.01,
    apiDefault: 0,
    integer: false,
    help: 'Positive values discourage any token that has already appeared, nudging the model toward new topics.',
  },
  {
    key: 'max_tokens',
    label: 'Max tokens',
    min: 1,
    max: MAX_TOKENS_CEILING,
    step: 1,
    apiDefault: undefined,
    integer: true,
    help: 'The most tokens the answer may use; it is cut off when it reaches this limit.',
  },
  {
    key: 'seed',
    label: 'Seed',
    // The spec allows any int64, but past 2^53 a JS number silently rounds, so
    // the value sent would not be the value shown.
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
    step: 1,
    apiDefault: undefined,
    integer: true,
    help: 'Asks for repeatable sampling: the same seed and parameters usually give the same answer, though this is not guaranteed.',
  },
  {
    key: 'n',
    label: 'Choices (n)',
    min: 1,
    max: 128,
    step: 1,
    apiDefault: 1,
    integer: true,
    help: 'How many alternative answers to generate; you pay for the tokens of all of them.',
  },
  {
    key: 'top_logprobs',
    label: 'Top logprobs',
    min: 0,
    max: 20,
    step: 1,
    apiDefault: undefined,
    integer: true,
    help: 'How many of the most likely tokens to return at each position with their log probabilities (needs logprobs on).',
  },
];

const BY_KEY = new Map(NUMERIC_PARAMS.map((p) => [p.key, p]));

export function numericParam(key: NumericParamKey): NumericParam {
  // The table covers every key of the union, so this cannot miss.
  return BY_KEY.get(key)!;
}

/** The value when the API takes it for this parameter, or why not in words. */
export function checkParam(key: NumericParamKey, value: number): Result<number> {
  const p = numericParam(key);
  // typeof guards values loaded from storage or imported files, not just NaN.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fail(`${p.label} must be a number.`);
  }
  if (value < p.min || value > p.max) {
    return fail(`${p.label} must be between ${p.min} and ${p.max} (got ${value}).`);
  }
  if (p.integer && !Number.isInteger(value)) {
    return fail(`${p.label} must be a whole number (got ${value}).`);
  }
  return ok(value);
}

export const REASONING_EFFORTS = [
  'none',
  'minimal',
  'low',
  'medium',
  'high',
  'xhigh',
  'max',
] as const satisfies readonly ReasoningEffort[];

/**
 * Everything validateParams understands: the stored Params, with the fields that
 * may come from storage, imports or extras typed loosely, plus the newer name of
 * the token limit.
 */
export type ParamsInput = Omit<Params, 'reasoning_effort' | 'response_format'> & {
  response_format?: ResponseFormat | { type: 'json_schema'; json_schema: Record<string, unknown> };
  max_completion_tokens?: number;
  reasoning_effort?: string;
};

export interface ParamError {
  key: keyof ParamsInput;
  error: string;
}

/** The API's limit on stop sequences. */
export const MAX_STOP = 4;
const TOKEN_ID = /^\d+$/;
const SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Every problem with the parameters that are set; unset ones are never checked. */
export function validateParams(params: ParamsInput): ParamError[] {
  const errors: ParamError[] = [];
  const add = (key: keyof ParamsInput, error: string) => errors.push({ key, error });

  for (const { key } of NUMERIC_PARAMS) {
    const value = params[key];
    if (value === undefined) continue;
    const r = checkParam(key, value);
    if (!r.ok) add(key, r.error);
  }
  // Same control as max_tokens, sent under the newer name for reasoning models.
  if (params.max_completion_tokens !== undefined) {
    const r = checkParam('max_tokens', params.max_completion_tokens);
    if (!r.ok) add('max_completion_tokens', r.error);
  }

  errors.push(...checkStop(params.stop));
  errors.push(...checkLogitBias(params.logit_bias));

  if (params.top_logprobs !== undefined && params.logprobs !== true) {
    add(
      'top_logprobs',
      'Top logprobs only works with logprobs turned on; turn it on or unset Top logprobs.',
    );
  }

  const effort = params.reasoning_effort;
  if (effort !== undefined && !(REASONING_EFFORTS as readonly string[]).includes(effort)) {
    add(
      'reasoning_effort',
      `Reasoning effort must be one of ${REASONING_EFFORTS.join(', ')} (got "${effort}").`,
    );
  }

  if (params.response_format !== undefined) {
    const error = checkResponseFormat(params.response_format);
    if (error) add('response_format', error);
  }
  errors.push(...checkRequestFields(params as Params));
  return errors;
}

function checkStop(stop: ParamsInput['stop'] | string): ParamError[] {
  if (stop === undefined) return [];
  // The API also takes a single string; treat it like a list of one.
  const list = typeof stop === 'string' ? [stop] : stop;
  const errors: ParamError[] = [];
  if (list.length > MAX_STOP) {
    errors.push({
      key: 'stop',
      error: `Use at most ${MAX_STOP} stop sequences (got ${list.length}).`,
    });
  }
  list.forEach((s, i) => {
    if (s === '') {
      errors.push({
        key: 'stop',
        error: `Stop sequence ${i + 1} is empty; type the text to stop at or remove it.`,
      });
    }
  });
  return errors;
}

function checkLogitBias(bias: unknown): ParamError[] {
  if (bias === undefined) return [];
  if (!isObject(bias)) {
    return [
      {
        key: 'logit_bias',
        error: 'Logit bias must be an object mapping token ids to numbers, like {"50256": -100}.',
      },
    ];
  }
  const errors: ParamError[] = [];
  for (const [token, value] of Object.entries(bias)) {
    if (!TOKEN_ID.test(token)) {
      errors.push({
        key: 'logit_bias',
        error: `Logit bias key "${token}" is not a token id; use the token's number, like "50256".`,
      });
    } else if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < -100 ||
      value > 100
    ) {
      // The spec types the values as integers, documented from -100 to 100.
      errors.push({
        key: 'logit_bias',
        error: `Logit bias for token ${token} must be a whole number between -100 and 100 (got ${typeof value === 'number' ? value : JSON.stringify(value)}).`,
      });
    }
  }
  return errors;
}

function checkResponseFormat(format: unknown): string | undefined {
  if (!isObject(format)) return 'Response format must be an object like {"type": "json_object"}.';
  const { type } = format;
  if (type === 'text' || type === 'json_object') return undefined;
  if (type !== 'json_schema') {
    return `Response format type must be "text", "json_object" or "json_schema" (got ${JSON.stringify(type)}).`;
  }
  const js = format.json_schema;
  if (!isObject(js))
    return 'A json_schema response format needs a json_schema object with a name and a schema.';
  if (typeof js.name !== 'string' || !SCHEMA_NAME.test(js.name)) {
    return 'Give the JSON schema a name of up to 64 letters, digits, underscores or dashes.';
  }
  if (!isObject(js.schema)) {
    return 'The JSON schema must be an object, like {"type": "object", "properties": {...}}.';
  }
  return undefined;
}

export { isReasoningModel } from './model-family';

/**
 * Whether the token limit must be sent as max_completion_tokens: the spec marks
 * max_tokens deprecated and not compatible with o-series models. Others keep
 * max_tokens, which OpenAI-compatible local servers understand.
 */
export function usesMaxCompletionTokens(model: string): boolean {
  return isReasoningModel(model);
}

/** The body key the Max tokens control is sent under for this model. */
export function maxTokensKey(model: string): 'max_tokens' | 'max_completion_tokens' {
  return usesMaxCompletionTokens(model) ? 'max_completion_tokens' : 'max_tokens';
}

/** Keys Parley itself owns: overriding them from extras is always worth a warning. */
const OWNED_KEYS = ['model', 'messages', 'stream'];

export interface MergeResult {
  body: Record<string, unknown>;
  /** Keys the extras override (in their order), plus any of model/messages/stream. */
  conflicts: string[];
  error?: string;
}

/**
 * Merges free-form extra parameters (a JSON object) over the body, last, so they
 * win. Top-level keys replace whole values, nested objects included: what the
 * user typed for a key is exactly what is sent. On any error the body is
 * returned untouched.
 */
export function mergeExtra(body: Record<string, unknown>, extraJson: string): MergeResult {
  if (extraJson.trim() === '') return { body, conflicts: [] };
  const parsed = parseJson(extraJson, 'Extra parameters are');
  if (!parsed.ok) return { body, conflicts: [], error: parsed.error };
  const extra = parsed.value;
  if (!isObject(extra)) {
    return {
      body,
      conflicts: [],
      error: `Extra parameters must be a JSON object like {"logprobs": true}, not ${kindOf(extra)}.`,
    };
  }
  const conflicts = Object.keys(extra).filter(
    (k) => OWNED_KEYS.includes(k) || (Object.hasOwn(body, k) && body[k] !== undefined),
  );
  // Spread defines own properties, so a "__proto__" key stays a plain key
  // (Object.assign would set the prototype instead).
  return { body: { ...body, ...extra }, conflicts };
}

/** Which body key carries Max tokens, honouring an explicit choice. */
export function maxTokensKeyFor(
  model: string,
  choice: Params['max_tokens_field'],
): 'max_tokens' | 'max_completion_tokens' {
  if (choice === 'max_tokens' || choice === 'max_completion_tokens') return choice;
  return maxTokensKey(model);
}

/** The first reason these parameters cannot be sent, in words; null when they can. */
export function firstParamProblem(params: Params): string | null {
  const [first] = validateParams(params);
  if (first) return first.error;
  const extra = mergeExtra({}, params.extra ?? '');
  return extra.error ?? null;
}
