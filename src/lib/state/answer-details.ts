import type { AnswerState, ChoiceState } from '../api';
import type { AnswerChoice, Message } from '../model/types';

function toAnswerChoice(c: ChoiceState | undefined): AnswerChoice {
  if (!c) return { content: '', finishReason: null };
  const out: AnswerChoice = { content: c.content, finishReason: c.finishReason };
  if (c.refusal) out.refusal = c.refusal;
  if (c.reasoning) out.reasoning = c.reasoning;
  if (c.toolCalls.length) out.toolCalls = c.toolCalls;
  if (c.logprobs.length) out.logprobs = c.logprobs;
  if (c.refusalLogprobs.length) out.refusalLogprobs = c.refusalLogprobs;
  return out;
}

/**
 * Adds what `answerToMessage` leaves out: the log probabilities of choice 0
 * and, for n > 1, every choice (choice 0 stays the message's own content).
 */
export function withAnswerDetails(msg: Message, answer: AnswerState): Message {
  const out: Message = { ...msg };
  const first = answer.choices[0];
  if (first?.logprobs.length) out.logprobs = first.logprobs;
  if (first?.refusalLogprobs.length) out.refusalLogprobs = first.refusalLogprobs;
  if (answer.choices.length > 1) {
    // A choice that never arrived is kept as an empty one so indexes stay true.
    out.choices = Array.from(answer.choices, toAnswerChoice);
    out.chosen = 0;
  }
  return out;
}
