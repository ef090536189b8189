// Reading an import file, all or nothing: the guards, then JSON, then the
// reader for what the file turns out to be (a Parley export, a Chat
// Completions request body, ChatGPT's conversations.json). Every conversation
// passes through migrateConversation; ids repeated within the file are renewed.

import { isObject, isString, kindOf, lineColumn, own, parseJson, ShapeError } from '../json';
import { fail, ok, type Result } from '../result';
import type { Conversation } from '../types';
import { withFreshIds } from '../conversation';
import {
  binaryProblem,
  checkFileSize,
  dropProtoKeys,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_DEPTH,
  tooDeepAt,
  utf8Length,
} from './import-guards';
import { readOpenAiExport } from './read-chatgpt';
import { readConversations, readParleyFile, readUpgraded } from './read-parley';
import { readRequestBody } from './read-request';

/** What an import did, in one sentence for the user. */
export interface ImportOutcome {
  ok: boolean;
  message: string;
}

export type ImportKind = 'parley' | 'request' | 'openai-export';

/** What a file held: its kind, its conversations, and what was left out or changed. */
export interface ImportedFile {
  kind: ImportKind;
  conversations: Conversation[];
  warnings: string[];
}

export type ImportResult = Result<ImportedFile>;

export interface ImportOptions {
  /** Creation time of conversations that carry none (a request body). Default: Date.now(). */
  now?: number;
}

const IMPORTABLE =
  'Parley imports its own exports ({"format": "parley.conversations", …}), a Chat Completions request body ({"model": …, "messages": […]}) and ChatGPT’s conversations.json.';
const UNRECOGNISED = `Parley does not recognise this file. ${IMPORTABLE}`;

const isChatGptConversation = (v: unknown) =>
  isObject(v) && Object.hasOwn(v, 'mapping') && Object.hasOwn(v, 'current_node');
const isConversationRecord = (v: unknown) =>
  isObject(v) && (Object.hasOwn(v, 'schemaVersion') || isString(own(v, 'id')));

/** Which reader a parsed value goes to; conversations as they come out of it. */
function dispatch(
  value: unknown,
  now: number,
  warnings: string[],
): { kind: ImportKind; conversations: Conversation[] } {
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'parley', conversations: [] };
    if (isChatGptConversation(value[0])) {
      return {
        kind: 'openai-export',
        conversations: readOpenAiExport(value, now, warnings, false),
      };
    }
    if (!isObject(value[0])) throw new ShapeError(UNRECOGNISED);
    const file = { conversations: value };
    return { kind: 'parley', conversations: readUpgraded(file, 0, (i) => `[${i}]`) };
  }
  if (!isObject(value)) {
    throw new ShapeError(`The file holds ${kindOf(value)}, not conversations. ${IMPORTABLE}`);
  }
  if (Object.hasOwn(value, 'format'))
    return { kind: 'parley', conversations: readParleyFile(value) };
  if (isChatGptConversation(value)) {
    return { kind: 'openai-export', conversations: readOpenAiExport([value], now, warnings, true) };
  }
  if (Object.hasOwn(value, 'choices') && !Object.hasOwn(value, 'messages')) {
    throw new ShapeError(
      'This is a Chat Completions response, not a request. Import the request body (with "model" and "messages") instead.',
    );
  }
  if (isConversationRecord(value)) {
    return { kind: 'parley', conversations: readUpgraded({ conversations: [value] }, 0, () => '') };
  }
  if (Object.hasOwn(value, 'messages')) {
    const conv = readRequestBody(value, now, warnings);
    return { kind: 'request', conversations: readConversations([conv], () => '') };
  }
  throw new ShapeError(UNRECOGNISED);
}

/** Conversations that share an id with an earlier one in the same file get fresh ids. */
function distinctIds(convs: Conversation[], warnings: string[]): Conversation[] {
  const seen = new Set<string>();
  let renamed = 0;
  const out = convs.map((c) => {
    if (!seen.has(c.id)) {
      seen.add(c.id);
      return c;
    }
    renamed++;
    const fresh = withFreshIds(c);
    seen.add(fresh.id);
    return fresh;
  });
  if (renamed) {
    warnings.push(
      `${renamed} conversation${renamed === 1 ? '' : 's'} repeated an id used earlier in the file and got a new one.`,
    );
  }
  return out;
}

/**
 * Reads an import file's text. All or nothing: either every conversation in
 * it is valid (and returned, ids kept) or the result says what is wrong and
 * where (a line and column for JSON syntax, a path such as
 * `conversations[2].messages[0].role` for a bad record). Never throws.
 */
export function parseImport(text: string, opts: ImportOptions = {}): ImportResult {
  const now = opts.now ?? Date.now();
  try {
    // Checked before anything else looks at the text. A UTF-16 code unit is
    // at least one UTF-8 byte, so only long texts need counting.
    if (text.length > MAX_IMPORT_BYTES) return fail(checkFileSize(text.length)!);
    if (text.length > MAX_IMPORT_BYTES / 3) {
      const bytes = utf8Length(text, MAX_IMPORT_BYTES);
      if (bytes > MAX_IMPORT_BYTES) return fail(checkFileSize(bytes)!);
    }
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (body.trim() === '') return fail('The file is empty.');
    const binary = binaryProblem(body);
    if (binary) return fail(binary);
    const deep = tooDeepAt(body, MAX_IMPORT_DEPTH);
    if (deep >= 0) {
      const { line, column } = lineColumn(body, deep);
      return fail(
        `The JSON is nested deeper than ${MAX_IMPORT_DEPTH} levels at line ${line}, column ${column}.`,
      );
    }
    const parsed = parseJson(body, 'The file is');
    if (!parsed.ok) return parsed;
    const value = parsed.value;
    const warnings: string[] = [];
    const dropped = dropProtoKeys(value);
    if (dropped) warnings.push(`Ignored ${dropped} "__proto__" key${dropped === 1 ? '' : 's'}.`);
    const { kind, conversations } = dispatch(value, now, warnings);
    if (conversations.length === 0) warnings.push('The file holds no conversations.');
    return ok({ kind, conversations: distinctIds(conversations, warnings), warnings });
  } catch (err) {
    if (err instanceof ShapeError) return fail(err.message);
    return fail(`The file could not be read: ${String(err)}`);
  }
}
