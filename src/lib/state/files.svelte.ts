import { createContext } from 'svelte';
import { withFreshIds } from '../model/conversation';
import type { ExportedFile, ExportResult, ImportOutcome } from '../model/exchange';
import { toLibraryEntry } from '../model/library';
import { fail, ok } from '../model/result';
import { scrubSecrets } from '../model/secrets';
import type { Conversation } from '../model/types';
import type { Store } from '../store';
import { downloadFile } from './download';
import { nextRequestBody } from './next-request';
import type { Library } from './library.svelte';
import type { OpenConversation } from './open-conversation.svelte';

/** What can be exported from the menu (a selection comes as a list of ids). */
export type ExportKind = 'current' | 'all' | 'markdown' | 'request';

/** One line about the latest export or import, kept as text (files are untrusted). */
export interface FileNote {
  ok: boolean;
  text: string;
}

export interface FilesOptions {
  store: Pick<Store, 'saveConversation' | 'clearAll'>;
  open: OpenConversation;
  library: Library;
  /** Scrubbed from every exported file. */
  apiKey: () => string;
  /** Starts a browser download; tests pass their own. */
  download?: (file: ExportedFile) => void;
  /** How long "Saved <file>." stays. */
  noteMs?: number;
  /** Starts the page again, after all data is cleared; a reload by default. */
  restart?: () => void;
}

/** "Trip to Lisbon!" -> "trip-to-lisbon"; never empty. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return s || 'conversation';
}

const day = (now: number) => new Date(now).toISOString().slice(0, 10);
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
const PASTED = 'pasted JSON';
/** The file formats load on the first export or import: no first paint needs them. */
const exchange = () => import('../model/exchange');

/** `Blob.arrayBuffer`, or FileReader where the browser lacks it. */
function readBytes(file: File): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('unknown read error'));
    reader.readAsArrayBuffer(file);
  });
}

/** Conversations in and out as files: export, import (file, drop, paste), and their file names. */
export class Files {
  #opts: Required<FilesOptions>;
  #exportNote = $state.raw<FileNote | null>(null);
  #noteTimer: ReturnType<typeof setTimeout> | undefined;
  #importNotes = $state.raw<FileNote[]>([]);
  #importTimer: ReturnType<typeof setTimeout> | undefined;
  #importing = $state('');
  // Imports run one at a time, in the order they were asked for.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: FilesOptions) {
    this.#opts = {
      ...opts,
      download: opts.download ?? downloadFile,
      restart: opts.restart ?? (() => location.reload()),
      noteMs: opts.noteMs ?? 4000,
    };
  }

  /** The outcome of the latest export: "Saved <file>." (for a few seconds) or why it failed. */
  get exportNote(): FileNote | null {
    return this.#exportNote;
  }
  /** One outcome per file of the latest import. */
  get importNotes(): readonly FileNote[] {
    return this.#importNotes;
  }
  /** The name of the file being imported now, or ''. */
  get importing(): string {
    return this.#importing;
  }

  // -------------------------------------------------------------------------
  // Export

  /** Makes the file for `what` (a selection: its ids) without saving it anywhere. */
  async build(what: ExportKind | readonly string[]): Promise<ExportResult> {
    const open = this.#opts.open;
    if (typeof what !== 'string') return this.#exportStored(what, 'parley-selection');
    if (what === 'all') {
      const ids = this.#opts.library.entries.map((e) => e.id);
      return this.#exportStored(ids, 'parley-conversations');
    }
    const { toMarkdown } = await exchange();
    const conv = await open.whole();
    const name = slug(toLibraryEntry(conv).title);
    if (what === 'current') return this.#exportFile([conv], `parley-${name}`);
    if (what === 'markdown') {
      return ok({
        filename: `parley-${name}-${day(Date.now())}.md`,
        text: scrubSecrets(toMarkdown(conv), this.#secrets()),
        mime: 'text/markdown',
      });
    }
    try {
      return ok({
        filename: `parley-request-${name}.json`,
        // Exactly what Send would send now, draft included (as the inspector shows).
        text: scrubSecrets(
          JSON.stringify(nextRequestBody(open.session), null, 2) + '\n',
          this.#secrets(),
        ),
        mime: 'application/json',
      });
    } catch (err) {
      return fail(`Could not build the request body: ${String(err)}`);
    }
  }

  /** Makes the file for `what` and hands it to the browser to save. */
  async export(what: ExportKind | readonly string[]) {
    let made: ExportResult;
    try {
      made = await this.build(what);
    } catch (err) {
      made = fail(`Export failed: ${describe(err)}`);
    }
    if (!made.ok) return this.#note({ ok: false, text: made.error });
    try {
      this.#opts.download(made.value);
    } catch (err) {
      return this.#note({ ok: false, text: `The download could not start: ${describe(err)}` });
    }
    this.#note({ ok: true, text: `Saved ${made.value.filename}.` });
  }

  dismissExportNote() {
    this.#note(null);
  }

  /** What no file may hold: the API key. */
  #secrets(): string[] {
    const key = this.#opts.apiKey();
    return key ? [key] : [];
  }

  #note(note: FileNote | null) {
    clearTimeout(this.#noteTimer);
    this.#exportNote = note;
    // Success fades; an error stays until dismissed or replaced.
    if (note?.ok) this.#noteTimer = setTimeout(() => (this.#exportNote = null), this.#opts.noteMs);
  }

  async #exportStored(ids: readonly string[], name: string): Promise<ExportResult> {
    await this.#opts.open.flush();
    const convs: Conversation[] = [];
    for (const id of ids) {
      const conv = await this.#opts.library.read(id);
      if (conv) convs.push(conv);
    }
    if (convs.length === 0) return fail('There is no saved conversation to export yet.');
    return this.#exportFile(convs, name);
  }

  async #exportFile(convs: Conversation[], name: string): Promise<ExportResult> {
    const { toExportFile } = await exchange();
    const now = Date.now();
    try {
      return ok({
        filename: `${name}-${day(now)}.json`,
        text: toExportFile(convs, now, this.#secrets()),
        mime: 'application/json',
      });
    } catch (err) {
      return fail(`Export failed: ${describe(err)}`);
    }
  }

  // -------------------------------------------------------------------------
  // Import

  dismissImportNotes() {
    this.#setImportNotes([]);
  }

  /** Successes fade like the export's; a failure stays until dismissed or replaced. */
  #setImportNotes(notes: FileNote[]) {
    clearTimeout(this.#importTimer);
    this.#importNotes = notes;
    if (notes.length > 0 && notes.every((n) => n.ok)) {
      this.#importTimer = setTimeout(() => (this.#importNotes = []), this.#opts.noteMs * 1.5);
    }
  }

  /** Several files are imported one after another, each with its own outcome. */
  importFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return Promise.resolve();
    return this.#enqueue(async () => {
      this.#setImportNotes([]);
      const many = files.length > 1;
      for (const file of files) {
        const outcome = await this.#readFile(file);
        const text = many ? `${file.name}: ${outcome.message}` : outcome.message;
        this.#setImportNotes([...this.#importNotes, { ok: outcome.ok, text }]);
      }
    });
  }

  /**
   * Imports pasted JSON. From the paste dialog a failure is only returned
   * (the dialog shows it and stays open); from the page it becomes a note.
   */
  importPasted(text: string, fromDialog = false): Promise<ImportOutcome> {
    return this.#enqueue(async () => {
      const outcome = await this.#run(text, PASTED);
      if (outcome.ok || !fromDialog)
        this.#setImportNotes([{ ok: outcome.ok, text: outcome.message }]);
      return outcome;
    });
  }

  /**
   * Imports a file's text: all of it or nothing. Ids already in use get fresh
   * ones (an import never replaces a stored conversation); a single imported
   * conversation is opened.
   */
  async importText(text: string, source: string): Promise<ImportOutcome> {
    const { parseImport } = await exchange();
    const parsed = parseImport(text);
    if (!parsed.ok) {
      return {
        ok: false,
        message: `Could not import ${source}: ${parsed.error} Nothing was changed.`,
      };
    }
    const { conversations, warnings } = parsed.value;
    if (conversations.length === 0) {
      return { ok: false, message: `${source} holds no conversation. Nothing was changed.` };
    }
    const { open, library, store } = this.#opts;
    await open.flush();
    // A local within one call, not state: nothing renders from it.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const taken = new Set([open.id, ...library.entries.map((e) => e.id)]);
    const imported: { conv: Conversation; revision: number }[] = [];
    let copies = 0;
    for (const original of conversations) {
      let conv = taken.has(original.id) ? withFreshIds(original) : original;
      // Expecting revision 0 refuses to replace a record this tab did not know of.
      let saved = await store.saveConversation(conv, 0);
      if (!saved.ok) {
        conv = withFreshIds(original);
        saved = await store.saveConversation(conv, 0);
      }
      if (!saved.ok) continue;
      if (conv.id !== original.id) copies++;
      taken.add(conv.id);
      imported.push({ conv, revision: saved.value });
      library.put(conv);
    }
    const only = imported.length === 1 ? imported[0] : undefined;
    if (only) await library.show(only.conv, only.revision);
    const what =
      only !== undefined
        ? `“${toLibraryEntry(only.conv).title}”`
        : `${imported.length} conversations`;
    const kept =
      copies === 0
        ? ''
        : copies === 1 && imported.length === 1
          ? ' It was already here, so it was added as a copy.'
          : ` ${copies} were already here and were added as copies.`;
    const notes = kept + (warnings.length ? ` ${warnings.join(' ')}` : '');
    return { ok: true, message: `Imported ${what} from ${source}.${notes}` };
  }

  #enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #run(text: string, source: string): Promise<ImportOutcome> {
    try {
      return await this.importText(text, source);
    } catch (err) {
      return { ok: false, message: `Import failed: ${describe(err)}` };
    }
  }

  async #readFile(file: File): Promise<ImportOutcome> {
    const { checkFileSize, decodeImportBytes } = await exchange();
    // Refuse oversized files before reading a single byte of them.
    const tooBig = checkFileSize(file.size);
    if (tooBig) return { ok: false, message: tooBig };
    this.#importing = file.name;
    try {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readBytes(file));
      } catch (err) {
        return { ok: false, message: `The file could not be read: ${describe(err)}` };
      }
      const decoded = decodeImportBytes(bytes);
      if (!decoded.ok) return { ok: false, message: decoded.error };
      return await this.#run(decoded.value, file.name);
    } finally {
      this.#importing = '';
    }
  }

  /**
   * Deletes everything Parley keeps in this browser, in every tab, then starts
   * the page again, empty. This tab writes nothing more first.
   */
  async clearAll(): Promise<void> {
    await this.#opts.open.discard();
    await this.#opts.store.clearAll();
    this.#opts.restart();
  }

  /** Another tab cleared all data: this one must not write its copy back. */
  async clearedElsewhere(): Promise<void> {
    await this.#opts.open.discard();
    this.#opts.restart();
  }
}

export const [getFiles, setFiles] = createContext<Files>();
