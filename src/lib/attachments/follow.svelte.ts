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
    const onScroll = () => {
      this.#atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK_PX;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const follow = () => {
      if (this.#atBottom) el.scrollTop = el.scrollHeight;
    };
    // jsdom and old browsers have no ResizeObserver: nothing to follow there.
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(follow) : null;
    const content = el.firstElementChild;
    if (observer) {
      observer.observe(el);
      if (content) observer.observe(content);
    }
    el.scrollTop = el.scrollHeight;
    return () => {
      el.removeEventListener('scroll', onScroll);
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
