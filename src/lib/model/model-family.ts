// Which family a model id belongs to, where Parley's behaviour depends on it.

// OpenAI's reasoning models: the o-series (o1, o3, o4-mini, ...) and gpt-5 with
// its point releases (gpt-5.1, ...). Fine-tunes keep their base name after
// "ft:". The family must start the id: "my-o1-finetune" is someone's own model,
// most likely on a server that knows only max_tokens.
const REASONING_MODEL = /^(?:ft:)?(?:o\d+|gpt-5(?:\.\d+)?)(?:[-:]|$)/i;

/**
 * Whether the model is an OpenAI reasoning model, so reasoning_effort applies.
 * Not every such model accepts every effort value (the spec says so); the API
 * names the unsupported ones.
 */
export function isReasoningModel(model: string): boolean {
  return REASONING_MODEL.test(model.trim());
}
