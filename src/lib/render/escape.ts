// Escaping text for HTML, and deciding which link destinations may be links.
// No dependencies: the plain-text fallback and the Markdown renderer share it.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML content and in double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

// Named references that can matter in a URL. Anything not listed here is left
// as literal text, and since we re-escape `&` on output the browser sees that
// same literal text, so an unknown reference can never smuggle in a character.
const NAMED_REFS: Record<string, string> = {
  amp: '&',
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  num: '#',
  quest: '?',
  period: '.',
  lpar: '(',
  rpar: ')',
  nbsp: '\u00a0',
};

function codePoint(n: number): string {
  const invalid = n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff);
  return String.fromCodePoint(invalid ? 0xfffd : n);
}

/**
 * Decodes HTML character references in a link destination, as CommonMark asks
 * and as a browser would when reading the attribute. marked keeps them
 * verbatim in `token.href` (e.g. `&#106;avascript:`), so we decode first and
 * check the decoded value; the value we check is exactly the value we emit.
 */
function decodeCharRefs(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g,
    (ref, dec, hex, name) => {
      if (dec !== undefined) return codePoint(Number.parseInt(dec as string, 10));
      if (hex !== undefined) return codePoint(Number.parseInt(hex as string, 16));
      return NAMED_REFS[(name as string).toLowerCase()] ?? ref;
    },
  );
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Returns the href to emit, or null when the link must not be a link.
 * Allowed: http, https, mailto, and scheme-less (relative, `#fragment`).
 * Browsers ignore ASCII whitespace and control characters inside a scheme
 * (`java\tscript:`), so the scheme is read with those removed.
 */
export function safeUrl(href: string, { decode = true } = {}): string | null {
  const decoded = decode ? decodeCharRefs(href) : href;
  // eslint-disable-next-line no-control-regex -- stripping control chars is the point
  const probe = decoded.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([^:/?#]*):/.exec(probe)?.[1];
  if (scheme !== undefined && !SAFE_SCHEMES.has(scheme.toLowerCase())) return null;
  try {
    // Percent-encode spaces and non-ASCII like marked does, without
    // double-encoding escapes that are already there.
    return encodeURI(decoded.trim()).replace(/%25/g, '%');
  } catch {
    return null; // lone surrogate
  }
}
