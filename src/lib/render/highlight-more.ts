// The highlighting languages answers use less often, in a chunk of their own:
// fetched the first time a code block names one (highlight.ts).

import type { HLJSApi } from 'highlight.js';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import markdown from 'highlight.js/lib/languages/markdown';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const MORE = { c, cpp, css, diff, go, java, markdown, rust, sql, xml, yaml };

/** Registers the languages into highlight.ts's instance of highlight.js. */
export function registerMore(hljs: HLJSApi): void {
  for (const [name, grammar] of Object.entries(MORE)) hljs.registerLanguage(name, grammar);
}
