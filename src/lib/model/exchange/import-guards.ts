// What is checked before an import file's text is parsed: its size, that it
// is text at all (not a ZIP, gzip or binary), how deep it nests (a linear
// scan, so absurd nesting cannot exhaust the stack); and, right after parsing,
// `__proto__` keys removed.

import { isObject } from '../json';
import { fail, ok, type Result } from '../result';

/** Files larger than this are refused before they are read. */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;
/** Deeper JSON is refused before JSON.parse sees it. */
export const MAX_IMPORT_DEPTH = 200;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Why a file of this many bytes is refused, or null when it may be read. */
export function checkFileSize(bytes: number): string | null {
  if (!(bytes <= MAX_IMPORT_BYTES)) {
    const size = Number.isFinite(bytes) ? megabytes(bytes) : 'too large';
    return `This file is ${size}; Parley imports files up to ${megabytes(MAX_IMPORT_BYTES)}.`;
  }
  return null;
}

/** UTF-8 length of `text`, counting only as far as `limit` + 1. */
export function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const NOT_TEXT =
  'This is not a text file. Import a .json file: a Parley export, a Chat Completions request body, or ChatGPT’s conversations.json.';

export function binaryProblem(text: string): string | null {
  if (text.startsWith('PK\u0003\u0004')) {
    return 'This is a ZIP archive. Unzip it first, then import the .json file inside (for a ChatGPT export: conversations.json).';
  }
  if (
    text.charCodeAt(0) === 0x1f &&
    (text.charCodeAt(1) === 0x8b || text.charCodeAt(1) === 0xfffd)
  ) {
    return 'This is a gzip-compressed file. Decompress it first, then import the .json file.';
  }
  if (text.includes('\u0000')) return NOT_TEXT;
  // A raw control character or undecodable byte where JSON must start.
  const first = /\S/.exec(text.slice(0, 1024))?.[0].charCodeAt(0);
  if (first !== undefined && (first < 0x20 || first === 0xfffd)) return NOT_TEXT;
  // Half a surrogate pair: the text was not decoded from valid UTF-8/UTF-16.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
    return 'This file is not valid UTF-8 text.';
  }
  return null;
}

/**
 * Bytes of a file as text: UTF-8 (strictly: invalid bytes are refused rather
 * than replaced), or UTF-16 when the file starts with its byte order mark.
 * For the UI, before parseImport.
 */
export function decodeImportBytes(bytes: Uint8Array): Result<string> {
  const tooBig = checkFileSize(bytes.byteLength);
  if (tooBig) return fail(tooBig);
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) {
    return fail(binaryProblem('PK\u0003\u0004')!);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return fail(binaryProblem('\u001f\u008b')!);
  }
  try {
    return ok(new TextDecoder(encoding, { fatal: true }).decode(bytes));
  } catch {
    return fail('This file is not valid UTF-8 text.');
  }
}

/**
 * Offset of the first bracket nested deeper than `max`, or -1. A linear scan
 * that skips strings (and the escapes inside them), so it never recurses.
 */
export function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Deletes own `__proto__` keys everywhere (JSON.parse makes them plain own data). */
export function dropProtoKeys(root: unknown): number {
  let dropped = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === 'object' && item !== null) stack.push(item);
    } else if (isObject(v)) {
      if (Object.hasOwn(v, '__proto__')) {
        delete v['__proto__'];
        dropped++;
      }
      for (const key of Object.keys(v)) {
        const item = v[key];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return dropped;
}
