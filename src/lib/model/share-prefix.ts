// The start of a share link's fragment, on its own so that the page can spot
// a share link without loading the share format (model/share.ts).
export const SHARE_PREFIX = '#share=';
