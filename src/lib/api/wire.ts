// Shapes of what providers actually send, typed loosely on purpose: OpenAI,
// Azure, Ollama, Groq and OpenRouter all deviate a little (see WIRE-FACTS.md).
// Every field is optional; unknown keys are ignored.

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number } | null;
}

export interface WireToolCallDelta {
  index?: number;
  id?: string;
  /** `function` (the default when absent) or `custom` (GPT-5 custom tools). */
  type?: string;
  function?: { name?: string; arguments?: string };
  /** A custom tool call: free-form `input` instead of JSON `arguments`, streamed the same way. */
  custom?: { name?: string; input?: string };
}

export interface WireAnnotation {
  type?: string;
  url_citation?: { url?: string; title?: string; start_index?: number; end_index?: number } | null;
}

export interface WireDelta {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  reasoning?: string | null;
  reasoning_content?: string | null;
  tool_calls?: WireToolCallDelta[] | null;
  /** URL citations (web search); whole on a message, in pieces over a stream. */
  annotations?: WireAnnotation[] | null;
  /** Legacy functions API. */
  function_call?: { name?: string; arguments?: string } | null;
  /** An audio answer: over a stream, pieces of base64 pcm16 and of the transcript. */
  audio?: WireAudio | null;
}

export interface WireAudio {
  id?: string;
  data?: string;
  transcript?: string;
  expires_at?: number;
}

export interface WireTokenLogprob {
  token?: string;
  logprob?: number;
  bytes?: number[] | null;
  top_logprobs?: { token?: string; logprob?: number; bytes?: number[] | null }[] | null;
}

/** `choices[].logprobs`: tokens of the content channel or of the refusal channel (g01, g02). */
export interface WireLogprobs {
  content?: WireTokenLogprob[] | null;
  refusal?: WireTokenLogprob[] | null;
}

export interface WireChunk {
  id?: string;
  model?: string;
  created?: number;
  system_fingerprint?: string | null;
  choices?: {
    index?: number;
    delta?: WireDelta | null;
    finish_reason?: string | null;
    logprobs?: WireLogprobs | null;
  }[];
  usage?: WireUsage | null;
  /** Groq reports usage here instead of top-level. */
  x_groq?: { usage?: WireUsage | null } | null;
}

export interface WireCompletion {
  id?: string;
  model?: string;
  system_fingerprint?: string | null;
  choices?: {
    index?: number;
    message?: WireDelta | null;
    finish_reason?: string | null;
    logprobs?: WireLogprobs | null;
  }[];
  usage?: WireUsage | null;
}
