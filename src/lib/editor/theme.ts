// The JSON editors in the page's colours. Every colour is a CSS variable from
// app.css, so the editors follow the theme (the system's, or the one picked with
// the Theme control) by CSS alone: nothing is reconfigured when it changes.
// CodeMirror's own base theme stays in its light variant (no `dark: true`
// theme is ever set); each light colour it sets is overridden here.

import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import type { Extension } from '@codemirror/state';

const look = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--surface)' },
  // The focus ring is drawn over the editor's edge rather than as an outline:
  // the sticky gutter paints over an inset outline, and a scrolling container
  // around the editor clips an outset one. Above the gutter (200), below tooltips (500).
  '&.cm-focused': { outline: 'none' },
  '&.cm-focused::after': {
    content: '""',
    position: 'absolute',
    inset: '0',
    border: '2px solid var(--focus)',
    borderRadius: 'inherit',
    pointerEvents: 'none',
    zIndex: '250',
  },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground':
    { background: 'var(--selection)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface)',
    color: 'var(--muted)',
    borderColor: 'var(--border)',
  },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)', color: 'var(--fg)' },
  '.cm-specialChar': { color: 'var(--danger)' },
  '.cm-foldPlaceholder': {
    backgroundColor: 'var(--code-bg)',
    border: '1px solid var(--border)',
    color: 'var(--muted)',
  },
  // Tooltips: lint messages and the completion list with its info panel.
  '.cm-tooltip': {
    color: 'var(--fg)',
    backgroundColor: 'var(--surface)',
    border: '1px solid var(--border)',
  },
  '.cm-tooltip-section:not(:first-child)': { borderTopColor: 'var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    background: 'var(--accent)',
    color: 'var(--accent-fg)',
  },
  '.cm-tooltip-autocomplete-disabled ul li[aria-selected]': {
    background: 'var(--code-bg)',
    color: 'var(--fg)',
  },
  '.cm-completionDetail': { color: 'var(--muted)' },
  'li[aria-selected] .cm-completionDetail': { color: 'inherit' },
  // Lint: the message's side bar, and the range the cursor's message is about.
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
  '.cm-diagnostic-info, .cm-diagnostic-hint': { borderLeftColor: 'var(--muted)' },
  '.cm-lintRange-active': { backgroundColor: 'var(--warn-bg)' },
  '.cm-panels': { backgroundColor: 'var(--code-bg)', color: 'var(--fg)' },
  '.cm-panels-top': { borderBottomColor: 'var(--border)' },
  '.cm-panels-bottom': { borderTopColor: 'var(--border)' },
  '.cm-panel.cm-panel-lint ul [aria-selected]': { backgroundColor: 'var(--active-line)' },
});

/**
 * JSON tokens in the same colours as the code blocks in answers (highlight.js
 * classes in code-highlight.css): keys as attributes, true/false/null as literals.
 */
const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: 'var(--syn-attr)' },
  { tag: t.string, color: 'var(--syn-string)' },
  { tag: [t.number, t.bool, t.null], color: 'var(--syn-number)' },
  { tag: t.keyword, color: 'var(--syn-keyword)' },
  { tag: t.comment, color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: t.invalid, color: 'var(--danger)' },
]);

/** The editors' colours and syntax highlighting, for both themes. */
export const editorTheme: Extension = [look, syntaxHighlighting(highlight)];
