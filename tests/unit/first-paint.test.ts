import { afterEach, describe, expect, it, vi } from 'vitest';

/** afterFirstPaint from a fresh module: it remembers the first frame once per page. */
async function fresh() {
  vi.resetModules();
  return (await import('../../src/lib/state/idle')).afterFirstPaint;
}

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setTimeout(r, 0));
  return done;
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('afterFirstPaint', () => {
  it('waits for the page to draw a frame, then resolves for every caller', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('document', { visibilityState: 'visible' });
    const afterFirstPaint = await fresh();
    const first = afterFirstPaint();
    expect(await settled(first)).toBe(false);
    expect(frames).toHaveLength(1);
    frames[0]!(0);
    expect(await settled(first)).toBe(true);
    expect(await settled(afterFirstPaint())).toBe(true);
    expect(frames).toHaveLength(1); // one frame asked for, ever
  });

  it('resolves each caller in a task of its own, so they do not start in one long task', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('document', { visibilityState: 'visible' });
    const afterFirstPaint = await fresh();
    const order: string[] = [];
    const first = afterFirstPaint().then(() => {
      order.push('first');
      queueMicrotask(() => order.push("the first's microtask"));
    });
    const second = afterFirstPaint().then(() => order.push('second'));
    frames[0]!(0);
    await Promise.all([first, second]);
    // In one task, the second would have come before the first's microtask.
    expect(order).toEqual(['first', "the first's microtask", 'second']);
  });

  it('does not wait in a background tab, which draws no frame until it is shown', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    const afterFirstPaint = await fresh();
    expect(await settled(afterFirstPaint())).toBe(true);
    expect(frames).toHaveLength(0);
  });
});
