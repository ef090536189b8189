// The render layer: the only producer of HTML from untrusted text. Nothing
// imported here pulls in marked, DOMPurify or highlight.js: they load on first
// need (load.svelte.ts).
export { clearRenderCache } from './block-cache';
export { safeUrl } from './escape';
export { IncrementalMarkdown, type MarkdownView, type RenderedBlock } from './incremental';
export { loadHighlighter, loadRenderer, renderMarkdown, warmRenderer } from './load.svelte';
