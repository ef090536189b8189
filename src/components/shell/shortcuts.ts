// The page-wide keyboard shortcuts: one list for the handler and for the
// Keyboard shortcuts card, so the card never lies.
import type { AppState } from '../../lib/state/app.svelte';

/** "Mod" is Ctrl, or ⌘ on a Mac. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Mod+Enter', does: 'Send (in the message box, a result box, Paste JSON)' },
  { keys: 'Esc', does: 'Stop the answer(s) running; close a dialog, menu or panel' },
  { keys: 'Mod+K', does: 'Search conversations' },
  { keys: 'Mod+Shift+O', does: 'New conversation' },
  { keys: 'Shift+Alt+F', does: 'Format the JSON in an editor' },
  { keys: 'Mod+Z', does: 'Undo in an editor (Mod+Shift+Z redoes)' },
  { keys: 'Enter', does: 'Save a conversation title while renaming (Esc cancels)' },
  { keys: '?', does: 'Show this list' },
];

/** Typing into a field: single keys ("?") belong to it. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

export function onGlobalKey(e: KeyboardEvent, app: AppState) {
  const { shell, open, settings, library } = app;
  if (e.defaultPrevented) return;
  const mod = e.ctrlKey || e.metaKey;
  if (e.key === 'Escape') {
    if (settings.dialogOpen) return;
    if (shell.drawerOpen) {
      e.preventDefault();
      shell.closeDrawer();
    } else if (open.busy) {
      e.preventDefault();
      open.stop();
    }
  } else if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') {
    e.preventDefault();
    shell.findConversation();
  } else if (mod && e.shiftKey && e.key.toLowerCase() === 'o') {
    e.preventDefault();
    void library.create();
  } else if (e.key === '?' && !mod && !e.altKey && !typing(e.target)) {
    e.preventDefault();
    shell.open('shortcuts');
  }
}
