// The live prompt count: a rough figure at once, the exact one once the
// tokenizer (in a worker) has it; the history goes to the counter only when it
// changes, so a keystroke sends just the draft.
import { describe, expect, it, vi } from 'vitest';
import type { Message } from '../../src/lib/model/types';
import { TokenCountState } from '../../src/lib/state/token-count.svelte';
import { TokenCounter, type PromptCount } from '../../src/lib/tokens';

const messages: Message[] = [
  { id: 'u', role: 'user', content: 'What is a token?' },
  { id: 'a', role: 'assistant', content: 'A piece of text the model reads.' },
];

/** A counter that answers when told, recording what it was sent. */
function heldCounter() {
  const sent: PromptCount[] = [];
  const answers: ((n: number) => void)[] = [];
  const counter = new TokenCounter();
  vi.spyOn(counter, 'count').mockImplementation((req) => {
    sent.push(req);
    return new Promise<number>((resolve) => answers.push(resolve));
  });
  return { counter, sent, answer: (n: number) => answers.shift()?.(n) };
}

describe('TokenCountState', () => {
  it('shows a rough estimate at once, then the exact count once the page is idle', async () => {
    vi.useFakeTimers();
    const { counter, sent, answer } = heldCounter();
    let pageIdle = () => {};
    const idle = (start: () => void) => ((pageIdle = start), () => {});
    const state = new TokenCountState({ counter, debounceMs: 10, idle });
    state.update({ model: 'gpt-4o', systemMessage: '', messages, draft: 'Hi' });
    const chars = 'What is a token?'.length + 'A piece of text the model reads.'.length + 2;
    expect(state.estimate).toMatchObject({ tokens: Math.ceil(chars / 4), rough: true });
    // The vocabulary is not asked for while the page is starting up.
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([]);
    pageIdle();
    await vi.advanceTimersByTimeAsync(10);
    answer(42);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.estimate).toMatchObject({ tokens: 42, rough: false, model: 'gpt-4o' });
    vi.useRealTimers();
  });

  it('keeps one history while only the draft changes, and makes a new one when a message does', async () => {
    vi.useFakeTimers();
    const { counter, sent, answer } = heldCounter();
    const idle = (start: () => void) => (start(), () => {});
    const state = new TokenCountState({ counter, debounceMs: 10, idle });
    const input = { model: 'gpt-4o', systemMessage: 'Be brief.', messages, draft: 'H' };
    state.update(input);
    await vi.advanceTimersByTimeAsync(10);
    answer(1);
    state.update({ ...input, draft: 'Hello' });
    await vi.advanceTimersByTimeAsync(10);
    answer(2);
    state.update({ ...input, messages: [...messages], draft: 'Hello' });
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.map((r) => [r.key, r.draft])).toEqual([
      [1, 'H'],
      [1, 'Hello'],
      [2, 'Hello'],
    ]);
    expect(sent[0]!.history!.chat).toBe(sent[1]!.history!.chat); // built once, not per keystroke
    vi.useRealTimers();
  });
});
