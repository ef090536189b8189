import type { ExportedFile } from '../model/exchange';

/**
 * Saves `file` through a temporary `<a download>` pointing at an object URL.
 * The URL is revoked a tick later, once the browser has started the download.
 */
export function downloadFile(file: ExportedFile): void {
  const blob = new Blob([file.text], { type: file.mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  try {
    a.click();
  } finally {
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
