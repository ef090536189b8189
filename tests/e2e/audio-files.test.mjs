// Audio and documents in the browser (issue 17): a WAV and a PDF attached go
// as input_audio and file parts; an audio answer plays in the transcript with
// its words, and the next turn refers to it by its id.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saved, useApp } from './harness.mjs';

const app = useApp();
const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const stopGone = (page) =>
  page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });

/** The length in seconds the browser reads from an `audio` element's sound. */
const durationOf = (audio) =>
  audio.evaluate(
    (el) =>
      new Promise((resolve) =>
        el.readyState >= 1
          ? resolve(el.duration)
          : el.addEventListener('loadedmetadata', () => resolve(el.duration)),
      ),
  );

/** A WAV file of `samples` silent 16-bit samples at 8 kHz. */
function silentWav(samples = 800) {
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(8000, 24);
  out.writeUInt32LE(16000, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples * 2, 40);
  return out;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('audio and documents', () => {
  it('a WAV and a PDF go as input_audio and file parts after the text, and stay after reload', async () => {
    const page = await app.openConfigured();
    const wav = silentWav();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Attach', exact: true }).click(),
    ]);
    await chooser.setFiles([
      { name: 'question.wav', mimeType: 'audio/wav', buffer: wav },
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await page.getByRole('group', { name: 'Attachment question.wav' }).waitFor();
    await page.getByRole('group', { name: 'Attachment report.pdf' }).waitFor();
    await page.screenshot({ path: 'test-results/files-composer.png' });

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('Listen, then read.');
    await messageBox(page).press('Control+Enter');
    const [sent] = await app.waitForChatRequests(1);
    assert.deepEqual(sent.body.messages.at(-1), {
      role: 'user',
      content: [
        { type: 'text', text: 'Listen, then read.' },
        { type: 'input_audio', input_audio: { data: wav.toString('base64'), format: 'wav' } },
        {
          type: 'file',
          file: {
            filename: 'report.pdf',
            file_data: `data:application/pdf;base64,${PDF.toString('base64')}`,
          },
        },
      ],
    });
    await stopGone(page);
    const user = page.getByRole('article', { name: 'User message' });
    const player = user.getByRole('group', { name: 'Attachment question.wav' }).locator('audio');
    await player.waitFor();
    assert.match(await player.getAttribute('src'), /^blob:/);
    // The browser reads it as sound: its length comes from the WAV header (800 samples at 8 kHz).
    const duration = await durationOf(player);
    assert.equal(duration, 0.1);

    await saved(page);
    await page.reload();
    await page
      .getByRole('article', { name: 'User message' })
      .getByRole('group', { name: 'Attachment report.pdf' })
      .waitFor();
  });
});

describe('audio answers', () => {
  it('play with their transcript, and the next turn sends the audio id back', async () => {
    const page = await app.openConfigured();
    // 0.05 s of pcm16 at 24 kHz, in two pieces as a stream sends them.
    const pcm = Buffer.alloc(2400, 1);
    const base = {
      id: 'chatcmpl-audio',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-audio-preview',
    };
    const delta = (d) => ({ ...base, choices: [{ index: 0, delta: d }] });
    app.api.enqueue({
      sse: [
        delta({ role: 'assistant', audio: { id: 'audio_abc123', transcript: 'Hello ' } }),
        delta({ audio: { data: pcm.subarray(0, 1200).toString('base64'), transcript: 'there!' } }),
        delta({ audio: { data: pcm.subarray(1200).toString('base64'), expires_at: 1900000000 } }),
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: 10,
            completion_tokens: 30,
            total_tokens: 40,
            completion_tokens_details: { audio_tokens: 25 },
          },
        },
        'data: [DONE]\n\n',
      ],
    });
    await messageBox(page).fill('Say hello');
    await messageBox(page).press('Control+Enter');
    await stopGone(page);
    const answer = page.getByRole('article', { name: 'Assistant message' }).last();
    const audio = answer.locator('audio');
    await audio.waitFor();
    assert.equal(await audio.getAttribute('aria-label'), 'Audio answer');
    const duration = await durationOf(audio);
    assert.equal(duration, 0.05);
    await answer.getByText('Hello there!').waitFor();
    await page.screenshot({ path: 'test-results/audio-answer.png' });

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).fill('Again, slower');
    await messageBox(page).press('Control+Enter');
    const [, second] = await app.waitForChatRequests(2);
    assert.deepEqual(second.body.messages.slice(-2), [
      { role: 'assistant', content: null, audio: { id: 'audio_abc123' } },
      { role: 'user', content: 'Again, slower' },
    ]);
    await stopGone(page);
  });
});

describe('recording', () => {
  it('Record audio makes a WAV from the microphone, sent as input_audio', async () => {
    const page = await app.openConfigured();
    await page.getByRole('button', { name: 'Record audio' }).click();
    const stop = page.getByRole('button', { name: /^Stop recording/ });
    // Chromium's fake microphone plays a tone; a second of it is enough.
    await page.getByRole('timer', { name: 'Recorded' }).filter({ hasText: '0:01' }).waitFor();
    await stop.click();
    const chip = page.getByRole('group', { name: /^Attachment recording-\d{6}\.wav$/ });
    await chip.waitFor();
    assert.match(await chip.innerText(), /WAV/);

    app.api.enqueue({ ownFixture: 'own_stream_hello' });
    await messageBox(page).press('Control+Enter');
    const [sent] = await app.waitForChatRequests(1);
    const [part] = sent.body.messages.at(-1).content;
    assert.equal(part.type, 'input_audio');
    assert.equal(part.input_audio.format, 'wav');
    const wav = Buffer.from(part.input_audio.data, 'base64');
    assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 24000, 'mono 24 kHz');
    assert.ok(wav.length > 44 + 24000, 'about a second of sound or more');
    // Not silence: the tone is in the samples.
    const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
    assert.ok(samples.some((s) => Math.abs(s) > 1000));
    await stopGone(page);
  });
});
