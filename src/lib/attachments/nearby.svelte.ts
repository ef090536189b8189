// Which items of a long list are near what the reader sees: those are drawn
// in full, the rest as light text-only stand-ins (still found by the
// browser's search, still holding their place). An IntersectionObserver on
// the list's scroll container, with a margin, says which.
import type { Attachment } from 'svelte/attachments';
import { SvelteSet } from 'svelte/reactivity';

/** How far beyond the visible part an item still counts as near, so it is ready before it shows. */
const MARGIN = '1200px 0px';

/**
 * The element that scrolls `el`: the nearest ancestor marked `data-scroll-root`
 * (no style is read: asking for computed style while a long list is being
 * built forces a style pass over the page half done), else the nearest with a
 * scrolling overflow.
 */
function scrollParent(el: Element): Element | null {
  const marked = el.parentElement?.closest('[data-scroll-root]');
  if (marked) return marked;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p);
    if (overflowY === 'auto' || overflowY === 'scroll') return p;
  }
  return null;
}

export class Nearby {
  #near = new SvelteSet<string>();
  #observer: IntersectionObserver | null = null;
  #ids = new WeakMap<Element, string>();
  /** One attachment per id (see watch); not state: nothing draws from it. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #attachments = new Map<string, Attachment<HTMLElement>>();

  /** Without IntersectionObserver (jsdom) every item counts as near: all are drawn in full. */
  readonly everywhere = typeof IntersectionObserver !== 'function';

  has(id: string): boolean {
    return this.everywhere || this.#near.has(id);
  }

  /**
   * For the element standing for item `id`, full or light. The same function
   * for the same id: Svelte runs an attachment again (unobserve, observe, an
   * intersection pass) whenever its function is a new one, and the item
   * holding a streaming answer is a new object at every update.
   */
  watch(id: string): Attachment<HTMLElement> {
    let attachment = this.#attachments.get(id);
    if (!attachment) {
      attachment = (el) => {
        if (this.everywhere) return;
        this.#ids.set(el, id);
        this.#observe(el);
        return () => this.#observer?.unobserve(el);
      };
      this.#attachments.set(id, attachment);
    }
    return attachment;
  }

  #observe(el: HTMLElement) {
    this.#observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = this.#ids.get(entry.target);
          if (id === undefined) continue;
          if (entry.isIntersecting) this.#near.add(id);
          else this.#near.delete(id);
        }
      },
      { root: scrollParent(el), rootMargin: MARGIN },
    );
    this.#observer.observe(el);
  }

  destroy() {
    this.#observer?.disconnect();
  }
}
