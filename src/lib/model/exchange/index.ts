// Conversations in and out of Parley as files. Pure TypeScript: nothing here
// touches the DOM, storage or the network, and nothing imported is evaluated
// or rendered (text stays text). The only way into this folder.
//
// Out: the export file (toExportFile) and a Markdown transcript (toMarkdown).
// (The next request body is state/next-request.ts: what the inspector shows.)
// In: parseImport, all or nothing, for Parley exports, bare Chat Completions
// request bodies and ChatGPT's conversations.json, after the guards
// (checkFileSize, decodeImportBytes for the bytes of a file).

export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  redactUrl,
  toExportFile,
  type ExportedFile,
  type ExportResult,
} from './export-file';
export { parseImport, type ImportOutcome, type ImportResult } from './import';
export { checkFileSize, decodeImportBytes, MAX_IMPORT_BYTES } from './import-guards';
export { toMarkdown } from './markdown';
export { FILE_MIGRATIONS } from './read-parley';
