// Audio and documents in user messages, and audio answers: how they go on the
// wire, what is kept when stored, exported or imported, and how a streamed
// audio answer is put together and referred to by the next turn.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyAnswer } from '../../src/lib/api/accumulator';
import { accumulateChunk } from '../builders/answers';
import { toAnswerMessage, toFinalMessage } from '../../src/lib/api/answer';
import { createConversation } from '../../src/lib/model/conversation';
import { parseImport, toExportFile } from '../../src/lib/model/exchange';
import { audioFormatOf, joinBase64 } from '../../src/lib/model/audio';
import { playableAudio, wavFromPcm16 } from '../../src/lib/model/audio-play';
import { readFileParts } from '../../src/lib/model/media';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import { toRequestBody } from '../../src/lib/model/request';
import type { Conversation, FilePart, Message } from '../../src/lib/model/types';

const WAV = btoa('RIFF\u0024\u0000\u0000\u0000WAVEfmt ');
const PDF = `data:application/pdf;base64,${btoa('%PDF-1.4\n%%EOF')}`;
const files: FilePart[] = [
  { kind: 'audio', name: 'question.wav', format: 'wav', data: WAV },
  { kind: 'file', name: 'report.pdf', data: PDF },
];
const body = (messages: Message[]) =>
  toRequestBody({
    model: 'gpt-4o-audio-preview',
    systemMessage: '',
    messages,
    params: {},
    stream: true,
  });

describe('audio and documents on the wire', () => {
  it('a user turn is its text, its images, then input_audio and file parts', () => {
    const sent = body([
      {
        id: 'u',
        role: 'user',
        content: 'Listen and read',
        images: [{ url: 'https://example.org/a.png' }],
        files,
      },
    ]);
    expect(sent.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Listen and read' },
          { type: 'image_url', image_url: { url: 'https://example.org/a.png' } },
          { type: 'input_audio', input_audio: { data: WAV, format: 'wav' } },
          { type: 'file', file: { filename: 'report.pdf', file_data: PDF } },
        ],
      },
    ]);
  });

  it('an earlier audio answer goes back as its id, with null content', () => {
    const sent = body([
      { id: 'u', role: 'user', content: 'Say hi', files: [files[0]!] },
      {
        id: 'a',
        role: 'assistant',
        content: '',
        audio: { id: 'audio_abc', data: 'AAAA', format: 'pcm16', transcript: 'Hi!' },
      },
      { id: 'v', role: 'user', content: 'Again' },
    ]);
    expect(sent.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      audio: { id: 'audio_abc' },
    });
  });
});

describe('kept through storage, export and import', () => {
  const conv: Conversation = {
    ...createConversation(),
    messages: [
      { id: 'u', role: 'user', content: 'Both', files },
      {
        id: 'a',
        role: 'assistant',
        content: '',
        audio: { id: 'audio_1', data: 'AAAA', format: 'pcm16', transcript: 'Heard.', expiresAt: 1 },
      },
    ],
    draftFiles: [files[1]!],
  };

  it('storage keeps the parts, the audio answer and the draft files; unusable parts are dropped', () => {
    const read = migrateConversation(JSON.parse(JSON.stringify(conv)));
    if (!read.ok) throw new Error(read.error);
    expect(read.value.messages[0]?.files).toEqual(files);
    expect(read.value.messages[1]?.audio).toEqual(conv.messages[1]!.audio);
    expect(read.value.draftFiles).toEqual([files[1]]);
    expect(
      readFileParts([
        { kind: 'audio', name: 'x.ogg', format: 'ogg', data: 'AAAA' },
        { kind: 'audio', name: 'x.wav', format: 'wav', data: 'not base64!' },
        { kind: 'file', name: 'x.pdf', data: 'https://example.org/x.pdf' },
        { kind: 'file', name: 'uploaded.pdf', fileId: 'file-123' },
      ]),
    ).toEqual([{ kind: 'file', name: 'uploaded.pdf', fileId: 'file-123' }]);
  });

  it('an export file imports back with the same parts and audio answer', () => {
    const result = parseImport(toExportFile([conv], 0));
    if (!result.ok) throw new Error(result.error);
    const back = result.value.conversations[0]!;
    expect(back.messages[0]?.files).toEqual(files);
    expect(back.messages[1]?.audio?.id).toBe('audio_1');
  });

  it('a request body imports with its input_audio and file parts and the assistant audio id, and goes out the same', () => {
    const sent = body(conv.messages);
    const result = parseImport(JSON.stringify(sent));
    if (!result.ok) throw new Error(result.error);
    const back = result.value.conversations[0]!;
    expect(back.messages[0]?.files).toEqual([
      { kind: 'audio', name: 'audio.wav', format: 'wav', data: WAV },
      { kind: 'file', name: 'report.pdf', data: PDF },
    ]);
    expect(body(back.messages).messages).toEqual(sent.messages);
  });
});

describe('audio answers', () => {
  const pcm = new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0, 5, 0]);
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

  it('a streamed answer: id, transcript and sound from the deltas; the sound joined at the end', () => {
    const chunks = [
      {
        id: 'c',
        choices: [
          { index: 0, delta: { role: 'assistant', audio: { id: 'audio_9', transcript: 'Hel' } } },
        ],
      },
      {
        id: 'c',
        choices: [
          { index: 0, delta: { audio: { data: b64(pcm.subarray(0, 3)), transcript: 'lo' } } },
        ],
      },
      {
        id: 'c',
        choices: [{ index: 0, delta: { audio: { data: b64(pcm.subarray(3)), expires_at: 99 } } }],
      },
      { id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ];
    const answer = chunks.reduce(accumulateChunk, emptyAnswer());
    const base: Message = { id: 'm', role: 'assistant', content: '', status: 'streaming' };
    const timing = { startedAt: 0, endedAt: 1 };
    expect(toAnswerMessage(base, answer, timing).audio).toEqual({
      id: 'audio_9',
      data: '',
      format: 'pcm16',
      transcript: 'Hello',
      expiresAt: 99,
    });
    const final = toFinalMessage(base, { answer, outcome: 'done', timing });
    expect(final.audio).toEqual({
      id: 'audio_9',
      data: b64(pcm),
      format: 'pcm16',
      transcript: 'Hello',
      expiresAt: 99,
    });
    expect(final.status).toBe('done');
  });

  it('base64 pieces join into the base64 of all their bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (pieces) => {
        const all = new Uint8Array(pieces.flatMap((p) => [...p]));
        expect(joinBase64(pieces.map(b64))).toBe(pieces.length ? b64(all) : '');
      }),
    );
  });

  it('raw pcm16 plays as a WAV file at 24 kHz; a file with a header keeps its own type', () => {
    const wav = wavFromPcm16(pcm);
    const text = (from: number, to: number) => String.fromCharCode(...wav.subarray(from, to));
    const view = new DataView(wav.buffer);
    expect([text(0, 4), text(8, 16), text(36, 40)]).toEqual(['RIFF', 'WAVEfmt ', 'data']);
    expect([view.getUint32(24, true), view.getUint32(40, true), wav.length]).toEqual([
      24000, 10, 54,
    ]);
    expect(playableAudio({ data: b64(pcm), format: 'pcm16' }).type).toBe('audio/wav');
    expect(playableAudio({ data: b64(wav), format: 'mp3' }).type).toBe('audio/mpeg');
  });

  it('the format of a whole answer is read from its header', () => {
    const of = (head: string) => audioFormatOf(btoa(head + '\0'.repeat(12)));
    expect([of('RIFF'), of('ID3'), of('fLaC'), of('OggS'), of('\u0001\u0000')]).toEqual([
      'wav',
      'mp3',
      'flac',
      'opus',
      'pcm16',
    ]);
  });
});
