// Stored domain types. These are Parley's own shapes (plain JSON, versioned),
// deliberately separate from the wire types in src/lib/api/wire.ts.

export const SCHEMA_VERSION = 1;

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** Token usage exactly as the provider reported it. Never estimated. */
export interface Usage {
  prompt: number;
  completion: number;
  total: number;
  /** Sub-counts some providers report (cached prompt tokens, reasoning tokens). */
  cachedPrompt?: number;
  reasoning?: number;
  /** Audio tokens in the prompt and in the answer, where reported. */
  audioPrompt?: number;
  audioCompletion?: number;
}

/** An image in a user message: sent as an `image_url` content part. */
export interface ImagePart {
  /** A data: URL of the image (attached), or the https URL it was given as. */
  url: string;
  /** The file name it was attached as, for its alt text; absent for an imported URL. */
  name?: string;
  /** How closely the model looks: `auto` (or absent), `low` or `high`. */
  detail?: 'auto' | 'low' | 'high';
  /** Its size in pixels, when known (attached here): what its token estimate goes by. */
  width?: number;
  height?: number;
}

/** A sound file in a user message: sent as an `input_audio` content part. */
export interface AudioPart {
  kind: 'audio';
  /** The file name it was attached (or recorded) as. */
  name: string;
  /** The encoding the API reads. */
  format: 'wav' | 'mp3';
  /** The bytes, base64 (no data: prefix), as the wire carries them. */
  data: string;
}

/** A document (a PDF) in a user message: sent as a `file` content part. */
export interface DocumentPart {
  kind: 'file';
  /** Sent as `filename`. */
  name: string;
  /** A data: URL of the file, sent as `file_data`; absent when it is an uploaded file's id. */
  data?: string;
  /** The id of a file uploaded to the provider (`file_id`), kept as imported. */
  fileId?: string;
}

/** Audio and documents sent with a user message, after its text and images. */
export type FilePart = AudioPart | DocumentPart;

/** An audio answer (`modalities` with "audio"): what a follow-up turn refers to by `id`. */
export interface AudioAnswer {
  /** The API's id for this answer's audio, sent back as `audio.id` by a follow-up turn. */
  id: string;
  /** The sound, base64; empty when it was not kept. */
  data: string;
  /** Its encoding: `pcm16` (24 kHz mono) when streamed, else the requested `audio.format`. */
  format: string;
  /** What the voice says. */
  transcript: string;
  /** Seconds since the epoch after which the API forgets `id`. */
  expiresAt?: number;
}

/** A source an answer cites (`annotations` of type `url_citation`, from web search). */
export interface Citation {
  url: string;
  title: string;
  /** Where in the answer's text the citation applies, when the server says. */
  start?: number;
  end?: number;
}

export interface ToolCall {
  id: string;
  /** `custom` tools (free-form input) carry their input in `arguments`. */
  type: 'function' | 'custom';
  name: string;
  /** Raw argument text as streamed; may be invalid JSON when the answer was cut. */
  arguments: string;
}

/** Which wire format carries the definitions: current `tools` or legacy `functions`. */
export type ToolFormat = 'tools' | 'functions';

/** tool_choice (or legacy function_call): a mode, or one named function. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** The Tools region of a conversation. */
export interface ToolsConfig {
  /**
   * The editor text exactly as typed (even when invalid, so nothing is lost).
   * Blank means no tools are sent. When valid it is the JSON array sent as
   * `tools` (or `functions`), unchanged.
   */
  json: string;
  format: ToolFormat;
  /** Unset: not sent (the API defaults to auto). */
  choice?: ToolChoice;
  /** parallel_tool_calls; unset: not sent. Only in the `tools` format. */
  parallel?: boolean;
}

/**
 * How an assistant answer ended, as far as Parley knows:
 * - `streaming`: still arriving
 * - `done`: the API sent a finish_reason
 * - `stopped`: the user pressed Stop; the text is partial
 * - `stalled`: no chunk arrived within the idle timeout; aborted, partial kept
 * - `incomplete`: the stream ended without a finish_reason
 * - `error`: the request failed; any partial text is kept
 * - `interrupted`: the page was closed or reloaded while streaming
 */
export type MessageStatus =
  'streaming' | 'done' | 'stopped' | 'stalled' | 'incomplete' | 'error' | 'interrupted';

export interface Timing {
  /** ms since epoch when the request was sent */
  startedAt: number;
  firstTokenAt?: number;
  endedAt?: number;
}

/** A failure, already translated into words a user can act on. */
export interface AppError {
  kind:
    | 'auth'
    | 'rate_limit'
    | 'too_large'
    | 'quota'
    | 'bad_request'
    | 'not_found'
    | 'server'
    | 'network'
    | 'stalled'
    | 'stream'
    | 'aborted'
    | 'config'
    | 'unknown';
  /** One sentence saying what happened and what to do. */
  message: string;
  status?: number;
  /** The API's own error message, verbatim (shown as text, never HTML). */
  apiMessage?: string;
  code?: string | number | null;
  param?: string | null;
  type?: string | null;
  requestId?: string;
  retryable: boolean;
  /** Milliseconds the server asked us to wait, when it said so. */
  retryAfterMs?: number;
  /** Offer a link to the settings dialog. */
  fixInSettings?: boolean;
  hint?: string;
}

export interface Message {
  id: string;
  role: Role;
  content: string;
  /** Assistant refusal text (structured outputs), a separate channel from content. */
  refusal?: string;
  /** Reasoning text some providers stream (Ollama `reasoning`, `reasoning_content`). */
  reasoning?: string;
  /** Sources the answer cites (URL citations from web search). */
  citations?: Citation[];
  /** Images sent with a user message, after its text. */
  images?: ImagePart[];
  /** Audio and documents sent with a user message, after its images. */
  files?: FilePart[];
  /** The spoken answer, with its transcript, when audio was asked for. */
  audio?: AudioAnswer;
  toolCalls?: ToolCall[];
  /** For role `tool`. */
  toolCallId?: string;
  /** Optional participant name. */
  name?: string;
  // The fields below describe a generated assistant answer.
  status?: MessageStatus;
  finishReason?: string | null;
  /** `null` means the provider reported no usage for this answer. */
  usage?: Usage | null;
  /** Model id the API says produced this answer. */
  model?: string;
  timing?: Timing;
  error?: AppError;
  requestId?: string;
  /** Per-token log probabilities of `content` (requested with `logprobs: true`). */
  logprobs?: TokenLogprob[];
  /** Per-token log probabilities of `refusal` (the wire's `logprobs.refusal`). */
  refusalLogprobs?: TokenLogprob[];
  /**
   * Every choice exactly as returned, in `index` order, when the request had n > 1.
   * The message's own content/refusal/toolCalls/finishReason/logprobs are those of
   * choice `chosen`, which is what a follow-up sends as the assistant turn.
   */
  choices?: AnswerChoice[];
  /** Which of `choices` continues the conversation (0 unless the user picked another). */
  chosen?: number;
  /** Choices and tool calls the server sent with an index no request can produce (above 127), dropped. */
  ignored?: number;
  /** The request that produced this answer, as it went on the wire (key redacted). */
  request?: RequestRecord;
  /** What came back for `request`. */
  response?: ResponseRecord;
}

/** One sampled token and its log probability (natural log). */
export interface TokenLogprob {
  token: string;
  logprob: number;
  /** UTF-8 bytes of the token; a token may hold part of a character. */
  bytes?: number[] | null;
  /** The most likely tokens at this position (the chosen one may be among them). */
  topLogprobs: { token: string; logprob: number; bytes?: number[] | null }[];
}

/** One choice of an n > 1 answer. */
export interface AnswerChoice {
  content: string;
  refusal?: string;
  reasoning?: string;
  citations?: Citation[];
  finishReason?: string | null;
  toolCalls?: ToolCall[];
  logprobs?: TokenLogprob[];
  refusalLogprobs?: TokenLogprob[];
}

/** An HTTP request as sent, for the request inspector. Secrets are already redacted. */
export interface RequestRecord {
  method: string;
  url: string;
  /** Header name/value pairs; Authorization reads `Bearer [redacted]`. */
  headers: [string, string][];
  /** The body text exactly as sent (JSON). */
  body: string;
}

/** An HTTP response as received, for the request inspector. */
export interface ResponseRecord {
  status: number;
  /** The headers the page could read (CORS hides the rest). */
  headers: [string, string][];
  /** The `data:` payloads of a stream, verbatim, `[DONE]` included (capped). */
  chunks?: string[];
  /** Payloads not kept because of the cap. */
  chunksOmitted?: number;
  /** The whole body of a non-streamed response, verbatim. */
  body?: string;
  id?: string;
  systemFingerprint?: string | null;
}

/**
 * Request parameters. A key that is absent (undefined) is unset and never sent;
 * 0, false and "" are real values and are sent.
 */
export interface Params {
  temperature?: number;
  top_p?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
  n?: number;
  user?: string;
  logprobs?: boolean;
  top_logprobs?: number;
  /** Token id (decimal string) -> bias from -100 to 100. */
  logit_bias?: Record<string, number>;
  response_format?: ResponseFormat;
  reasoning_effort?: ReasoningEffort;
  /**
   * Which body key carries Max tokens. Not sent itself: 'auto' (or unset) picks
   * max_completion_tokens for reasoning models and max_tokens otherwise.
   */
  max_tokens_field?: 'auto' | 'max_tokens' | 'max_completion_tokens';
  /** Free-form JSON object merged into the body last (its keys win). Not sent itself. */
  extra?: string;
  // The newer fields of CreateChatCompletionRequest (request-fields.ts).
  service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | 'fast';
  verbosity?: 'low' | 'medium' | 'high';
  store?: boolean;
  modalities?: ('text' | 'audio')[];
  safety_identifier?: string;
  prompt_cache_key?: string;
  prompt_cache_retention?: 'in_memory' | '24h';
  /** Up to 16 string values under keys of up to 64 characters. */
  metadata?: Record<string, string>;
  /** `{voice, format}` for audio output. */
  audio?: JsonValueObject;
  web_search_options?: JsonValueObject;
  /** `{type: "content", content}`: a Predicted Output. */
  prediction?: JsonValueObject;
  moderation?: JsonValueObject;
  prompt_cache_options?: JsonValueObject;
}

/** A JSON object kept as the user wrote it (parsed), sent as it is. */
export type JsonValueObject = { [key: string]: unknown };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: {
        name: string;
        description?: string;
        strict?: boolean;
        schema: Record<string, unknown>;
      };
    };

/** The role the system message box is sent with. */
export type SystemRole = 'system' | 'developer';

export interface Conversation {
  schemaVersion: number;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  systemMessage: string;
  /** How the system message is sent; absent: as the model expects (systemRoleFor). */
  systemRole?: SystemRole;
  model: string;
  stream: boolean;
  params: Params;
  tools: ToolsConfig;
  messages: Message[];
  /** The unsent draft in the composer. */
  draft: string;
  /** Images attached to the draft, not sent yet. */
  draftImages?: ImagePart[];
  /** Audio and documents attached to the draft, not sent yet. */
  draftFiles?: FilePart[];
  /** Side-by-side panes; absent when compare was never used. */
  compare?: CompareRecord;
}

/**
 * A parameter a pane sets differently from the shared ones: a value, or null
 * for "not sent in this pane" although the shared parameters set it.
 */
export type ParamOverrides = { [K in keyof Params]?: Params[K] | null };

/** One column of compare mode. */
export interface ComparePane {
  id: string;
  model: string;
  /** Only the parameters that differ from the shared ones. */
  overrides: ParamOverrides;
  /** Set when this pane streams differently from the shared setting. */
  stream?: boolean;
  /** This pane's own system message; absent: the shared one. */
  systemMessage?: string;
  /** This pane's own Tools region; absent: the shared one. */
  tools?: ToolsConfig;
  /**
   * True (the default): the pane continues the shared history. False: the
   * pane holds its own copy of it in `messages`.
   */
  linkedHistory: boolean;
  /** This pane's own turns, after the shared history (or all of it when unlinked). */
  messages: Message[];
  /** A name given by a sweep ("temperature 0.7"). */
  label?: string;
}

export interface CompareRecord {
  /** Compare mode is on. Panes are kept when it is off, to come back to. */
  active: boolean;
  panes: ComparePane[];
}
