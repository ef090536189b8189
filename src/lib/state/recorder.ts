// Recording from the microphone into a WAV file, the encoding `input_audio`
// takes (browsers record WebM or Ogg, which the API does not read). Loaded
// the first time Record is pressed.

import { wavFromPcm16 } from '../model/audio-play';

/** The rate the recording is written at: speech needs no more, and the file stays small. */
const RATE = 24_000;

/** Float samples (−1…1) as 16-bit little-endian PCM. */
function toPcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((s, i) => {
    const clamped = Math.max(-1, Math.min(1, s));
    view.setInt16(i * 2, clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff, true);
  });
  return out;
}

/** Recorded audio of any type the browser decodes, as a mono 24 kHz WAV. */
async function toWav(recorded: Blob): Promise<Uint8Array> {
  const decoded = await new AudioContext().decodeAudioData(await recorded.arrayBuffer());
  const frames = Math.max(1, Math.ceil(decoded.duration * RATE));
  // Rendering through a mono context at RATE mixes the channels down and resamples.
  const offline = new OfflineAudioContext(1, frames, RATE);
  const source = offline.createBufferSource();
  source.buffer = decoded;
  source.connect(offline.destination);
  source.start();
  const rendered = await offline.startRendering();
  return wavFromPcm16(toPcm16(rendered.getChannelData(0)), RATE);
}

export interface Recording {
  /** Ends the recording; resolves to the WAV file. */
  stop(): Promise<File>;
  /** Ends it and throws the sound away. */
  cancel(): void;
}

/** Starts recording; rejects when the microphone cannot be used (refused, absent). */
export async function startRecording(name: string): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const recorder = new MediaRecorder(stream);
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  const release = () => stream.getTracks().forEach((t) => t.stop());
  recorder.start();
  return {
    async stop() {
      recorder.stop();
      await stopped;
      release();
      const wav = await toWav(new Blob(chunks, { type: recorder.mimeType }));
      return new File([wav as BlobPart], name, { type: 'audio/wav' });
    },
    cancel() {
      if (recorder.state !== 'inactive') recorder.stop();
      release();
    },
  };
}
