import { MAX_LISTED } from '../model/limits';
import type { Citation, TokenLogprob, ToolCall, Usage } from '../model/types';
import type {
  WireAnnotation,
  WireAudio,
  WireChunk,
  WireCompletion,
  WireDelta,
  WireLogprobs,
  WireTokenLogprob,
  WireUsage,
} from './wire';

/** One choice of an answer as assembled so far. */
export interface ChoiceState {
  index: number;
  role: string;
  content: string;
  refusal: string;
  reasoning: string;
  /** URL citations (web search), in the order they came. */
  citations: Citation[];
  toolCalls: ToolCall[];
  /** The wire `index` of each of `toolCalls`, in the same order. */
  toolIndexes: number[];
  finishReason: string | null;
  /** Token log probabilities of `content`, in order (empty unless requested). */
  logprobs: TokenLogprob[];
  /** Token log probabilities of `refusal`. */
  refusalLogprobs: TokenLogprob[];
  /** An audio answer so far: its id, transcript, and the base64 pieces of its sound. */
  audio: AudioState | null;
}

export interface AudioState {
  id: string;
  transcript: string;
  /** Base64 pieces as they came (each encoded on its own). */
  data: string[];
  expiresAt?: number;
}

/** Everything known about an answer after the chunks seen so far. */
export interface AnswerState {
  id: string;
  model: string;
  systemFingerprint: string | null;
  /** In `choice.index` order, without gaps (n > 1 gives several). */
  choices: ChoiceState[];
  /** Choices and tool calls dropped for an index no request can produce. */
  ignored: number;
  /** `null` until (unless) the provider reports usage. */
  usage: Usage | null;
  chunkCount: number;
}

export function emptyAnswer(): AnswerState {
  return {
    id: '',
    model: '',
    systemFingerprint: null,
    choices: [],
    ignored: 0,
    usage: null,
    chunkCount: 0,
  };
}

function emptyChoice(index: number): ChoiceState {
  return {
    index,
    role: 'assistant',
    content: '',
    refusal: '',
    reasoning: '',
    citations: [],
    toolCalls: [],
    toolIndexes: [],
    finishReason: null,
    logprobs: [],
    refusalLogprobs: [],
    audio: null,
  };
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0);

function toUsage(u: WireUsage | null | undefined): Usage | null {
  if (!u || typeof u !== 'object') return null;
  if (u.prompt_tokens === undefined && u.completion_tokens === undefined) return null;
  const usage: Usage = {
    prompt: count(u.prompt_tokens),
    completion: count(u.completion_tokens),
    total: count(u.total_tokens ?? count(u.prompt_tokens) + count(u.completion_tokens)),
  };
  const cached = u.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') usage.cachedPrompt = cached;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') usage.reasoning = reasoning;
  const audioIn = u.prompt_tokens_details?.audio_tokens;
  const audioOut = u.completion_tokens_details?.audio_tokens;
  if (typeof audioIn === 'number' && audioIn > 0) usage.audioPrompt = audioIn;
  if (typeof audioOut === 'number' && audioOut > 0) usage.audioCompletion = audioOut;
  return usage;
}

/**
 * Tool-call fragments are merged by `index`: id/type/name come on the first
 * fragment of each call, later ones only append argument text. Providers that
 * send the whole call at once (Ollama) fit the same rule. Custom tool calls
 * (`type: "custom"`, GPT-5) carry `custom: { name, input }` instead of
 * `function: { name, arguments }`; their input is kept in `arguments`, and the
 * call stays `custom` once any fragment said so.
 */
/**
 * The largest index a choice or tool call can have (the API's limit): a server
 * that sends `index: 100000` is not followed into a hundred-thousand-slot array.
 */
const MAX_INDEX = MAX_LISTED - 1;

/** A wire index a request can produce: a whole number from 0 to MAX_INDEX. */
const usableIndex = (i: unknown): i is number =>
  typeof i === 'number' && Number.isInteger(i) && i >= 0 && i <= MAX_INDEX;

function mergeToolCalls(
  choice: ChoiceState,
  deltas: NonNullable<WireDelta['tool_calls']>,
): Pick<ChoiceState, 'toolCalls' | 'toolIndexes'> & { ignored: number } {
  const calls = choice.toolCalls.slice();
  const indexes = choice.toolIndexes.slice();
  let ignored = 0;
  for (const d of deltas) {
    // By wire index, wherever it starts and whatever it skips; a fragment
    // without one starts a call of its own.
    const wire = d.index === undefined ? (indexes.at(-1) ?? -1) + 1 : d.index;
    if (!usableIndex(wire)) {
      ignored++;
      continue;
    }
    let at = indexes.indexOf(wire);
    if (at < 0) {
      at = indexes.findIndex((i) => i > wire);
      if (at < 0) at = indexes.length;
      indexes.splice(at, 0, wire);
      calls.splice(at, 0, { id: '', type: 'function', name: '', arguments: '' });
    }
    const prev = calls[at]!;
    const custom = d.type === 'custom' || (typeof d.custom === 'object' && d.custom !== null);
    calls[at] = {
      id: d.id || prev.id,
      type: prev.type === 'custom' || custom ? 'custom' : 'function',
      name: prev.name || d.function?.name || d.custom?.name || '',
      arguments: prev.arguments + (d.function?.arguments ?? '') + (d.custom?.input ?? ''),
    };
  }
  return { toolCalls: calls, toolIndexes: indexes, ignored };
}

const isByteList = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255);

/** A wire token entry, or null when it lacks a token or a finite logprob. */
function toTokenLogprob(t: WireTokenLogprob | null | undefined): TokenLogprob | null {
  if (!t || typeof t.token !== 'string') return null;
  if (typeof t.logprob !== 'number' || !Number.isFinite(t.logprob)) return null;
  const top: TokenLogprob['topLogprobs'] = [];
  for (const alt of Array.isArray(t.top_logprobs) ? t.top_logprobs : []) {
    if (!alt || typeof alt.token !== 'string') continue;
    if (typeof alt.logprob !== 'number' || !Number.isFinite(alt.logprob)) continue;
    top.push({
      token: alt.token,
      logprob: alt.logprob,
      bytes: isByteList(alt.bytes) ? alt.bytes : null,
    });
  }
  return {
    token: t.token,
    logprob: t.logprob,
    bytes: isByteList(t.bytes) ? t.bytes : null,
    topLogprobs: top,
  };
}

function appendTokens(prev: TokenLogprob[], wire: WireTokenLogprob[] | null | undefined) {
  if (!Array.isArray(wire) || wire.length === 0) return prev;
  const added = wire.map(toTokenLogprob).filter((t): t is TokenLogprob => t !== null);
  return added.length ? prev.concat(added) : prev;
}

/** Adds a chunk's (or a whole response's) `logprobs` to the choice (which the caller owns). */
function applyLogprobs(choice: ChoiceState, lp: WireLogprobs | null | undefined): void {
  if (!lp || typeof lp !== 'object') return;
  choice.logprobs = appendTokens(choice.logprobs, lp.content);
  choice.refusalLogprobs = appendTokens(choice.refusalLogprobs, lp.refusal);
}

const index = (n: unknown) =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;

/**
 * The URL citations among `annotations`, added to those already kept (each
 * once, at most MAX_LISTED). Only what a link needs is kept, as text.
 */
function addCitations(kept: Citation[], annotations: WireAnnotation[]): Citation[] {
  let out = kept;
  for (const a of annotations) {
    const c = a && typeof a === 'object' && a.type === 'url_citation' ? a.url_citation : null;
    if (!c || typeof c.url !== 'string' || c.url === '') continue;
    const citation: Citation = { url: c.url, title: typeof c.title === 'string' ? c.title : '' };
    const start = index(c.start_index);
    const end = index(c.end_index);
    if (start !== undefined) citation.start = start;
    if (end !== undefined) citation.end = end;
    const same = (k: Citation) => k.url === citation.url && k.start === citation.start;
    if (out.length >= MAX_LISTED || out.some(same)) continue;
    out = [...out, citation];
  }
  return out;
}

function addAudio(kept: AudioState | null, audio: WireAudio): AudioState {
  const out: AudioState = kept ? { ...kept } : { id: '', transcript: '', data: [] };
  if (!out.id && typeof audio.id === 'string') out.id = audio.id;
  if (typeof audio.transcript === 'string') out.transcript += audio.transcript;
  if (typeof audio.data === 'string' && audio.data !== '') out.data = [...out.data, audio.data];
  if (typeof audio.expires_at === 'number' && Number.isFinite(audio.expires_at)) {
    out.expiresAt = audio.expires_at;
  }
  return out;
}

/**
 * Adds a delta to the choice, which the caller owns (a copy made for this
 * batch of chunks): its text grows in place; lists are replaced, never changed.
 */
function applyDelta(next: ChoiceState, delta: WireDelta, answer: { ignored: number }): void {
  if (typeof delta.role === 'string' && delta.role) next.role = delta.role;
  if (typeof delta.content === 'string') next.content += delta.content;
  if (typeof delta.refusal === 'string') next.refusal += delta.refusal;
  const reasoning = delta.reasoning ?? delta.reasoning_content;
  if (typeof reasoning === 'string') next.reasoning += reasoning;
  if (Array.isArray(delta.annotations))
    next.citations = addCitations(next.citations, delta.annotations);
  if (delta.audio && typeof delta.audio === 'object')
    next.audio = addAudio(next.audio, delta.audio);
  if (!delta.tool_calls && !delta.function_call) return; // text: nearly every chunk
  const fragments = Array.isArray(delta.tool_calls) ? [...delta.tool_calls] : [];
  // The legacy functions API has one unnamed call; keep it as call 0.
  if (delta.function_call) fragments.push({ index: 0, function: delta.function_call });
  if (fragments.length) {
    const { toolCalls, toolIndexes, ignored } = mergeToolCalls(next, fragments);
    next.toolCalls = toolCalls;
    next.toolIndexes = toolIndexes;
    answer.ignored += ignored;
  }
}

/** Adds one chunk to an answer the caller owns, its choices included. */
function applyChunk(next: AnswerState, chunk: WireChunk): void {
  next.chunkCount++;
  // Azure's first chunk has empty id/model; keep the first real ones.
  if (!next.id && chunk.id) next.id = chunk.id;
  if (!next.model && chunk.model) next.model = chunk.model;
  if (chunk.system_fingerprint) next.systemFingerprint = chunk.system_fingerprint;
  if (chunk.usage || chunk.x_groq) {
    const usage = toUsage(chunk.usage) ?? toUsage(chunk.x_groq?.usage);
    if (usage) next.usage = usage;
  }
  // The usage chunk (and Azure's prompt-filter chunk) has `choices: []`.
  const choices = chunk.choices;
  if (!Array.isArray(choices)) return;
  // Indexed loops and fields tested before calls: a fast answer brings
  // thousands of chunks at once, added up before a fresh worker's code is warm.
  for (let i = 0; i < choices.length; i++) {
    const c = choices[i]!;
    const index = c.index ?? 0;
    if (!usableIndex(index)) {
      next.ignored++;
      continue;
    }
    const choice = next.choices[slotOf(next.choices, index)]!;
    if (c.delta) applyDelta(choice, c.delta, next);
    if (c.logprobs) applyLogprobs(choice, c.logprobs);
    if (c.finish_reason) choice.finishReason = c.finish_reason;
  }
}

/**
 * Pure: the answer after more streamed chunks (the chunks of one network
 * read: at full speed, hundreds). `state` is copied once, not once per chunk.
 */
export function accumulateChunks(state: AnswerState, chunks: readonly WireChunk[]): AnswerState {
  const next: AnswerState = { ...state, choices: state.choices.map((c) => ({ ...c })) };
  for (let i = 0; i < chunks.length; i++) applyChunk(next, chunks[i]!);
  return next;
}

/**
 * Where choice `index` is in choices kept in index order without gaps; an
 * empty choice is put there first when there is none.
 */
function slotOf(choices: ChoiceState[], index: number): number {
  // Nearly every chunk is for the one choice there is.
  if (choices[0]?.index === index) return 0;
  let found = choices.findIndex((c) => c.index >= index);
  if (found < 0) found = choices.length;
  if (choices[found]?.index !== index) choices.splice(found, 0, emptyChoice(index));
  return found;
}

/** A non-streamed completion, expressed as the same answer state. */
export function answerFromCompletion(body: WireCompletion): AnswerState {
  const state = emptyAnswer();
  state.id = body.id ?? '';
  state.model = body.model ?? '';
  state.systemFingerprint = body.system_fingerprint ?? null;
  state.usage = toUsage(body.usage);
  state.chunkCount = 1;
  for (const c of Array.isArray(body.choices) ? body.choices : []) {
    const index = c.index ?? 0;
    if (!usableIndex(index)) {
      state.ignored++;
      continue;
    }
    const choice = emptyChoice(index);
    if (c.message) applyDelta(choice, c.message, state);
    applyLogprobs(choice, c.logprobs);
    choice.finishReason = c.finish_reason ?? null;
    state.choices[slotOf(state.choices, index)] = choice;
  }
  return state;
}

/** The first choice, which is the answer shown when n is 1. */
export function primaryChoice(state: AnswerState): ChoiceState {
  return state.choices.find((c) => c.index === 0) ?? emptyChoice(0);
}

/** The answer has begun: text, a refusal, reasoning or a tool call (not just its role). */
export function hasOutput(answer: AnswerState): boolean {
  const c = primaryChoice(answer);
  return c.content !== '' || c.refusal !== '' || c.toolCalls.length > 0 || c.reasoning !== '';
}
