// The second layer of the render path: DOMPurify with an allowlist of exactly
// the tags and attributes our Markdown renderer produces, and only
// http(s)/mailto/relative URLs. If the first layer (markdown.ts) ever has a
// bug, this one still holds. Loaded with the renderer, never at startup.
//
// It is also the app's only source of HTML the browser will take: the page
// requires Trusted Types (index.html), so `innerHTML` and `{@html}` refuse
// plain strings, and the one policy that makes TrustedHTML, `parley-html`,
// lives here and signs nothing but DOMPurify's work.

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

/**
 * Sanitized HTML, for `{@html}`: a TrustedHTML where the browser has Trusted
 * Types, the string itself elsewhere (jsdom, browsers without them). Only
 * sanitizeHtml makes one; compare two with String(), not ===.
 */
export type SafeHtml = TrustedHTML | string;

/** While sanitizeHtml runs DOMPurify: the only time `parley-html` signs anything. */
let sanitizing = false;

/**
 * The `parley-html` policy, handed to DOMPurify alone. DOMPurify needs a policy
 * that signs strings as they are: the text it is about to parse (into an inert
 * document, where nothing runs) and the markup it keeps. Nothing else may get
 * a signature from it, even if the policy object leaked: outside a
 * sanitizeHtml call it refuses. Without Trusted Types (jsdom) there is none.
 */
function createPolicy() {
  const factory = window.trustedTypes;
  if (!factory) return null;
  return factory.createPolicy('parley-html', {
    createHTML: (html) => {
      if (!sanitizing) throw new TypeError('parley-html signs HTML only inside sanitizeHtml().');
      return html;
    },
    // DOMPurify insists on this hook, for attributes that load a script
    // (<script src>). None is on the allowlist, so it never gets that far.
    createScriptURL: () => {
      throw new TypeError('parley-html signs no script URLs.');
    },
  });
}

let purifier: Purifier | undefined;

/** Our own DOMPurify instance, so our hooks never touch anyone else's. */
function getPurifier(): Purifier {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  // Without a DOM, DOMPurify returns its input unchanged; refuse instead.
  if (!p.isSupported) throw new Error('DOMPurify is not supported in this environment.');
  // DOMPurify's typing asks for a whole policy; it calls only createHTML and
  // createScriptURL, and without createScript this one can never make a script.
  const policy = createPolicy() as TrustedTypePolicy | null;
  // Our policy, or none: never DOMPurify's own `dompurify` policy, which the
  // page's CSP does not allow (the attempt alone is a violation).
  p.setConfig(
    policy
      ? { ...PURIFY_CONFIG, RETURN_TRUSTED_TYPE: true, TRUSTED_TYPES_POLICY: policy }
      : { ...PURIFY_CONFIG, TRUSTED_TYPES_POLICY: null },
  );
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
 * to {@html} has been through here, and nothing else can be: the result is
 * TrustedHTML where Trusted Types are enforced. Exported on its own so tests
 * can check this layer without the first one in front of it.
 */
export function sanitizeHtml(html: string): SafeHtml {
  sanitizing = true;
  try {
    // The first call's setConfig (getPurifier) signs an empty string too.
    // Typed string, but with RETURN_TRUSTED_TYPE set it is TrustedHTML.
    return getPurifier().sanitize(html);
  } finally {
    sanitizing = false;
  }
}
