// Keeps a scroll container at its bottom while what is inside grows (a
// streaming answer), unless the user has scrolled up to read; then it waits
// until they come back down or jump.
import type { Attachment } from 'svelte/attachments';

/** Closer than this to the bottom counts as at the bottom (a line of slack). */
const SLACK_PX = 48;

export class FollowBottom {
  #atBottom = $state(true);
  #el: HTMLElement | null = null;

  /** The user is at (or near) the bottom: new content is followed. */
  get atBottom(): boolean {
    return this.#atBottom;
  }

  /** For the scroll container; its first child is the content that grows. */
  readonly attach: Attachment<HTMLElement> = (el) => {
    this.#el = el;
    // Only the reader moves the view up. Content that grows between our
    // scroll and its event (a fast stream adds many lines per frame) leaves
    // the view short of the bottom, but lower than before: still following.
    // A container just made is at its top; reading scrollTop here would force
    // a layout of the page half built.
    let lastTop = 0;
    const onScroll = () => {
      const top = el.scrollTop;
      if (el.scrollHeight - top - el.clientHeight <= SLACK_PX) this.#atBottom = true;
      else if (top < lastTop - 1) this.#atBottom = false;
      lastTop = top;
    };
    // A wheel turned up means "let me read" even before the view has moved.
    const onWheel = (e: WheelEvent) => {
      if (e.deltaY < 0 && el.scrollTop > 0) this.#atBottom = false;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('wheel', onWheel, { passive: true });
    const follow = () => {
      if (!this.#atBottom) return;
      el.scrollTop = el.scrollHeight;
      lastTop = el.scrollTop;
    };
    // jsdom and old browsers have no ResizeObserver: nothing to follow there.
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(follow) : null;
    const content = el.firstElementChild;
    if (observer) {
      observer.observe(el);
      if (content) observer.observe(content);
    }
    // With an observer, its first report (after the first layout) scrolls:
    // scrolling now would force a layout of the page half built.
    if (!observer) {
      el.scrollTop = el.scrollHeight;
      lastTop = el.scrollTop;
    }
    return () => {
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('wheel', onWheel);
      observer?.disconnect();
      if (this.#el === el) this.#el = null;
    };
  };

  /** Back to the newest content, and follow it again. */
  jump() {
    this.#atBottom = true;
    const el = this.#el;
    if (el) el.scrollTop = el.scrollHeight;
  }
}
