// Audio and documents in user messages, and audio answers: which ones the API
// takes, how they go on the wire, and how they are checked when attached,
// stored, imported or read back.

import { IMAGE_TYPES } from './images';
import { isFiniteNumber, isObject, isString } from './json';
import type { AudioAnswer, AudioPart, DocumentPart, FilePart } from './types';

/** Files of either kind kept with one message (more are left out). */
export const MAX_FILES = 10;

/** The audio encodings `input_audio` takes, by the file types that carry them. */
export const AUDIO_TYPES: Readonly<Record<string, AudioPart['format']>> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
};

/** The document types a `file` part takes here. */
export const DOCUMENT_TYPES = ['application/pdf'] as const;

/** What the file chooser offers: images, WAV and MP3, PDF (by type, and by name for files without one). */
export const ATTACHABLE = [
  ...IMAGE_TYPES,
  ...Object.keys(AUDIO_TYPES),
  ...DOCUMENT_TYPES,
  '.wav',
  '.mp3',
  '.pdf',
].join(',');

const BASE64 = /^[A-Za-z0-9+/]+=*$/;
const DOCUMENT_DATA_URL = /^data:[\w.+-]+\/[\w.+-]+;base64,[A-Za-z0-9+/]+=*$/;

const name = (raw: unknown, fallback: string) =>
  isString(raw) && raw !== '' ? raw.slice(0, 255) : fallback;

/** A stored or imported audio part, or undefined when it is not one Parley can send. */
export function readAudioPart(raw: Record<string, unknown>): AudioPart | undefined {
  const { data, format } = raw;
  if (!isString(data) || !BASE64.test(data)) return undefined;
  if (format !== 'wav' && format !== 'mp3') return undefined;
  return { kind: 'audio', name: name(raw.name, `audio.${format}`), format, data };
}

export function readDocumentPart(raw: Record<string, unknown>): DocumentPart | undefined {
  const part: DocumentPart = { kind: 'file', name: name(raw.name, 'document.pdf') };
  if (isString(raw.data) && DOCUMENT_DATA_URL.test(raw.data)) part.data = raw.data;
  if (isString(raw.fileId) && raw.fileId !== '') part.fileId = raw.fileId;
  return part.data || part.fileId ? part : undefined;
}

/** A stored file part, or undefined when it is not one Parley can send. */
function readFilePart(raw: unknown): FilePart | undefined {
  if (!isObject(raw)) return undefined;
  if (raw.kind === 'audio') return readAudioPart(raw);
  if (raw.kind === 'file') return readDocumentPart(raw);
  return undefined;
}

/** The file parts of a list that can be sent, at most MAX_FILES. */
export function readFileParts(raw: unknown): FilePart[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const parts = raw.map(readFilePart).filter((p): p is FilePart => p !== undefined);
  return parts.length ? parts.slice(0, MAX_FILES) : undefined;
}

export type WireFilePart =
  | { type: 'input_audio'; input_audio: { data: string; format: string } }
  | { type: 'file'; file: { filename: string; file_data?: string; file_id?: string } };

/** A file part as it goes on the wire. */
export function filePartToWire(part: FilePart): WireFilePart {
  if (part.kind === 'audio') {
    return { type: 'input_audio', input_audio: { data: part.data, format: part.format } };
  }
  const file: { filename: string; file_data?: string; file_id?: string } = { filename: part.name };
  if (part.data) file.file_data = part.data;
  if (part.fileId) file.file_id = part.fileId;
  return { type: 'file', file };
}

/** A stored audio answer, or undefined when it has no id to refer to. */
export function readAudioAnswer(raw: unknown): AudioAnswer | undefined {
  if (!isObject(raw) || !isString(raw.id) || raw.id === '') return undefined;
  const answer: AudioAnswer = {
    id: raw.id,
    data: isString(raw.data) && BASE64.test(raw.data) ? raw.data : '',
    format: isString(raw.format) ? raw.format : 'pcm16',
    transcript: isString(raw.transcript) ? raw.transcript : '',
  };
  if (isFiniteNumber(raw.expiresAt)) answer.expiresAt = raw.expiresAt;
  return answer;
}
