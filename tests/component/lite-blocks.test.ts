// The far blocks of a long transcript: cut into blocks that keep their
// identity while unchanged, and drawn as text-only stand-ins.
import { describe, expect, it } from 'vitest';
import { message } from '../builders/conversations';
import { BLOCK_SIZE, blocksOf, liteBlock } from '../../src/lib/attachments/lite-blocks';

const messages = (n: number) =>
  Array.from({ length: n }, (_, i) => message(`m${i}`, i % 2 ? 'assistant' : 'user', `Text ${i}`));

describe('blocksOf', () => {
  it('cuts the transcript in blocks and keeps every block whose messages did not change', () => {
    const all = messages(BLOCK_SIZE * 2 + 3);
    const first = blocksOf(all);
    expect(first.map((b) => [b.key, b.from, b.messages.length])).toEqual([
      ['b0', 0, BLOCK_SIZE],
      ['b1', BLOCK_SIZE, BLOCK_SIZE],
      ['b2', BLOCK_SIZE * 2, 3],
    ]);
    // A streamed update replaces the last message: only the last block is new.
    const streamed = [...all.slice(0, -1), { ...all.at(-1)!, content: 'Text, more' }];
    const second = blocksOf(streamed, first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).not.toBe(first[2]);
    // A message deleted at the top shifts every block.
    const third = blocksOf(streamed.slice(1), second);
    expect(third.every((b, i) => b !== second[i])).toBe(true);
  });

  it("keys a conversation's newest blocks as they will be once its earlier messages arrive", () => {
    const all = messages(BLOCK_SIZE * 5);
    const earlier = BLOCK_SIZE * 3 + 1; // the newest 39 shown first
    const head = blocksOf(all.slice(earlier), [], earlier);
    expect(head.map((b) => [b.key, b.from, b.messages.length])).toEqual([
      ['b3', 0, BLOCK_SIZE - 1],
      ['b4', BLOCK_SIZE - 1, BLOCK_SIZE],
    ]);
    const whole = blocksOf(all, head);
    expect(whole.map((b) => b.key)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(whole[4]?.messages).toEqual(head[1]?.messages);
  });
});

describe('liteBlock', () => {
  it('draws each message as its text, never as HTML', () => {
    const el = document.createElement('div');
    const hostile = message('x', 'assistant', '<img src=x onerror="alert(1)"> **bold**');
    const call = message('c', 'assistant', '', {
      toolCalls: [
        { id: 'call_1', type: 'function', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    });
    const detach = liteBlock([message('u', 'user', 'Hello'), hostile, call])(el);
    const articles = [...el.querySelectorAll('article')];
    expect(articles.map((a) => a.getAttribute('aria-label'))).toEqual([
      'User message',
      'Assistant message',
      'Assistant message',
    ]);
    expect(articles[1]!.textContent).toBe('<img src=x onerror="alert(1)"> **bold**');
    expect(el.querySelector('img')).toBeNull();
    expect(articles[2]!.textContent).toBe('get_weather({"city":"Oslo"})');
    if (typeof detach === 'function') detach();
    expect(el.childElementCount).toBe(0);
  });
});
