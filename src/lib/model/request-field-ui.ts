// What the parameter panel shows of the newer request fields: one line of
// help each and an example for the JSON ones; and how the spec's other fields
// are sent. Loaded with the panel, not at startup.

import { FIELD_SHAPES, type FieldShape, type RequestFieldKey } from './request-fields';

export interface RequestField extends FieldShape {
  key: RequestFieldKey;
  help: string;
  /** For a JSON object field: a value to show as its placeholder. */
  example?: string;
}

const TEXT: Readonly<Record<RequestFieldKey, { help: string; example?: string }>> = {
  service_tier: {
    help: 'Which processing tier serves the request (flex is cheaper and slower, priority faster); the answer says which was used.',
  },
  verbosity: { help: 'How long and detailed the answer is; the API default is medium.' },
  store: {
    help: 'Keep this completion on OpenAI for distillation and evals (off: not sent, the API default).',
  },
  modalities: {
    help: 'What the answer may contain; text and audio needs an audio model and the Audio field.',
  },
  audio: {
    help: 'The voice and format of an audio answer; required when modalities include audio.',
    example: '{"voice": "alloy", "format": "wav"}',
  },
  safety_identifier: {
    help: 'A stable, hashed id of your end user, so OpenAI can tell abuse apart (up to 64 characters).',
  },
  prompt_cache_key: {
    help: 'Groups similar requests for better prompt cache hits; replaces User for caching.',
  },
  prompt_cache_retention: {
    help: 'Deprecated in favour of Prompt cache options: 24h keeps cached prefixes up to a day.',
  },
  prompt_cache_options: {
    help: 'The minimum cache lifetime (ttl) and whether OpenAI adds an implicit breakpoint (mode).',
    example: '{"ttl": "30m", "mode": "implicit"}',
  },
  metadata: {
    help: 'Up to 16 string values to find this completion by later (keys up to 64, values up to 512 characters).',
    example: '{"experiment": "a1"}',
  },
  web_search_options: {
    help: 'Lets a search model search the web; its sources come back as citations under the answer.',
    example: '{"search_context_size": "medium"}',
  },
  prediction: {
    help: 'A Predicted Output: text the answer will mostly repeat, so it comes faster.',
    example: '{"type": "content", "content": "text you expect back"}',
  },
  moderation: {
    help: 'Runs moderation on the input and the answer with the model named.',
    example: '{"model": "omni-moderation-latest"}',
  },
};

export const REQUEST_FIELDS: readonly RequestField[] = (
  Object.keys(FIELD_SHAPES) as RequestFieldKey[]
).map((key) => ({ key, ...FIELD_SHAPES[key], ...TEXT[key] }));

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
