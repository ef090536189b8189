// Syntax highlighting for fenced code blocks. highlight.js is the heaviest part
// of the render path, so this module is loaded on its own, the first time a
// code block names a language (see load.svelte.ts); until then code blocks show
// as plain escaped code.

import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import typescript from 'highlight.js/lib/languages/typescript';

// The core build plus a hand-picked set keeps the chunk small (the full
// highlight.js registers ~190 languages, close to 1 MB). Each grammar brings
// its usual aliases (js, ts, py, sh, ...). The languages most answers
// use are here; the others (MORE_LANGUAGES) come in a chunk of their own the
// first time a code block names one, so the first answer never waits for them.
const LANGUAGES = {
  bash,
  javascript,
  json,
  python,
  typescript,
};
for (const [name, grammar] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, grammar);
// highlight.js's `shell` grammar is for console sessions (`$ cmd` + output);
// models write ```shell for plain scripts, so `shell` means bash here and the
// session grammar keeps its `console` name.
hljs.registerLanguage('console', shell);
hljs.registerAliases(['shell', 'shellscript'], { languageName: 'bash' });

/** Names (with their aliases) of the languages in highlight-more.ts. */
const MORE_LANGUAGES = new Set([
  ...['c', 'h', 'cpp', 'cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
  ...['java', 'jsp', 'go', 'golang', 'rust', 'rs', 'sql', 'yaml', 'yml'],
  ...['diff', 'patch', 'markdown', 'md', 'mkdown', 'mkd', 'css', 'html', 'xml', 'svg'],
  ...['xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf'],
]);

let moreLoad: Promise<void> | undefined;
let onMore = () => {};

/** Called once the other languages have arrived (code shown plain meanwhile is coloured then). */
export function whenMoreLanguages(callback: () => void): void {
  onMore = callback;
}

/**
 * The highlighted HTML of `code` (spans with hljs-* classes around escaped
 * text), null when `language` is not one we know, or undefined when it is
 * one whose grammar is still on its way (it is being fetched).
 */
export function highlight(code: string, language: string): string | null | undefined {
  if (hljs.getLanguage(language) === undefined) {
    if (!MORE_LANGUAGES.has(language)) return null;
    moreLoad ??= import('./highlight-more').then(
      (more) => {
        more.registerMore(hljs);
        onMore();
      },
      (error: unknown) => {
        moreLoad = undefined; // a later code block tries again
        console.warn('Parley: could not load more highlighting languages', error);
      },
    );
    return undefined;
  }
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
