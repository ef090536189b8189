// Focus moves that several components need: into something that appears, and
// back to where it was when that thing goes away. Keyboard and screen-reader
// users must never find focus dropped on <body>.
import type { Attachment } from 'svelte/attachments';

// Enabled, and in the tab order (a roving tabindex leaves -1 on all but one).
const usable = (selectors: string[]) =>
  selectors.map((s) => `${s}:not([disabled]):not([tabindex="-1"])`).join(', ');
const FIELDS = ['input:not([type="hidden"])', 'select', 'textarea'];
const FIELD = usable(FIELDS);
const CONTROL = usable([...FIELDS, 'button', 'a[href]', '[tabindex]']);

/**
 * Focuses the element once it is on the page: an editor that appears on Edit,
 * the control a dialog should open on.
 */
export const autofocus: Attachment<HTMLElement> = (node) => {
  // After the update that mounts it, so a dialog around it has been shown.
  queueMicrotask(() => {
    if (node.isConnected) node.focus();
  });
};

/**
 * Moves focus into `container`: to its first field, else its first control,
 * else the container itself (which then needs tabindex="-1").
 */
export function focusInto(container: HTMLElement): void {
  const target =
    container.querySelector<HTMLElement>(FIELD) ?? container.querySelector<HTMLElement>(CONTROL);
  (target ?? container).focus();
}

/**
 * Puts focus back on `opener` (what had it before `container` appeared) if
 * focus is now nowhere or still inside `container`; a user who has since put
 * it somewhere else on the page keeps it there.
 */
export function giveFocusBack(opener: Element | null, container: Element): void {
  const now = document.activeElement;
  const dropped = !now || now === document.body || container.contains(now);
  if (!dropped) return;
  if (opener instanceof HTMLElement && opener.isConnected && opener !== document.body) {
    opener.focus();
  } else {
    // Nothing had focus before (a dialog opened on load): the page's home field takes it.
    focusHome();
  }
}

/** Gives focus back, when the element goes away, to what had it when the element appeared. */
export const returnFocus: Attachment<HTMLElement> = (node) => {
  const opener = document.activeElement;
  // After the update that removes the element, when focus has settled.
  return () => queueMicrotask(() => giveFocusBack(opener, node));
};

/** The page's home field (the Message box): where focus goes when it has nowhere better. */
function focusHome(): void {
  document.querySelector<HTMLElement>('[data-focus-home]')?.focus();
}

/**
 * Whether the primary pointer is a finger. There, focusing the Message box
 * after a tap would open the on-screen keyboard over the answer, and nobody
 * moves through the page with Tab: focus is left where the tap put it.
 */
export const touchFirst = (): boolean =>
  typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

/** Whether `el` can no longer hold focus: gone, disabled, or not rendered. */
const cannotHoldFocus = (el: Element) =>
  !el.isConnected ||
  (el as HTMLButtonElement).disabled === true ||
  (typeof el.checkVisibility === 'function' && !el.checkVisibility());

/**
 * Catches focus that the page drops on <body>: a control that disables itself
 * or goes away as it acts (Regenerate and Retry while the answer runs, Delete,
 * Retry now) takes the focus with it, and the browser leaves it nowhere. Once
 * everything that puts focus back has run (dialogs give it to their opener),
 * focus still on <body> goes to the Message box. A click on empty space also
 * leaves focus on <body>, but from a control that can still hold it: left so.
 * So is a touch screen's (see touchFirst). Returns the remover.
 */
export function keepFocusOnPage(): () => void {
  const onFocusOut = (e: FocusEvent) => {
    if (e.relatedTarget !== null || !(e.target instanceof Element)) return;
    const lost = e.target;
    setTimeout(() => {
      const now = document.activeElement;
      if ((now === null || now === document.body) && cannotHoldFocus(lost) && !touchFirst()) {
        focusHome();
      }
    }, 0);
  };
  document.addEventListener('focusout', onFocusOut, true);
  return () => document.removeEventListener('focusout', onFocusOut, true);
}
