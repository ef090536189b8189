// Syntax highlighting for fenced code blocks. highlight.js is the heaviest part
// of the render path, so this module is loaded on its own, the first time a
// code block names a language (see load.svelte.ts); until then code blocks show
// as plain escaped code.

import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

// The core build plus a hand-picked set keeps the chunk small (the full
// highlight.js registers ~190 languages, close to 1 MB). Each grammar brings
// its usual aliases (js, ts, py, sh, html, yml, md, golang, rs, c++, ...).
const LANGUAGES = {
  bash,
  c,
  cpp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, grammar] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, grammar);
// highlight.js's `shell` grammar is for console sessions (`$ cmd` + output);
// models write ```shell for plain scripts, so `shell` means bash here and the
// session grammar keeps its `console` name.
hljs.registerLanguage('console', shell);
hljs.registerAliases(['shell', 'shellscript'], { languageName: 'bash' });

/**
 * The highlighted HTML of `code` (spans with hljs-* classes around escaped
 * text), or null when `language` is not one we know.
 */
export function highlight(code: string, language: string): string | null {
  if (hljs.getLanguage(language) === undefined) return null;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/**
 * highlight.js compiles a grammar the first time it is used: up to ~7 ms, in
 * the middle of the first answer with code in that language. Compiled here
 * instead, one grammar per idle moment, once this module has loaded.
 */
function compileWhenIdle(names: string[]): void {
  const name = names.shift();
  if (name === undefined || typeof requestIdleCallback !== 'function') return;
  requestIdleCallback((deadline) => {
    // A grammar takes up to ~7 ms: only in an idle period with room for it.
    if (deadline.timeRemaining() < 10) names.unshift(name);
    else hljs.highlight('', { language: name, ignoreIllegals: true });
    compileWhenIdle(names);
  });
}
compileWhenIdle([...Object.keys(LANGUAGES), 'console']);
