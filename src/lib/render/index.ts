// The render layer: the only producer of HTML from untrusted text.
export {
  clearRenderCache,
  renderMarkdown,
  renderMarkdownBlocks,
  safeUrl,
  type RenderedBlock,
} from './markdown';
