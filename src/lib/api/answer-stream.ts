// A streamed answer, read and added up: the one way, whether it runs in the
// page or in the stream worker (stream.worker.ts). Each network read's chunks
// are added up together and handed on once: at full speed a read holds
// hundreds.
import { accumulateChunks, emptyAnswer, type AnswerState } from './accumulator';
import { readChatStream } from './sse';
import type { WireChunk } from './wire';

export interface AnswerHandlers {
  /** Every network read, before it is decoded (the stall watchdog). */
  onBytes(): void;
  /** Every event's data, verbatim, `[DONE]` included (the request inspector). */
  onPayload(data: string): void;
  /**
   * Events past the inspector's MAX_STORED_CHUNKS, counted instead of handed
   * over (only the stream worker's reader does this: it saves copying them).
   */
  onOmitted?(count: number): void;
  /** The answer so far, after a read that added to it. */
  onAnswer(answer: AnswerState): void;
}

/** Reads a streamed chat completion to its end; rejects as readChatStream does. */
export type ReadAnswer = (res: Response, on: AnswerHandlers) => Promise<void>;

export const readAnswer: ReadAnswer = async (res, on) => {
  let answer = emptyAnswer();
  let unread: WireChunk[] = [];
  const publish = () => {
    if (unread.length === 0) return;
    answer = accumulateChunks(answer, unread);
    unread = [];
    on.onAnswer(answer);
  };
  try {
    await readChatStream(res, {
      onBytes: () => on.onBytes(),
      onPayload: (data) => on.onPayload(data),
      onChunk: (chunk) => {
        unread.push(chunk);
      },
      onRead: publish,
    });
  } finally {
    publish(); // what came before a failure is kept
  }
};
