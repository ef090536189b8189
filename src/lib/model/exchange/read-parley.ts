// Parley's own files (older file versions upgraded by FILE_MIGRATIONS; version
// 0 is the ad-hoc form: a bare Conversation or an array of them), and the one
// gate every imported conversation passes: migrateConversation.

import { own, ShapeError, type JsonObject as Obj } from '../json';
import { migrateConversation } from '../read-conversation';
import type { Conversation } from '../types';
import { EXPORT_FORMAT, EXPORT_VERSION } from './export-file';

/**
 * Upgrades an export file from version N to N + 1. Version 0 is the ad-hoc
 * form from before the file format (a bare Conversation record or an array of
 * them), which parseImport hands over as `{ conversations: [...] }`.
 */
export const FILE_MIGRATIONS: Readonly<Record<number, (file: Obj) => Obj>> = {
  0: (file) => ({
    format: EXPORT_FORMAT,
    version: 1,
    conversations: own(file, 'conversations'),
  }),
};

/** "messages[0].role: …" -> "conversations[2].messages[0].role: …". */
function prefixed(prefix: string, error: string): string {
  if (!prefix) return error;
  if (/^[A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*: /.test(error)) return `${prefix}.${error}`;
  return `${prefix}: ${error}`;
}

/** Every record through migrateConversation; the first bad one fails the whole import. */
export function readConversations(
  records: unknown[],
  label: (i: number) => string,
): Conversation[] {
  return records.map((raw, i) => {
    const checked = migrateConversation(raw);
    if (!checked.ok) throw new ShapeError(prefixed(label(i), checked.error));
    return checked.value;
  });
}

export function readParleyFile(file: Obj): Conversation[] {
  const format = own(file, 'format');
  if (format !== EXPORT_FORMAT) {
    throw new ShapeError(
      `This is not a Parley export: its format is ${JSON.stringify(format)}, not "${EXPORT_FORMAT}".`,
    );
  }
  const version = own(file, 'version');
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    throw new ShapeError('version: expected a whole number of at least 1');
  }
  if ((version as number) > EXPORT_VERSION) {
    throw new ShapeError(
      `This file was made by a newer Parley (version ${version as number}); this one reads up to version ${EXPORT_VERSION}. Update Parley to import it.`,
    );
  }
  return readUpgraded(file, version as number, (i) => `conversations[${i}]`);
}

export function readUpgraded(
  file: Obj,
  from: number,
  label: (i: number) => string,
): Conversation[] {
  let current = file;
  for (let v = from; v < EXPORT_VERSION; v++) {
    const step = FILE_MIGRATIONS[v];
    if (!step) throw new ShapeError(`version: no migration from version ${v}`);
    current = step(current);
  }
  const conversations = own(current, 'conversations');
  if (!Array.isArray(conversations)) throw new ShapeError('conversations: expected an array');
  return readConversations(conversations, label);
}
