// Audio as a file an `audio` element plays: raw pcm16 samples get a WAV
// header, other encodings their media type. Loaded with the players.

import { fromBase64 } from './audio';
import type { AudioAnswer } from './types';

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
