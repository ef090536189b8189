// Long Markdown answers as a model writes them (prose, lists, code, tables), for
// the render benchmarks and the tests that count the renderer's work; and
// Markdown-ish text for property tests of the incremental renderer.
import fc from 'fast-check';

/** One section of an answer: about 190 tokens of mixed Markdown. */
function section(i: number): string {
  return [
    `## Step ${i}: what happens here`,
    '',
    `Some prose with **bold**, \`code\`, a [link](https://example.com/${i}) and _emphasis_. ` +
      'It goes on for a while, the way an explanation does, with a comma here and there, ' +
      `and a number like ${i * 7} to keep every section a little different.`,
    '',
    '- the first point, short',
    `- the second point, with \`inline_${i}()\``,
    '- the third point, which wraps onto a second line because it',
    '  has more to say than the others',
    '',
    '```ts',
    `export function step${i}(input: string[]): number {`,
    `  // Counts the items that mention ${i}.`,
    `  return input.filter((line) => line.includes('${i}')).length;`,
    '}',
    '```',
    '',
    '| Input | Output |',
    '| ----- | -----: |',
    `| a${i} | ${i} |`,
    '',
    `> Note ${i}: nothing here depends on what comes later.`,
    '',
  ].join('\n');
}

/** An answer of about `tokens` tokens (four characters each), made of whole sections. */
export function longAnswer(tokens: number): string {
  let text = '';
  for (let i = 0; text.length < tokens * 4; i++) text += `${section(i)}\n`;
  return text.slice(0, tokens * 4);
}

/** The text as a stream shows it: `steps` growing prefixes, the last one the whole text. */
export function growingPrefixes(text: string, steps: number): string[] {
  return Array.from({ length: steps }, (_, i) =>
    text.slice(0, Math.round(((i + 1) * text.length) / steps)),
  );
}

// Whole lines of every block kind and of Markdown's tricky corners, for property
// tests of the incremental renderer: lazy and setext lines, headings that stop
// being headings, tables and lines that look like their start, fences, lists and
// quotes, reference links, definitions whose label or title runs over lines.
const LINES = [
  '',
  '',
  '',
  'Some text',
  'more *text* and `code`',
  '#',
  '# Heading',
  '#x',
  '-',
  '- item',
  '  continued',
  '    indented',
  '1. first',
  '2) second',
  '10. ten',
  '+ x',
  '* star',
  '  - nested',
  '  1. nested',
  '\t- tab item',
  '- [ ] task',
  '> quote',
  '>',
  '   > q',
  '> - quoted item',
  '> ```',
  '```js',
  '```',
  '````',
  '    ```',
  '~~~',
  '~~~py',
  '---',
  '-- -',
  '===',
  '= =',
  '  ===',
  '*',
  '***',
  '___',
  '***bold***',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '| x |',
  '|:--|',
  ':-:',
  '|',
  'a | b',
  'x | y | z',
  '--- | ---',
  '[a]',
  'See [b][a] and [A].',
  '[x] not a link',
  '[a]: /url',
  '[a]:',
  '/url',
  '[a]: /url "title',
  '[b]: /other (title',
  '[a]: <dest with spaces> "t"',
  '[a]:\n  /next-line',
  'title"',
  'title)',
  "'title'",
  '"',
  '"quoted"',
  '(paren',
  'paren)',
  '[a',
  'b]: /u',
  '[^1]: note',
  '[^1]',
  '![img](/i.png)',
  '<https://x.y>',
  'www.example.com',
  '<div>',
  '</div>',
  '<b>raw</b> &amp; \\\\',
  'a\\',
];

// Pieces of lines, so that joins and cuts also fall inside a line.
const PIECES = ['\n', '\n\n', ' ', '    ', '\t', 'x', '#', '-', '=', '|', '[', ']', ':'];
const MORE_PIECES = ['"', '(', ')', '`', '*', '\r\n', '\r', '>', '1.', '~'];

/** Markdown-ish text: whole lines, or lines and pieces strung together. */
export const markdownish = fc.oneof(
  fc.array(fc.constantFrom(...LINES), { maxLength: 25 }).map((lines) => lines.join('\n')),
  fc
    .array(fc.oneof(fc.constantFrom(...LINES), fc.constantFrom(...PIECES, ...MORE_PIECES)), {
      maxLength: 40,
    })
    .map((parts) => parts.join('')),
);

/** Where a stream cuts `text`: sorted, distinct, ending at the whole text. */
export function cutsOf(text: string, picks: number[]): string[] {
  const ends = new Set([...picks.map((p) => p % (text.length + 1)), text.length]);
  return [...ends].sort((a, b) => a - b).map((end) => text.slice(0, end));
}

/** Texts that each broke a simpler rule of the incremental renderer (see reach.ts). */
export const TRICKY = [
  // A heading that stops being one joins the paragraph above.
  'Para\n#x',
  // A list over blank lines; lists of two kinds.
  '- a\n\n- b\n\n  more',
  '2) second\n/url\n\n\n1) one',
  // A line then a `-` line may start a table, and stop it again.
  '[a\n[b]: /other (title\n2) second\n- [ ] task',
  // An underline makes a heading of lines that were a table and indented code.
  '| a | b |\ntitle"\n:-:\n    indented\n===',
  '[^1]\nparen)\n:-:\n    indented\n-- -',
  // The same source, lexed as paragraph text or as code merged into a paragraph.
  '|---|---|\n    indented\n- item',
  // Definitions: over several lines, after a paragraph, with titles over blank lines.
  '[a\n# h\nb]: /u\n\n[a # h b]',
  '[a\n>\n***\nb]: /u',
  '|\n[a\n-\nb]: /u',
  '| a | b |\n[b]: /other (title\n|---|---|\n---\n\ntitle)',
  '[x]: /y "t\n\n# h\n\npara\n\nend"\n[x]',
  '[b]: /other (title\n\n\t- tab item\ntitle)',
  '[a]: /url\n(paren\n\nparen)',
  '"quoted"\n[a]:\n  /next-line\n\n[a]: /url "title',
  // Definitions that arrive late, or change while they stream.
  'See [docs][d].\n\n[d]: https://example.com',
  '[d]\n\n[d]: https://example.com "T"',
  'See [b][a] and [A].\n\n-- -\n[a]: /url',
  'x | y | z\n[a]: <dest with spaces> "t"\n\n[a]:\n\n[a]: <dest with spaces> "t"',
  // CR line endings, even split between \r and \n.
  'a\r\nb\r\n\r\n# c\rd',
];
