// The second layer of the render path: DOMPurify with an allowlist of exactly
// the tags and attributes our Markdown renderer produces, and only
// http(s)/mailto/relative URLs. If the first layer (markdown.ts) ever has a
// bug, this one still holds. Loaded with the renderer, never at startup.

import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';

// No img, input, form, style, script, iframe, object, embed, svg or math.
const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'button',
  'code',
  'del',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'span',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];
const ALLOWED_ATTR = [
  'align',
  'aria-label',
  'class',
  'data-lang',
  'href',
  'rel',
  'role',
  'start',
  'target',
  'title',
  'type',
];

const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  // http(s), mailto, or no scheme at all (relative paths, #fragments).
  // DOMPurify strips whitespace before testing, so " javascript:" fails too.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
};

// Classes our renderer and highlight.js emit (hljs v11 adds sub-scope tokens
// like `function_`). Anything else is dropped so sanitized output can never
// borrow the app's own classes.
const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|md-[\w-]+|[a-z]\w*_+)$/;

let purifier: Purifier | undefined;

/** Our own DOMPurify instance, so our hooks never touch anyone else's. */
function getPurifier(): Purifier {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  // Without a DOM, DOMPurify returns its input unchanged; refuse instead.
  if (!p.isSupported) throw new Error('DOMPurify is not supported in this environment.');
  p.setConfig(PURIFY_CONFIG);
  p.addHook('uponSanitizeAttribute', (_node, event) => {
    if (event.attrName !== 'class') return;
    const kept = event.attrValue.split(/\s+/).filter((c) => SAFE_CLASS.test(c));
    event.attrValue = kept.join(' ');
    if (kept.length === 0) event.keepAttr = false;
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    // Every link opens in a new tab and gets no window.opener or referrer.
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  purifier = p;
  return p;
}

/**
 * Sanitizes HTML with the render allowlist. Everything the render layer hands
 * to {@html} has been through here. Exported on its own so tests can check
 * this layer without the first one in front of it.
 */
export function sanitizeHtml(html: string): string {
  return getPurifier().sanitize(html);
}
