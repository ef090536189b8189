// One sentence per parameter that has no numeric spec (those carry their own
// `help` in params.ts): what it does, in the words the parameter panel shows
// under its info button.

import type { NumericParamKey } from './params';
import type { RequestFieldKey } from './request-fields';
import type { Params } from './types';

/**
 * Every parameter without a numeric spec or a field of its own (the newer
 * fields carry their help in request-fields.ts): the compiler names any that
 * is missing.
 */
type HelpKey = Exclude<keyof Params, NumericParamKey | RequestFieldKey>;

export const PARAM_HELP: Record<HelpKey, string> = {
  stop: 'Up to 4 sequences where the model stops writing; the answer does not include them.',
  logprobs: 'Returns the log probability of each answer token, shown under the answer.',
  response_format:
    'Makes the model answer in JSON: any JSON object (json_object), or one matching your schema (json_schema).',
  logit_bias:
    'Makes chosen token ids more or less likely: -100 bans a token, 100 all but forces it.',
  user: 'An id for your end user, which helps the provider detect abuse; the model never sees it.',
  reasoning_effort:
    'How long a reasoning model thinks before it answers: lower is faster and uses fewer tokens.',
  max_tokens_field:
    'Which body key carries Max tokens: reasoning and newer models take max_completion_tokens.',
  extra: 'Any other body keys, as one JSON object merged in last: its keys win.',
};
