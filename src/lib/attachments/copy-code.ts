import type { Attachment } from 'svelte/attachments';

const COPIED_MS = 1500;

/**
 * Wires the Copy buttons that lib/render puts on code blocks (`.md-copy`).
 * They live inside rendered HTML, so one delegated listener on the wrapper
 * serves them all instead of per-button handlers.
 */
export const copyCodeButtons: Attachment<HTMLElement> = (root) => {
  async function onclick(event: MouseEvent) {
    const button = event.target instanceof Element ? event.target.closest('.md-copy') : null;
    if (!(button instanceof HTMLButtonElement) || !root.contains(button)) return;
    const code = button.closest('pre')?.querySelector('code');
    if (!code) return;
    let label = 'Copied';
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
    } catch {
      label = 'Copy failed'; // no clipboard access (insecure context, denied)
    }
    button.textContent = label;
    setTimeout(() => (button.textContent = 'Copy'), COPIED_MS);
  }
  root.addEventListener('click', onclick);
  return () => root.removeEventListener('click', onclick);
};
