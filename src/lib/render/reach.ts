// How far back text appended to a Markdown document can change how marked
// lexes it. Most blocks are decided by their own lines and the line or two
// after them; three things reach further, all within the last stretch of lines
// (those after the last blank line), but for one:
//  - A setext underline (`===`, `---`) makes a heading of the lines above it,
//    back to a blank line or a line that cannot be heading text (an ATX
//    heading, a fence, a quote, ...), even lines that lexed as a table or as
//    indented code until then.
//  - marked tries a link reference definition (`[label]: destination
//    "title"`) wherever a block may start, and a definition right after a
//    paragraph joins that paragraph. Its label and destination may run over
//    several lines, never over a blank line.
//  - A definition's title in "..." or (...) may run over blank lines too, until
//    it closes.

// marked's definition label: no unescaped brackets, no blank line.
const LABEL_CHAR = String.raw`(?:\\[\s\S]|[^\[\]\\\n]|\n(?![ \t]*\n))`;
const LABEL = String.raw`(?!\s*\])${LABEL_CHAR}+`;
const DESTINATION = String.raw`(?:[^<\s][^\s]*|<(?:\\.|[^\n<>\\])*>)`;

/** A line that is, or may yet become, the start of a definition: `[label]:`, or a label the text ends in. */
const DEF_START = new RegExp(String.raw` {0,3}\[(?:${LABEL}\]:|${LABEL_CHAR}*(?:\\|\])?$)`, 'y');
/** A definition up to where its title may start. */
const DEF_HEAD = new RegExp(
  String.raw` {0,3}\[${LABEL}\]: *(?:\n[ \t]*)?${DESTINATION}(?: +(?:\n[ \t]*)?| *\n[ \t]*)`,
  'y',
);

function isBlankLine(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return false; // the last line, unfinished: it may still get text
}

/**
 * Where the stretch of lines holding `at` starts: after the blank line before
 * it, or at 0. Costs the length of the stretch.
 */
export function stretchStart(text: string, at: number): number {
  let newline = text.lastIndexOf('\n', at - 1);
  while (newline > 0) {
    const before = text.lastIndexOf('\n', newline - 1);
    if (isBlankLine(text, before + 1)) return newline + 1;
    newline = before;
  }
  return 0;
}

/** The starts of the lines from `start` up to `end`. */
function* lineStarts(text: string, start: number, end: number): Generator<number> {
  for (let line = start; line < end;) {
    yield line;
    const newline = text.indexOf('\n', line);
    if (newline === -1) return;
    line = newline + 1;
  }
}

// Lines setext heading text cannot run past (a subset of marked's list: a line
// missed here only makes the reach longer).
const NOT_HEADING_TEXT = /^ {0,3}(?:#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|>)/;

/**
 * Where an underline at the end of the text could start a heading: the last
 * whole line from `start` on that heading text cannot run past, or `start`.
 */
export function headingReach(text: string, start: number): number {
  let reach = start;
  const last = text.lastIndexOf('\n') + 1; // the unfinished last line is not known yet
  for (const line of lineStarts(text, start, last)) {
    if (NOT_HEADING_TEXT.test(text.slice(line, line + 8))) reach = line;
  }
  return reach;
}

/** Whether a line of the stretch from `start` to the end may be or become a definition. */
export function mayHoldDefinition(text: string, start: number): boolean {
  for (const line of lineStarts(text, start, text.length)) {
    DEF_START.lastIndex = line;
    if (DEF_START.test(text)) return true;
  }
  return false;
}

/**
 * Follows the text as it grows and says where a definition title that is
 * still open, and so may yet swallow everything after it, starts its stretch.
 * Scans each character once.
 */
export class OpenTitles {
  #scanned = 0;
  /** The last `"` that is not escaped, and the last `(` or `)` that is not. */
  #quote = -1;
  #paren = -1;
  /** The answer for the current opener, which only changes with it. */
  #checked = { quote: -1, paren: -1, from: -1 };

  /** Forget everything: the text changed other than by growing. */
  reset(): void {
    this.#scanned = 0;
    this.#quote = -1;
    this.#paren = -1;
    this.#checked = { quote: -1, paren: -1, from: -1 };
  }

  /**
   * The start of the stretch holding the definition whose title is open at the
   * end of `text`, or -1. `text` extends the text of the previous call.
   */
  openFrom(text: string): number {
    for (let i = this.#scanned; i < text.length; i++) {
      const c = text[i];
      if (c !== '"' && c !== '(' && c !== ')') continue;
      let backslashes = 0;
      while (text[i - 1 - backslashes] === '\\') backslashes++;
      if (backslashes % 2 === 1) continue;
      if (c === '"') this.#quote = i;
      else this.#paren = i;
    }
    this.#scanned = text.length;
    const checked = this.#checked;
    if (checked.quote === this.#quote && checked.paren === this.#paren) return checked.from;
    // An open title starts with its opener after a space or a line break;
    // nothing unescaped after it closes it (for (...), nor breaks it).
    const openers = [this.#quote, text[this.#paren] === '(' ? this.#paren : -1];
    let from = -1;
    for (const opener of openers) {
      if (opener <= 0 || !/\s/.test(text[opener - 1] ?? '')) continue;
      const start = stretchStart(text, opener);
      if (endsDefinitionHead(text, start, opener))
        from = from === -1 ? start : Math.min(from, start);
    }
    this.#checked = { quote: this.#quote, paren: this.#paren, from };
    return from;
  }
}

/** Whether a definition starting on a line from `start` on ends its head right before `at`. */
function endsDefinitionHead(text: string, start: number, at: number): boolean {
  for (const line of lineStarts(text, start, at)) {
    DEF_HEAD.lastIndex = line;
    const head = DEF_HEAD.exec(text);
    if (head && head.index + head[0].length === at) return true;
  }
  return false;
}
