import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import FilesHarness from './helpers/FilesHarness.svelte';
import type { ExportedFile, ExportResult, ImportOutcome } from '../../src/lib/model/exchange';
import { checkFileSize, decodeImportBytes } from '../../src/lib/model/exchange';
import { fail, ok } from '../../src/lib/model/result';
import { downloadFile } from '../../src/lib/state/download';
import type { ExportKind } from '../../src/lib/state/files.svelte';
import { renderWithApp } from './helpers/context';

// Note: no showModal polyfill here on purpose: ImportControls must cope without it.

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const file = (name: string): ExportedFile => ({
  filename: name,
  text: `{"name":"${name}"}\n`,
  mime: 'application/json',
});

const MADE: Record<ExportKind, ExportedFile> = {
  current: file('solar-system.parley.json'),
  all: file('parley-all.json'),
  markdown: { ...file('solar-system.md'), mime: 'text/markdown' },
  request: file('request.json'),
};

/** The menu over a real app whose files are made by `make` (the kind's file by default). */
async function setupExport(make?: (what: ExportKind | readonly string[]) => Promise<ExportResult>) {
  const { app, download } = await renderWithApp(FilesHarness, {});
  const build = vi
    .spyOn(app.files, 'build')
    .mockImplementation(make ?? (async (what) => ok(MADE[what as ExportKind])));
  const share = vi.spyOn(app.shared, 'share');
  return { app, build, share, download, user: userEvent.setup() };
}

describe('downloadFile', () => {
  it('clicks a temporary download link to an object URL and revokes it later', async () => {
    vi.useFakeTimers();
    const create = vi.fn((_b: Blob) => 'blob:parley/1');
    const revoke = vi.fn();
    const original = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
    onTestFinished(() => void Object.assign(URL, original));
    const clicked: { download: string; href: string; inDoc: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ download: this.download, href: this.href, inDoc: this.isConnected });
    });
    downloadFile({ filename: 'a.json', text: '{"a":1}', mime: 'application/json' });
    expect(clicked).toEqual([{ download: 'a.json', href: 'blob:parley/1', inDoc: true }]);
    const blob = create.mock.calls[0]![0];
    expect(blob.type).toBe('application/json');
    expect(blob.size).toBe(7);
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    expect(revoke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10);
    expect(revoke).toHaveBeenCalledWith('blob:parley/1');
  });
});

describe('ExportMenu', () => {
  it('Export downloads the current conversation and says where it went', async () => {
    const { user, download, build } = await setupExport();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(build).toHaveBeenCalledExactlyOnceWith('current');
    expect(download).toHaveBeenCalledWith(file('solar-system.parley.json'));
    expect(screen.getByRole('status')).toHaveTextContent('Saved solar-system.parley.json.');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('the saved note clears after a few seconds', async () => {
    const { download } = await setupExport();
    vi.useFakeTimers();
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(download).toHaveBeenCalledOnce();
    expect(screen.getByRole('status')).toHaveTextContent('Saved solar-system.parley.json.');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  it('an export error is shown as an alert, as text, and nothing is downloaded', async () => {
    const { user, download } = await setupExport(async () =>
      fail('Conversation 1 cannot be exported: <b>bad</b> message'),
    );
    await user.click(screen.getByRole('button', { name: 'Export' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Conversation 1 cannot be exported: <b>bad</b> message');
    expect(alert.querySelector('b')).toBeNull();
    expect(download).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  it('a throwing export is reported instead of failing silently', async () => {
    const { user, download } = await setupExport(async () => {
      throw new Error('quota');
    });
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Export failed: quota');
    expect(download).not.toHaveBeenCalled();
  });

  it('the options menu opens, moves focus with arrows, and Escape returns to the button', async () => {
    const { user } = await setupExport();
    const more = screen.getByRole('button', { name: 'More export options' });
    expect(more).toHaveAttribute('aria-haspopup', 'menu');
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();

    await user.click(more);
    const menu = screen.getByRole('menu');
    expect(more).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((el) => el.textContent),
    ).toEqual([
      'All conversations (JSON)',
      'Transcript (Markdown)',
      'Next request body (JSON)',
      'Share link…',
    ]);
    expect(screen.getByRole('menuitem', { name: 'All conversations (JSON)' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Transcript (Markdown)' })).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Share link…' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'All conversations (JSON)' })).toHaveFocus();

    const onWindowKey = vi.fn();
    window.addEventListener('keydown', onWindowKey);
    await user.keyboard('{Escape}');
    window.removeEventListener('keydown', onWindowKey);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(more).toHaveFocus();
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(onWindowKey).not.toHaveBeenCalled(); // Escape did not reach page-wide handlers
  });

  it('each menu item runs its export, and Share link… opens sharing', async () => {
    const { user, download, build, share } = await setupExport();
    const cases = [
      ['All conversations (JSON)', 'all', 'parley-all.json'],
      ['Transcript (Markdown)', 'markdown', 'solar-system.md'],
      ['Next request body (JSON)', 'request', 'request.json'],
    ] as const;
    for (const [name, kind, filename] of cases) {
      await user.click(screen.getByRole('button', { name: 'More export options' }));
      await user.click(screen.getByRole('menuitem', { name }));
      expect(build).toHaveBeenLastCalledWith(kind);
      expect(download).toHaveBeenLastCalledWith(expect.objectContaining({ filename }));
      expect(await screen.findByRole('status')).toHaveTextContent(`Saved ${filename}.`);
      expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    }
    expect(download).toHaveBeenCalledTimes(3);
    expect(build).not.toHaveBeenCalledWith('current');

    await user.click(screen.getByRole('button', { name: 'More export options' }));
    await user.click(screen.getByRole('menuitem', { name: 'Share link…' }));
    expect(share).toHaveBeenCalledOnce();
    expect(download).toHaveBeenCalledTimes(3);
  });

  it('works from the keyboard alone: ArrowDown opens, Enter and Space activate', async () => {
    const { user, build, share, download } = await setupExport();
    const more = screen.getByRole('button', { name: 'More export options' });
    more.focus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'All conversations (JSON)' })).toHaveFocus();
    await user.keyboard('{ArrowDown}{Enter}');
    expect(build).toHaveBeenCalledExactlyOnceWith('markdown');
    expect(download).toHaveBeenCalledWith(expect.objectContaining({ filename: 'solar-system.md' }));
    expect(more).toHaveFocus();

    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Share link…' })).toHaveFocus();
    await user.keyboard(' ');
    expect(share).toHaveBeenCalledOnce();
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('a click outside closes the menu without running anything', async () => {
    const { user, download, share } = await setupExport();
    await user.click(screen.getByRole('button', { name: 'More export options' }));
    expect(screen.getByRole('menu')).toBeInTheDocument();
    await user.click(document.body);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(download).not.toHaveBeenCalled();
    expect(share).not.toHaveBeenCalled();
  });
});

type OnImport = (text: string, source: string) => Promise<ImportOutcome>;

/** Import over a real app whose import of the text is answered by `onImport`. */
async function setupImport(
  onImport?: OnImport,
  userOptions: Parameters<typeof userEvent.setup>[0] = {},
) {
  const { app } = await renderWithApp(FilesHarness, {});
  const spy = vi.spyOn(app.files, 'importText').mockImplementation(
    onImport ??
      (async (_text, source) => ({
        ok: true,
        message: `Imported 1 conversation from ${source}.`,
      })),
  );
  return { onImport: spy, user: userEvent.setup(userOptions) };
}

const JSON_TEXT = '{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}';

function jsonFile(name = 'conv.json', text = JSON_TEXT): File {
  return new File([text], name, { type: 'application/json' });
}

describe('ImportControls: file input', () => {
  it('is a real file input named Import that accepts JSON', async () => {
    await setupImport();
    const input = screen.getByLabelText('Import');
    expect(input).toHaveAttribute('type', 'file');
    expect(input).toHaveAttribute('accept', '.json,application/json');
    expect(input).not.toHaveAttribute('tabindex', '-1');
    expect(input).not.toHaveAttribute('multiple');
  });

  it('imports the picked file by text and name and reports the outcome', async () => {
    const { user, onImport } = await setupImport();
    const input = screen.getByLabelText<HTMLInputElement>('Import');
    await user.upload(input, jsonFile());
    await waitFor(() => expect(onImport).toHaveBeenCalledWith(JSON_TEXT, 'conv.json'));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Imported 1 conversation from conv.json.',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // Reset, so the same file can be picked again.
    expect(input.value).toBe('');
    await user.upload(input, jsonFile());
    await waitFor(() => expect(onImport).toHaveBeenCalledTimes(2));
  });

  it('a success fades after a few seconds; a failure stays until dismissed', async () => {
    let answer: ImportOutcome = { ok: true, message: 'Imported 1 conversation from conv.json.' };
    const { onImport } = await setupImport(async () => answer);
    vi.useFakeTimers();
    const input = screen.getByLabelText<HTMLInputElement>('Import');
    await fireEvent.change(input, { target: { files: [jsonFile()] } });
    await vi.waitFor(() => expect(onImport).toHaveBeenCalledOnce());
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByRole('status')).toHaveTextContent('Imported 1 conversation');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(screen.getByRole('status')).toHaveTextContent('');

    answer = { ok: false, message: 'Not a Parley file.' };
    await fireEvent.change(input, { target: { files: [jsonFile()] } });
    await vi.waitFor(() => expect(onImport).toHaveBeenCalledTimes(2));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(screen.getByRole('alert')).toHaveTextContent('Not a Parley file.');
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss import messages' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('refuses a file over 25 MB without reading it', async () => {
    const { user, onImport } = await setupImport();
    const big = jsonFile('huge.json');
    const size = 30 * 1024 * 1024;
    Object.defineProperty(big, 'size', { value: size });
    const arrayBuffer = vi.fn(async () => new ArrayBuffer(0));
    Object.defineProperty(big, 'arrayBuffer', { value: arrayBuffer });
    const readAsArrayBuffer = vi.spyOn(FileReader.prototype, 'readAsArrayBuffer');
    await user.upload(screen.getByLabelText('Import'), big);
    const expected = checkFileSize(size)!;
    expect(expected).toMatch(/up to 25(\.0)? MB/);
    expect(await screen.findByRole('alert')).toHaveTextContent(expected);
    expect(arrayBuffer).not.toHaveBeenCalled();
    expect(readAsArrayBuffer).not.toHaveBeenCalled();
    expect(onImport).not.toHaveBeenCalled();
  });

  it('reads with arrayBuffer when the browser has it', async () => {
    const { user, onImport } = await setupImport();
    const f = jsonFile('fast.json');
    const arrayBuffer = vi.fn(async () => new TextEncoder().encode('[1]').buffer);
    Object.defineProperty(f, 'arrayBuffer', { value: arrayBuffer });
    await user.upload(screen.getByLabelText('Import'), f);
    await waitFor(() => expect(onImport).toHaveBeenCalledWith('[1]', 'fast.json'));
    expect(arrayBuffer).toHaveBeenCalledOnce();
  });

  it('a ZIP archive is refused with the reason, without calling onImport', async () => {
    const { user, onImport } = await setupImport(undefined, { applyAccept: false });
    const zipBytes = new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 8, 0]);
    const zip = new File([zipBytes], 'chatgpt-export.zip', { type: 'application/zip' });
    await user.upload(screen.getByLabelText('Import'), zip);
    const expected = decodeImportBytes(zipBytes);
    expect(expected.ok).toBe(false);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/ZIP archive/);
    expect(alert).toHaveTextContent((expected as { error: string }).error);
    expect(onImport).not.toHaveBeenCalled();
  });

  it('invalid UTF-8 is refused with the reason', async () => {
    const { user, onImport } = await setupImport();
    const bad = new File([new Uint8Array([0x7b, 0xff, 0xfe, 0xfd, 0x7d, 0x80])], 'bad.json', {
      type: 'application/json',
    });
    await user.upload(screen.getByLabelText('Import'), bad);
    expect(await screen.findByRole('alert')).toHaveTextContent('not valid UTF-8');
    expect(onImport).not.toHaveBeenCalled();
  });

  it('an unsuccessful import is an alert, rendered as text', async () => {
    const { user } = await setupImport(async () => ({
      ok: false,
      message: 'This is not a Parley export: <img src=x onerror=alert(1)>',
    }));
    await user.upload(screen.getByLabelText('Import'), jsonFile('other.json'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This is not a Parley export: <img src=x onerror=alert(1)>');
    expect(alert.querySelector('img')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent(''); // nothing said as a success
  });

  it('a throwing onImport is reported', async () => {
    const { user } = await setupImport(async () => {
      throw new Error('storage is full');
    });
    await user.upload(screen.getByLabelText('Import'), jsonFile());
    expect(await screen.findByRole('alert')).toHaveTextContent('Import failed: storage is full');
  });
});

describe('ImportControls: drag and drop', () => {
  const files = (list: File[] = []) => ({ dataTransfer: { types: ['Files'], files: list } });
  const overlay = () => screen.queryByText(/^Drop a JSON file to import it/);

  it('shows an overlay while files are dragged over the page, counting nested targets', async () => {
    await setupImport();
    expect(overlay()).not.toBeInTheDocument();
    await fireEvent.dragEnter(window, files());
    expect(overlay()).toBeVisible();
    await fireEvent.dragEnter(window, files()); // entered a child
    await fireEvent.dragLeave(window, files()); // left the parent
    expect(overlay()).toBeInTheDocument();
    await fireEvent.dragLeave(window, files());
    expect(overlay()).not.toBeInTheDocument();
  });

  it('ignores drags that carry no files', async () => {
    await setupImport();
    const notPrevented = await fireEvent.dragOver(window, {
      dataTransfer: { types: ['text/plain'], files: [] },
    });
    await fireEvent.dragEnter(window, { dataTransfer: { types: ['text/plain'], files: [] } });
    expect(overlay()).not.toBeInTheDocument();
    expect(notPrevented).toBe(true);
  });

  it('a dropped file is imported, and the browser does not open it', async () => {
    const { onImport } = await setupImport();
    await fireEvent.dragEnter(window, files());
    expect(await fireEvent.dragOver(window, files())).toBe(false); // default prevented
    const notPrevented = await fireEvent.drop(window, files([jsonFile('dropped.json')]));
    expect(notPrevented).toBe(false);
    expect(overlay()).not.toBeInTheDocument();
    await waitFor(() => expect(onImport).toHaveBeenCalledWith(JSON_TEXT, 'dropped.json'));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Imported 1 conversation from dropped.json.',
    );
  });

  it('several dropped files are imported one after another, each with its outcome', async () => {
    const { onImport } = await setupImport(async (text, source) =>
      text.startsWith('[')
        ? { ok: false, message: 'Nothing to import.' }
        : { ok: true, message: `Imported from ${source}.` },
    );
    await fireEvent.drop(window, files([jsonFile('a.json'), jsonFile('b.json', '[]')]));
    await waitFor(() => expect(onImport).toHaveBeenCalledTimes(2));
    expect(onImport.mock.calls.map((c) => c[1])).toEqual(['a.json', 'b.json']);
    expect(await screen.findByRole('status')).toHaveTextContent('a.json: Imported from a.json.');
    expect(await screen.findByRole('alert')).toHaveTextContent('b.json: Nothing to import.');
  });
});

describe('ImportControls: paste', () => {
  it('the paste dialog keeps the text and stays open on error, and closes on success', async () => {
    let answer: ImportOutcome = { ok: false, message: 'The JSON is not valid at line 1.' };
    const { user, onImport } = await setupImport(async () => answer);
    const opener = screen.getByRole('button', { name: 'More actions' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.click(opener);
    await user.click(screen.getByRole('button', { name: 'Paste JSON…' }));
    const dialog = screen.getByRole('dialog', { name: 'Paste JSON to import' });
    const textarea = within(dialog).getByLabelText('JSON to import');
    expect(textarea).toHaveFocus();

    await user.paste('{"model": oops');
    await user.click(within(dialog).getByRole('button', { name: 'Import pasted JSON' }));
    expect(onImport).toHaveBeenCalledWith('{"model": oops', 'pasted JSON');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('The JSON is not valid at line 1.');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('dialog', { name: 'Paste JSON to import' })).toBeInTheDocument();
    expect(textarea).toHaveValue('{"model": oops');
    expect(textarea).toHaveAttribute('aria-invalid', 'true');

    answer = { ok: true, message: 'Imported 1 conversation.' };
    await user.clear(textarea);
    await user.paste(JSON_TEXT);
    await user.click(within(dialog).getByRole('button', { name: 'Import pasted JSON' }));
    expect(onImport).toHaveBeenLastCalledWith(JSON_TEXT, 'pasted JSON');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('status')).toHaveTextContent('Imported 1 conversation.');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('Cancel closes the dialog without importing', async () => {
    const { user, onImport } = await setupImport();
    await user.click(screen.getByRole('button', { name: 'More actions' }));
    await user.click(screen.getByRole('button', { name: 'Paste JSON…' }));
    await user.paste('[1, 2]');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(onImport).not.toHaveBeenCalled();
  });

  it('empty text asks for JSON instead of importing', async () => {
    const { user, onImport } = await setupImport();
    await user.click(screen.getByRole('button', { name: 'More actions' }));
    await user.click(screen.getByRole('button', { name: 'Paste JSON…' }));
    await user.click(screen.getByRole('button', { name: 'Import pasted JSON' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Paste some JSON first.');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(onImport).not.toHaveBeenCalled();
  });

  it('JSON pasted outside any editable field is imported directly', async () => {
    const { user, onImport } = await setupImport();
    document.body.focus();
    await user.paste(`  ${JSON_TEXT}`);
    await waitFor(() => expect(onImport).toHaveBeenCalledWith(`  ${JSON_TEXT}`, 'pasted JSON'));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Imported 1 conversation from pasted JSON.',
    );
  });

  it('plain text pasted outside editables is left alone', async () => {
    const { user, onImport } = await setupImport();
    document.body.focus();
    await user.paste('hello there');
    expect(onImport).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  it('JSON pasted into a textarea or an editor stays there', async () => {
    const { user, onImport } = await setupImport();
    const textarea = document.createElement('textarea');
    textarea.setAttribute('aria-label', 'Notes');
    const editor = document.createElement('div');
    editor.className = 'cm-editor';
    const content = document.createElement('div');
    content.tabIndex = 0;
    editor.append(content);
    document.body.append(textarea, editor);
    try {
      await user.click(textarea);
      await user.paste(JSON_TEXT);
      expect(textarea).toHaveValue(JSON_TEXT);
      content.focus();
      await user.paste(JSON_TEXT);
      expect(onImport).not.toHaveBeenCalled();
    } finally {
      textarea.remove();
      editor.remove();
    }
  });
});
