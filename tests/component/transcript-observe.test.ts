// The transcript asks an IntersectionObserver which blocks of a long
// conversation are near the reader (nearby.svelte.ts). A streaming answer
// replaces its message at every update; its block must stay observed as it
// is, not be dropped and observed again each time (each time an intersection
// pass of its own, on the main thread of a fast stream).
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRequest, RunResult } from '../../src/lib/api';
import Transcript from '../../src/components/Transcript.svelte';
import { createConversation } from '../../src/lib/model/conversation';
import { ChatSession } from '../../src/lib/state/chat-session.svelte';
import { answerState } from '../builders/answers';

const calls: string[] = [];

/** Records what is observed; says every element is on screen. */
class FakeObserver {
  constructor(private readonly callback: IntersectionObserverCallback) {}
  observe(el: Element) {
    calls.push(`observe ${el.classList[0]}`);
    const entry = { target: el, isIntersecting: true } as IntersectionObserverEntry;
    this.callback([entry], this as unknown as IntersectionObserver);
  }
  unobserve(el: Element) {
    calls.push(`unobserve ${el.classList[0]}`);
  }
  disconnect() {}
}

const original = globalThis.IntersectionObserver;
beforeEach(() => {
  calls.length = 0;
  globalThis.IntersectionObserver = FakeObserver as unknown as typeof IntersectionObserver;
});
afterEach(() => {
  globalThis.IntersectionObserver = original;
});

describe('Transcript while an answer streams', () => {
  it('observes the answer’s block once, not again at every update', async () => {
    const flushes: (() => void)[] = [];
    let update: RunRequest['onUpdate'] = () => {};
    let end: (r: RunResult) => void = () => {};
    const session = new ChatSession(createConversation({ model: 'gpt-4o' }), {
      config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
      idleTimeoutMs: () => 60_000,
      run: (req) => {
        update = req.onUpdate;
        return new Promise((resolve) => (end = resolve));
      },
      schedule: (f) => flushes.push(f),
    });
    render(Transcript, { session });
    session.draft = 'Tell me more.';
    const sent = session.send();
    await Promise.resolve();
    flushSync();
    const timing = { startedAt: 1 };
    let text = '';
    for (const word of ['One', ' two', ' three', ' four', ' five']) {
      text += word;
      update(answerState(text, null), timing);
      for (const flush of flushes.splice(0)) flush();
      flushSync();
    }
    expect(screen.getByText('One two three four five')).toBeInTheDocument();
    end({ answer: answerState(text, 'stop'), outcome: 'done', timing });
    await sent;
    flushSync();

    expect(calls.filter((c) => c.startsWith('unobserve'))).toEqual([]);
    expect(calls).toEqual(['observe block']);
  });
});
