// Audio answers as bytes: the base64 pieces a stream sends joined into one,
// and their encoding read from the bytes. Used when an answer ends, so it
// stays off the page's startup path (audio-play.ts makes them playable).

export const fromBase64 = (b64: string): Uint8Array =>
  Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

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
