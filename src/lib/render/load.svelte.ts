// The heavy half of the render layer loads on first need, never at startup:
// marked + DOMPurify (markdown.ts) when the first answer is shown, highlight.js
// (highlight.ts) when the first code block names a language. Each is a
// dynamic import here, so the build gives each its own chunk.
//
// What has loaded is reactive state: a component that rendered plain text (or
// plain code) because a part was missing renders again when it arrives.

import type * as MarkdownModule from './markdown';
import type { Highlighter } from './markdown';

/** The Markdown engine: lexing, rendering and sanitizing (markdown.ts). */
export type Engine = typeof MarkdownModule;

let engine = $state.raw<Engine | null>(null);
let highlighter = $state.raw<Highlighter | null>(null);
let engineLoad: Promise<Engine> | undefined;
let highlighterLoad: Promise<Highlighter> | undefined;

/**
 * Loads marked and DOMPurify (once). After it resolves, renderMarkdown() and
 * the blocks of IncrementalMarkdown are available synchronously.
 */
export function loadRenderer(): Promise<Engine> {
  engineLoad ??= import('./markdown').then(
    (module) => (engine = module),
    (error: unknown) => {
      engineLoad = undefined; // a later need tries again (say, back online)
      throw error;
    },
  );
  return engineLoad;
}

/** Loads highlight.js and its languages (once); code blocks rendered later are highlighted. */
export function loadHighlighter(): Promise<Highlighter> {
  highlighterLoad ??= import('./highlight').then(
    (module) => {
      // More languages arriving is a new highlighter to the renderers: code
      // they showed plain for want of its grammar is coloured again.
      module.whenMoreLanguages(() => (highlighter = (code, lang) => module.highlight(code, lang)));
      return (highlighter = module.highlight);
    },
    (error: unknown) => {
      highlighterLoad = undefined;
      throw error;
    },
  );
  return highlighterLoad;
}

/**
 * Runs the loaded renderer (and highlighter) over a sample, `passes` times, each
 * piece of it in a task of its own (markdown.ts warmUp() says why). Nothing when
 * it has not loaded.
 */
export function warmRenderer(passes: number, next: (fn: () => void) => void, piece = 0): void {
  if (!engine || passes <= 0) return;
  engine.warmUp(highlighter, piece);
  const last = piece + 1 === engine.WARM_PIECES;
  next(() => warmRenderer(last ? passes - 1 : passes, next, last ? 0 : piece + 1));
}

/** Starts a load without waiting for it. Until it lands the text stays plain, which is fine. */
function start(load: () => Promise<unknown>): void {
  load().catch((error: unknown) => console.warn('Parley: could not load the renderer', error));
}

/** The engine if it has loaded; otherwise starts loading it and returns null. Reactive. */
export function engineOrLoad(): Engine | null {
  if (!engine) start(loadRenderer);
  return engine;
}

/** The highlighter if it has loaded, else null. Reactive. */
export function currentHighlighter(): Highlighter | null {
  return highlighter;
}

/** A render showed a code block without colours: fetch highlight.js for the next one. */
export function wantHighlighter(): void {
  if (!highlighter) start(loadHighlighter);
}

/**
 * Renders a whole Markdown document (GFM) to sanitized HTML, as text to read
 * and compare (a page under Trusted Types takes only the blocks'
 * TrustedHTML). Synchronous, so only after `await loadRenderer()`; code
 * blocks are highlighted once `loadHighlighter()` has resolved (the first one
 * asks for it).
 */
export function renderMarkdown(text: string): string {
  if (!engine) throw new Error('renderMarkdown() needs `await loadRenderer()` first.');
  const { html, wantedHighlighter } = engine.renderTokens(engine.lex(text), highlighter);
  if (wantedHighlighter) wantHighlighter();
  return String(html);
}
