// What crosses from the stream worker to the page is what the answer gained
// (growth.ts): put on the answer the page has, it must give the worker's answer
// exactly, after a trip through structured clone, and carry only what is new.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accumulateChunks, emptyAnswer, type AnswerState } from '../../src/lib/api/accumulator';
import { grown, growthOf } from '../../src/lib/api/growth';
import type { WireChunk } from '../../src/lib/api/wire';
import { inRuns, recordedStreams, ssePayloads } from '../builders/streams';

/** A value as it arrives on the other side of postMessage. */
const crossed = <T>(v: T): T => structuredClone(v);

// Plain data of the kinds an answer holds, nested.
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'content', 'logprobs', 'id'), tie('value'), {
      maxKeys: 4,
    }),
  ),
}));

/** `prev`, grown the way answers grow: text appended to, lists added to, fields changed. */
const grownFrom = (prev: unknown): fc.Arbitrary<unknown> => {
  if (typeof prev === 'string') return fc.string().map((s) => prev + s);
  if (Array.isArray(prev)) {
    return fc.tuple(fc.array(value, { maxLength: 3 }), fc.boolean()).map(([more, touch]) => {
      const out = [...prev, ...more];
      if (touch && out.length) out[0] = 'changed';
      return out;
    });
  }
  return fc.oneof(value, fc.constant(prev));
};

describe('growth: what an answer gained', () => {
  it('puts back exactly the value it was taken from, across structured clone, leaving the old one be', () => {
    fc.assert(
      fc.property(
        value.chain((prev) => fc.tuple(fc.constant(prev), fc.oneof(value, grownFrom(prev)))),
        ([prev, next]) => {
          const before = structuredClone(prev);
          const g = growthOf(prev, next);
          expect(grown(crossed(prev), g === undefined ? g : crossed(g))).toEqual(next);
          expect(prev).toEqual(before);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('over every recorded stream in any reads: carries only the new text, never the old', () => {
    const streams = recordedStreams();
    expect(streams.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.constantFrom(...streams),
        fc.array(fc.nat(), { maxLength: 8 }),
        (sse, cuts) => {
          let worker: AnswerState = emptyAnswer();
          let page: AnswerState = emptyAnswer();
          for (const read of inRuns(ssePayloads(sse) as WireChunk[], cuts)) {
            const next = accumulateChunks(worker, read);
            const g = growthOf(worker, next);
            page = grown(page, g === undefined ? g : crossed(g));
            expect(page).toEqual(next);
            // The text already sent is not sent again.
            const before = worker.choices[0]?.content ?? '';
            if (before.length > 20 && g) expect(JSON.stringify(g)).not.toContain(before);
            worker = next;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an unchanged value has no growth; a shorter text or list is sent whole', () => {
    const state = { content: 'Hello', list: [1, 2, 3] };
    expect(growthOf(state, state)).toBeUndefined();
    expect(growthOf(state, { ...state })).toBeUndefined();
    expect(growthOf('Hello', 'Help')).toEqual({ v: 'Help' });
    expect(growthOf([1, 2, 3], [1])).toEqual({ v: [1] });
    expect(growthOf({ a: 1, b: 2 }, { a: 1 })).toEqual({ o: { b: { d: 1 } } });
  });
});
