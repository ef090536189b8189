// Streaming answers are drawn on a frame, at most once per UPDATE_MS, all of
// them in the same frame.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BURST_CHARS, UPDATE_MS, UpdateCadence } from '../../src/lib/state/update-cadence';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Frames every 16 ms on the fake clock; `count` of them have run. */
function frames() {
  const waiting: (() => void)[] = [];
  const state = { count: 0 };
  const frame = (fn: () => void) => waiting.push(fn);
  const tick = () => {
    vi.advanceTimersByTime(16);
    state.count++;
    waiting.splice(0).forEach((fn) => fn());
  };
  return { frame, tick, state };
}

/** One streaming answer: asks for a draw whenever a token comes and none is pending. */
function answer(
  cadence: UpdateCadence,
  drawn: { at: number; frame: number }[],
  frame: () => number,
) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    cadence.schedule(() => {
      pending = false;
      drawn.push({ at: Date.now(), frame: frame() });
    });
  };
}

describe('UpdateCadence', () => {
  it('draws the first update on the next frame', () => {
    const { frame, tick } = frames();
    const cadence = new UpdateCadence(UPDATE_MS, () => Date.now(), frame);
    const flush = vi.fn();
    cadence.schedule(flush);
    expect(flush).not.toHaveBeenCalled();
    tick();
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('draws an update that brought more than BURST_CHARS a cadence step later, not on the next frame', () => {
    const { frame, tick, state } = frames();
    const cadence = new UpdateCadence(UPDATE_MS, () => Date.now(), frame);
    const small = vi.fn();
    cadence.schedule(small, BURST_CHARS);
    tick();
    expect(small).toHaveBeenCalledTimes(1); // up to BURST_CHARS: at once
    for (let i = 0; i < 10; i++) tick(); // nothing drawn for a while
    const big = vi.fn();
    const asked = Date.now();
    cadence.schedule(big, BURST_CHARS + 1);
    const before = state.count;
    while (big.mock.calls.length === 0) tick();
    expect(state.count - before).toBeGreaterThan(1);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(UPDATE_MS - 8);
    expect(Date.now() - asked).toBeLessThanOrEqual(UPDATE_MS + 16);
  });

  it('draws a stream about every UPDATE_MS, never every frame', () => {
    const { frame, tick, state } = frames();
    const cadence = new UpdateCadence(UPDATE_MS, () => Date.now(), frame);
    const drawn: { at: number; frame: number }[] = [];
    const token = answer(cadence, drawn, () => state.count);
    for (let t = 0; t < 1000; t += 16) {
      token();
      tick();
    }
    expect(drawn.length).toBeGreaterThan(1000 / (UPDATE_MS + 16) - 1);
    expect(drawn.length).toBeLessThanOrEqual(1000 / UPDATE_MS + 1);
    const gaps = drawn.slice(1).map((d, i) => d.at - drawn[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(UPDATE_MS - 8);
  });

  it('draws four answers streaming at once in the same frames', () => {
    const { frame, tick, state } = frames();
    const cadence = new UpdateCadence(UPDATE_MS, () => Date.now(), frame);
    const drawn = [0, 1, 2, 3].map(() => [] as { at: number; frame: number }[]);
    const tokens = drawn.map((d) => answer(cadence, d, () => state.count));
    for (let t = 0; t < 500; t += 16) {
      tokens.forEach((token, i) => (t % (i + 2) === 0 ? token() : undefined));
      tick();
    }
    const framesOf = drawn.map((d) => new Set(d.map((x) => x.frame)));
    const all = new Set(framesOf.flatMap((f) => [...f]));
    // Every drawing frame is one where the first answer (asked each time) drew too.
    for (const f of all) expect(framesOf[0]!.has(f)).toBe(true);
    expect(all.size).toBeLessThanOrEqual(500 / UPDATE_MS + 1);
  });
});
