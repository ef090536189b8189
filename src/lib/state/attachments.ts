// Files the user attaches to a message (the Attach button, a paste, a drop),
// read into the parts that go on the wire: images as data: URLs, audio as
// base64 `input_audio`, PDFs as `file` data. Loaded on first use.

import { IMAGE_TYPES, MAX_IMAGES } from '../model/images';
import { AUDIO_TYPES, DOCUMENT_TYPES, MAX_FILES } from '../model/media';
import type { AudioPart, FilePart, ImagePart } from '../model/types';

/** The API's limit for one image. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** Audio files larger than this are refused (the API's audio endpoints take up to 25 MB). */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
/** The API's limit for the files of one request. */
const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

type FileInfo = { name: string; type: string; size: number };
type Kind = 'image' | 'audio' | 'document';

const EXTENSIONS: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  pdf: 'application/pdf',
};

/** The file's type, from its name when the browser gave none. */
const typeOf = (file: FileInfo) =>
  file.type || EXTENSIONS[file.name.split('.').pop()?.toLowerCase() ?? ''] || '';

function kindOf(file: FileInfo): Kind | undefined {
  const type = typeOf(file);
  if ((IMAGE_TYPES as readonly string[]).includes(type)) return 'image';
  if (type in AUDIO_TYPES) return 'audio';
  if ((DOCUMENT_TYPES as readonly string[]).includes(type)) return 'document';
  return undefined;
}

/** A file can be attached (by its type or name). */
export const isAttachable = (file: FileInfo) => kindOf(file) !== undefined;

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/** Why a file cannot be attached, or undefined when it can. */
export function attachmentProblem(file: FileInfo): string | undefined {
  const kind = kindOf(file);
  if (!kind) {
    return `${file.name} is not an image (PNG, JPEG, WEBP, GIF), audio (WAV, MP3) or a PDF, which is what the API reads.`;
  }
  const limit = { image: MAX_IMAGE_BYTES, audio: MAX_AUDIO_BYTES, document: MAX_DOCUMENT_BYTES }[
    kind
  ];
  if (file.size > limit) {
    const what = { image: 'images', audio: 'audio files', document: 'files' }[kind];
    return `${file.name} is ${megabytes(file.size)} MB; the API takes ${what} up to ${megabytes(limit).replace(/\.0$/, '')} MB.`;
  }
  return undefined;
}

/** A file read as a data: URL, or (`bytes`) as its bytes. */
function read(file: Blob, as: 'url'): Promise<string>;
function read(file: Blob, as: 'bytes'): Promise<ArrayBuffer>;
function read(file: Blob, as: 'url' | 'bytes'): Promise<string | ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string | ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    if (as === 'url') reader.readAsDataURL(file);
    else reader.readAsArrayBuffer(file);
  });
}

/** An image's size in pixels (for its token estimate); nothing where the browser cannot tell. */
async function sizeOf(file: File): Promise<{ width?: number; height?: number }> {
  if (typeof createImageBitmap !== 'function') return {};
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return {};
  }
}

/** What the draft has attached. */
export interface DraftParts {
  images: ImagePart[];
  files: FilePart[];
}

export interface Attached extends DraftParts {
  /** One sentence per file left out, saying why. */
  problems: string[];
}

/**
 * An animated GIF, which the API does not take: animations carry a looping
 * extension (NETSCAPE2.0, or the older ANIMEXTS1.0) near the start.
 */
async function isAnimatedGif(file: File): Promise<boolean> {
  const text = String.fromCharCode(...new Uint8Array(await read(file.slice(0, 4096), 'bytes')));
  return text.includes('NETSCAPE2.0') || text.includes('ANIMEXTS1.0');
}

async function partOf(file: File, kind: Kind, detail: ImagePart['detail']) {
  const url = await read(file, 'url');
  if (kind === 'image') {
    const part: ImagePart = { url, name: file.name || 'pasted image', ...(await sizeOf(file)) };
    if (detail && detail !== 'auto') part.detail = detail;
    return part;
  }
  // A data: URL of any type: the payload after the comma is the base64.
  const data = url.slice(url.indexOf(',') + 1);
  if (kind === 'audio') {
    const format = AUDIO_TYPES[typeOf(file)]!;
    const part: AudioPart = {
      kind: 'audio',
      name: file.name || `recording.${format}`,
      format,
      data,
    };
    return part;
  }
  const pdf = `data:application/pdf;base64,${data}`;
  return { kind: 'file' as const, name: file.name || 'document.pdf', data: pdf };
}

/**
 * `files` read, to be added to `current`: only the new parts (the caller adds
 * them to what is attached once they are read, which may no longer be
 * `current`: a file removed meanwhile stays removed). The ones that cannot be
 * sent, or would pass the limits with `current`, are named in `problems`.
 */
export async function attachFiles(
  current: { readonly images: readonly ImagePart[]; readonly files: readonly FilePart[] },
  files: readonly File[],
  detail: ImagePart['detail'],
): Promise<Attached> {
  const out: Attached = { images: [], files: [], problems: [] };
  for (const file of files) {
    const problem = attachmentProblem(file);
    const kind = kindOf(file);
    if (problem || !kind) {
      out.problems.push(problem ?? `${file.name} cannot be attached.`);
      continue;
    }
    if (typeOf(file) === 'image/gif' && (await isAnimatedGif(file).catch(() => false))) {
      out.problems.push(`${file.name} is an animated GIF; the API takes still images only.`);
      continue;
    }
    const full =
      kind === 'image'
        ? current.images.length + out.images.length >= MAX_IMAGES
        : current.files.length + out.files.length >= MAX_FILES;
    if (full) {
      const max = kind === 'image' ? `${MAX_IMAGES} images` : `${MAX_FILES} audio files and PDFs`;
      out.problems.push(`${file.name} was left out: a message takes up to ${max}.`);
      continue;
    }
    try {
      const part = await partOf(file, kind, detail);
      if ('url' in part) out.images.push(part);
      else out.files.push(part);
    } catch (err) {
      out.problems.push(
        `${file.name} could not be read: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return out;
}
