// Audio answers as sound: the base64 pieces a stream sends joined into one,
// their encoding read from the bytes, and raw samples made into a file an
// `audio` element plays. Used when an answer ends and when it is played, so
// it stays off the page's startup path.

import type { AudioAnswer } from './types';

const fromBase64 = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

function toBase64(bytes: Uint8Array): string {
  let text = '';
  // In pieces: String.fromCharCode takes a limited number of arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** Base64 pieces (each encoded on its own, as a stream sends them) as one base64 text. */
export function joinBase64(pieces: readonly string[]): string {
  if (pieces.length <= 1) return pieces[0] ?? '';
  const parts = pieces.map(fromBase64);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return toBase64(out);
}

/** The encoding of audio bytes, by their header; `pcm16` (raw samples) when there is none. */
export function audioFormatOf(b64: string): string {
  let head: string;
  try {
    head = atob(b64.slice(0, 16)); // whole groups of four: the first 12 bytes
  } catch {
    return 'pcm16';
  }
  if (head.startsWith('RIFF')) return 'wav';
  if (
    head.startsWith('ID3') ||
    (head.charCodeAt(0) === 0xff && (head.charCodeAt(1) & 0xe0) === 0xe0)
  ) {
    return head.charCodeAt(1) === 0xf1 || head.charCodeAt(1) === 0xf9 ? 'aac' : 'mp3';
  }
  if (head.startsWith('fLaC')) return 'flac';
  if (head.startsWith('OggS')) return 'opus';
  return 'pcm16';
}

/** The API's raw audio: 16-bit little-endian samples, mono, 24 kHz. */
const PCM_RATE = 24_000;

/** A WAV file of raw pcm16 samples, so that an `audio` element can play them. */
export function wavFromPcm16(pcm: Uint8Array, rate = PCM_RATE): Uint8Array {
  const out = new Uint8Array(44 + pcm.length);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + pcm.length, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true); // the fmt chunk's size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per sample frame
  view.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  view.setUint32(40, pcm.length, true);
  out.set(pcm, 44);
  return out;
}

const AUDIO_MIME: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  opus: 'audio/ogg',
  aac: 'audio/aac',
};

/** An audio answer as a file a browser plays: its bytes and type (raw pcm16 gets a WAV header). */
export function playableAudio(answer: Pick<AudioAnswer, 'data' | 'format'>): {
  bytes: Uint8Array;
  type: string;
} {
  const bytes = fromBase64(answer.data);
  const type = AUDIO_MIME[answer.format];
  return type ? { bytes, type } : { bytes: wavFromPcm16(bytes), type: 'audio/wav' };
}
