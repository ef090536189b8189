import { bench, describe } from 'vitest';
import { accumulateChunks, emptyAnswer } from '../../src/lib/api/accumulator';
import type { WireChunk } from '../../src/lib/api/wire';

// A 2,000-token answer arriving one token per chunk, as OpenAI streams it.
const chunks: WireChunk[] = [
  { id: 'c', model: 'gpt-4', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
  ...Array.from({ length: 2000 }, (_, i) => ({
    id: 'c',
    model: 'gpt-4',
    choices: [{ index: 0, delta: { content: i % 12 === 0 ? '\n\n' : ' token' } }],
  })),
  { id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  {
    id: 'c',
    choices: [],
    usage: { prompt_tokens: 50, completion_tokens: 2000, total_tokens: 2050 },
  },
];

describe('stream assembly', () => {
  bench('accumulate a 2,000-chunk answer, one read per chunk', () => {
    let state = emptyAnswer();
    for (const c of chunks) state = accumulateChunks(state, [c]);
  });
  bench('accumulate a 2,000-chunk answer, 40 chunks per read', () => {
    let state = emptyAnswer();
    for (let i = 0; i < chunks.length; i += 40) {
      state = accumulateChunks(state, chunks.slice(i, i + 40));
    }
  });
});
