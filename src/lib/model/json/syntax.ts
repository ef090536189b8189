// JSON syntax errors in plain words, at their exact place. One parser for all
// of Parley's JSON (jsonc-parser, held to strict JSON: no comments, no trailing
// commas): its error codes give the words, its offsets the place, and a
// syntax tree with positions for the Tools checker.

import { parseTree, printParseErrorCode, visit } from 'jsonc-parser';
import type { Node, ParseError, ParseOptions } from 'jsonc-parser';
import { LineIndex } from './lines';
import { useLocator } from './parse';

/** A node of the syntax tree: type, value, offset and length in the text, children. */
export type JsonNode = Node;

export interface JsonSyntaxError {
  /** Character offsets of what to underline; `to > from`. */
  from: number;
  to: number;
  /** 1-based line and column (in UTF-16 code units) of `from`. */
  line: number;
  column: number;
  /** One actionable sentence. */
  message: string;
}

const STRICT: ParseOptions = {
  disallowComments: true,
  allowTrailingComma: false,
  // An editor's blank text is "nothing yet", which its caller decides about.
  allowEmptyContent: true,
};

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** What went wrong, in words, and which characters to underline. */
function describe(text: string, error: ParseError): { from: number; to: number; message: string } {
  const code = printParseErrorCode(error.error);
  const { offset, length } = error;
  const atEnd = offset >= text.length;
  const ch = text[offset] ?? '';

  // A comma followed by ] or }: point at the comma itself.
  if ((code === 'ValueExpected' || code === 'PropertyNameExpected') && (ch === ']' || ch === '}')) {
    let i = offset - 1;
    while (i >= 0 && /\s/.test(text[i] ?? '')) i--;
    if (text[i] === ',') {
      return { from: i, to: i + 1, message: `Trailing comma: remove the comma before ${ch}.` };
    }
  }

  let message: string;
  switch (code) {
    case 'InvalidSymbol': {
      const token = text.slice(offset, offset + length);
      message = token.startsWith("'")
        ? 'Strings and property names need double quotes ("), not single quotes.'
        : `Unexpected "${shorten(token, 20)}": expected a value (a "string", number, true, false, null, object or array).`;
      break;
    }
    case 'InvalidNumberFormat':
      message = 'Invalid number: write numbers like 42, -1.5 or 2e10.';
      break;
    case 'PropertyNameExpected':
      message = atEnd
        ? 'Unexpected end of text: expected a property name.'
        : 'Expected a property name in double quotes.';
      break;
    case 'ValueExpected':
      message = atEnd ? 'Unexpected end of text: expected a value.' : 'Expected a value.';
      break;
    case 'ColonExpected':
      message = atEnd
        ? 'Unexpected end of text: expected a colon.'
        : 'Expected a colon (:) after the property name.';
      break;
    case 'CommaExpected':
      message = 'Expected a comma (,) before this.';
      break;
    case 'CloseBraceExpected':
      message = atEnd
        ? 'Unexpected end of text: expected } to close the object.'
        : 'Expected } to close the object.';
      break;
    case 'CloseBracketExpected':
      message = atEnd
        ? 'Unexpected end of text: expected ] to close the array.'
        : 'Expected ] to close the array.';
      break;
    case 'EndOfFileExpected':
      message = 'Unexpected text after the end of the JSON value: remove it.';
      break;
    case 'InvalidCommentToken':
      message = 'Comments are not allowed in JSON.';
      break;
    case 'UnexpectedEndOfComment':
      message = 'Unterminated comment (comments are not allowed in JSON).';
      break;
    case 'UnexpectedEndOfString':
      message = 'Unterminated string: add the closing double quote.';
      break;
    case 'UnexpectedEndOfNumber':
      message = 'Incomplete number: add the missing digits.';
      break;
    case 'InvalidUnicode':
      message = 'Invalid \\u escape: it needs exactly four hex digits.';
      break;
    case 'InvalidEscapeCharacter':
      message = 'Invalid escape in a string: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.';
      break;
    case 'InvalidCharacter':
      message = 'Line breaks and control characters inside a string must be escaped (like \\n).';
      break;
    default:
      message = 'Invalid JSON.';
  }

  if (length > 0 && !atEnd) return { from: offset, to: offset + length, message };
  if (!atEnd) return { from: offset, to: offset + 1, message };
  // At the very end there is nothing to underline: take the last visible character.
  let last = text.length - 1;
  while (last > 0 && /\s/.test(text[last] ?? '')) last--;
  return { from: Math.max(last, 0), to: Math.max(last, 0) + 1, message };
}

function located(lines: LineIndex, at: { from: number; to: number; message: string }) {
  return { ...at, ...lines.at(at.from) };
}

/**
 * The syntax tree (whatever parsed, even around errors) and every syntax
 * error, one per place, sorted. Blank text has neither.
 */
export function parseJsonTree(text: string): {
  root: JsonNode | undefined;
  errors: JsonSyntaxError[];
} {
  const raw: ParseError[] = [];
  const root = parseTree(text, raw, STRICT);
  const lines = new LineIndex(text);
  const errors: JsonSyntaxError[] = [];
  const seen = new Set<number>();
  for (const error of raw) {
    const at = describe(text, error);
    if (seen.has(at.from)) continue; // one message per place (e.g. a trailing comma in an object)
    seen.add(at.from);
    errors.push(located(lines, at));
  }
  errors.sort((a, b) => a.from - b.from || a.to - b.to);
  return { root, errors };
}

class FirstError {
  constructor(readonly error: ParseError) {}
}

/**
 * The first syntax error, or null when the text is JSON. Stops at that error
 * and builds no tree, so a large file costs one scan. Blank text is an error
 * here (there is no value); text too deeply nested to scan gives null.
 */
export function firstJsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    visit(
      text,
      {
        onError: (error, offset, length) => {
          throw new FirstError({ error, offset, length });
        },
      },
      { ...STRICT, allowEmptyContent: false },
    );
    return null;
  } catch (e) {
    if (!(e instanceof FirstError)) return null; // a stack overflow: no place to give
    return located(new LineIndex(text), describe(text, e.error));
  }
}

// parseJson's messages place their errors from now on (parse.ts says why it waits).
useLocator(firstJsonSyntaxError);
