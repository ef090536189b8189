// The one place an accumulated answer becomes a stored `Message`: while it
// streams (`toAnswerMessage`, once per frame) and when the request is over
// (`toFinalMessage`). State only decides where the message goes.

import { newId } from '../model/conversation';
import { audioFormatOf, joinBase64 } from '../model/audio';
import { localCallId } from '../model/tools';
import type { AnswerChoice, Message, MessageStatus, Timing, ToolCall } from '../model/types';
import { primaryChoice, type AnswerState, type ChoiceState } from './accumulator';
import type { RunOutcome, RunResult } from './run';

const STATUS_BY_OUTCOME: Record<RunOutcome, MessageStatus> = {
  done: 'done',
  stopped: 'stopped',
  stalled: 'stalled',
  incomplete: 'incomplete',
  error: 'error',
};

function toAnswerChoice(c: ChoiceState | undefined): AnswerChoice {
  if (!c) return { content: '', finishReason: null };
  const out: AnswerChoice = { content: c.content, finishReason: c.finishReason };
  if (c.refusal) out.refusal = c.refusal;
  if (c.reasoning) out.reasoning = c.reasoning;
  if (c.citations.length) out.citations = c.citations;
  if (c.toolCalls.length) out.toolCalls = c.toolCalls;
  if (c.logprobs.length) out.logprobs = c.logprobs;
  if (c.refusalLogprobs.length) out.refusalLogprobs = c.refusalLogprobs;
  return out;
}

/**
 * The answer so far, as a stored message: choice 0 is the message's own
 * content (with its log probabilities); for n > 1 every choice is kept too.
 */
export function toAnswerMessage(base: Message, answer: AnswerState, timing: Timing): Message {
  const c = primaryChoice(answer);
  const msg: Message = {
    ...base,
    content: c.content,
    finishReason: c.finishReason,
    usage: answer.usage,
    timing: { ...timing },
  };
  if (c.refusal) msg.refusal = c.refusal;
  if (c.reasoning) msg.reasoning = c.reasoning;
  if (c.citations.length) msg.citations = c.citations;
  if (c.toolCalls.length) msg.toolCalls = c.toolCalls;
  if (c.audio?.id) {
    // The sound is put together once, when the answer is over (toFinalMessage).
    msg.audio = { id: c.audio.id, data: '', format: 'pcm16', transcript: c.audio.transcript };
    if (c.audio.expiresAt !== undefined) msg.audio.expiresAt = c.audio.expiresAt;
  }
  if (answer.model) msg.model = answer.model;
  if (c.logprobs.length) msg.logprobs = c.logprobs;
  if (c.refusalLogprobs.length) msg.refusalLogprobs = c.refusalLogprobs;
  if (answer.ignored > 0) msg.ignored = answer.ignored;
  const last = answer.choices.at(-1)?.index ?? 0;
  if (last > 0) {
    // A choice that never arrived is kept as an empty one so indexes stay true
    // (at most MAX_INDEX + 1 of them: larger indexes were ignored).
    const byIndex = new Map(answer.choices.map((choice) => [choice.index, choice]));
    msg.choices = Array.from({ length: last + 1 }, (_, i) => toAnswerChoice(byIndex.get(i)));
    msg.chosen = 0;
  }
  return msg;
}

/** Nothing came back that a user could read or act on. */
export function isEmptyAnswer(m: Message): boolean {
  return m.content === '' && !m.refusal && !m.toolCalls && !m.reasoning && !m.audio;
}

/**
 * Gives every tool call an id. Legacy function_call answers (and some
 * servers) send none, yet results are linked to calls by id, and the current
 * tools format needs one on the wire.
 */
function withCallIds(m: Message): Message {
  const fill = (calls: ToolCall[] | undefined) =>
    calls?.some((c) => !c.id)
      ? calls.map((c) => (c.id ? c : { ...c, id: localCallId(newId()) }))
      : calls;
  const toolCalls = fill(m.toolCalls);
  if (toolCalls === m.toolCalls && !m.choices?.some((c) => c.toolCalls?.some((t) => !t.id))) {
    return m;
  }
  const out: Message = { ...m };
  if (toolCalls) out.toolCalls = toolCalls;
  if (m.choices) {
    out.choices = m.choices.map((c, i) => {
      const calls = i === (m.chosen ?? 0) ? toolCalls : fill(c.toolCalls);
      return calls ? { ...c, toolCalls: calls } : c;
    });
  }
  return out;
}

/** The answer as it is stored once its request is over: status, records, call ids. */
export function toFinalMessage(base: Message, result: RunResult): Message {
  const final = withCallIds({
    ...toAnswerMessage(base, result.answer, result.timing),
    status: STATUS_BY_OUTCOME[result.outcome],
  });
  const audio = primaryChoice(result.answer).audio;
  if (final.audio && audio?.data.length) {
    const data = joinBase64(audio.data);
    final.audio = { ...final.audio, data, format: audioFormatOf(data) };
  }
  if (result.requestId) final.requestId = result.requestId;
  if (result.error) final.error = result.error;
  if (result.request) final.request = result.request;
  if (result.response) final.response = result.response;
  return final;
}
