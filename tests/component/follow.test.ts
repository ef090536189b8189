// FollowBottom: a streaming answer is followed until the reader moves up,
// however far the content grew between a scroll and its event.
import { describe, expect, it } from 'vitest';
import { FollowBottom } from '../../src/lib/attachments/follow.svelte';

/** A scroll box with the geometry jsdom lacks, moved by hand. */
function scrollBox() {
  const el = document.createElement('div');
  el.append(document.createElement('div'));
  const box = { top: 0, height: 1000, client: 400 };
  Object.defineProperty(el, 'scrollHeight', { get: () => box.height });
  Object.defineProperty(el, 'clientHeight', { get: () => box.client });
  Object.defineProperty(el, 'scrollTop', {
    get: () => box.top,
    set: (v: number) => (box.top = Math.max(0, Math.min(v, box.height - box.client))),
  });
  const scrollTo = (top: number) => {
    el.scrollTop = top;
    el.dispatchEvent(new Event('scroll'));
  };
  return { el, box, scrollTo };
}

describe('FollowBottom', () => {
  it('starts at the bottom and stays following when content outgrows a scroll before its event', () => {
    const follow = new FollowBottom();
    const { el, box, scrollTo } = scrollBox();
    const detach = follow.attach(el);
    expect(el.scrollTop).toBe(600);
    expect(follow.atBottom).toBe(true);

    // Followed to 1600 of 2000, then 3000 more arrived before the scroll event.
    box.height = 2000;
    scrollTo(1600);
    box.height = 5000;
    el.dispatchEvent(new Event('scroll'));
    expect(follow.atBottom).toBe(true);
    detach?.();
  });

  it('stops when the reader scrolls or turns the wheel up, and follows again at the bottom or on jump', () => {
    const follow = new FollowBottom();
    const { el, scrollTo } = scrollBox();
    follow.attach(el);

    scrollTo(300);
    expect(follow.atBottom).toBe(false);
    scrollTo(600);
    expect(follow.atBottom).toBe(true);

    el.dispatchEvent(new WheelEvent('wheel', { deltaY: -40 }));
    expect(follow.atBottom).toBe(false);
    follow.jump();
    expect(follow.atBottom).toBe(true);
    expect(el.scrollTop).toBe(600);
  });
});
