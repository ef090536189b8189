// A finished or partial answer as the runner reports it, for session tests.
import type { AnswerState } from '../../src/lib/api';
import { accumulateChunks, emptyAnswer } from '../../src/lib/api/accumulator';
import type { WireChunk } from '../../src/lib/api/wire';
import type { ToolCall } from '../../src/lib/model/types';

export function answerState(
  content: string,
  finishReason: string | null,
  {
    toolCalls = [],
    usage = true,
    model = 'gpt-4-0613',
  }: { toolCalls?: ToolCall[]; usage?: boolean; model?: string } = {},
): AnswerState {
  const a = emptyAnswer();
  a.model = model;
  a.choices = [
    {
      index: 0,
      role: 'assistant',
      content,
      refusal: '',
      reasoning: '',
      citations: [],
      toolCalls,
      toolIndexes: toolCalls.map((_, i) => i),
      finishReason,
      logprobs: [],
      refusalLogprobs: [],
      audio: null,
    },
  ];
  a.usage = usage ? { prompt: 10, completion: 3, total: 13 } : null;
  return a;
}

/** One chunk added to an answer (the runner adds a network read's chunks at once). */
export const accumulateChunk = (state: AnswerState, chunk: WireChunk): AnswerState =>
  accumulateChunks(state, [chunk]);
