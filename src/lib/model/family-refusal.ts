// Which models may refuse a parameter that is set: said beside it as a
// warning, and the value is still sent (the user decides). Only for model
// families Parley knows; a local server's model gets no guess.

import { isReasoningModel } from './model-family';

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

/** The newer request fields only some families take. */
const NEWER = new Map<string, (model: string) => string | undefined>([
  ['verbosity', reasoningOnly('verbosity')],
  ['modalities', audioOnly],
  ['audio', audioOnly],
  ['web_search_options', searchOnly],
]);

/** What OpenAI's reasoning models refuse, or accept only at the default. */
const REASONING_REFUSES = new Set([
  'temperature',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
]);

/**
 * Why `model` may refuse a parameter that is set, as a warning beside it (the
 * value is still sent: the user decides), or undefined when nothing is known.
 */
export function familyRefusal(key: string, model: string): string | undefined {
  const newer = NEWER.get(key)?.(model);
  if (newer) return newer;
  if (REASONING_REFUSES.has(key) && isReasoningModel(model)) {
    return `${model.trim()} may refuse this: OpenAI's reasoning models (o-series, GPT-5) take only its default.`;
  }
  return undefined;
}
