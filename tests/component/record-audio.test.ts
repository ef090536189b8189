// Record audio: the button starts a recording, Stop hands the WAV file over,
// and a refused microphone is said with what to do.
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RecordAudio from '../../src/components/RecordAudio.svelte';

const recorder = vi.hoisted(() => ({ startRecording: vi.fn() }));
vi.mock('../../src/lib/state/recorder', () => recorder);

afterEach(() => recorder.startRecording.mockReset());

describe('RecordAudio', () => {
  it('records until Stop, then hands over the file', async () => {
    const file = new File(['RIFF'], 'recording-101010.wav', { type: 'audio/wav' });
    const stop = vi.fn(async () => file);
    recorder.startRecording.mockResolvedValue({ stop, cancel: vi.fn() });
    const onRecorded = vi.fn();
    render(RecordAudio, { onRecorded, onProblem: vi.fn() });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Record audio' }));
    expect(recorder.startRecording).toHaveBeenCalledWith(
      expect.stringMatching(/^recording-\d{6}\.wav$/),
    );
    expect(screen.getByRole('timer', { name: 'Recorded' })).toHaveTextContent('0:00');
    await user.click(screen.getByRole('button', { name: /^Stop recording/ }));
    expect(stop).toHaveBeenCalled();
    expect(onRecorded).toHaveBeenCalledWith(file);
    expect(screen.getByRole('button', { name: 'Record audio' })).toBeEnabled();
  });

  it('a refused microphone is said, with the way out', async () => {
    recorder.startRecording.mockRejectedValue(new Error('Permission denied'));
    const onProblem = vi.fn();
    render(RecordAudio, { onRecorded: vi.fn(), onProblem });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Record audio' }));
    expect(onProblem).toHaveBeenCalledWith(
      "The microphone could not be used (Permission denied). Allow it for this site in the browser's settings, or attach a WAV or MP3 file.",
    );
    expect(screen.getByRole('button', { name: 'Record audio' })).toBeEnabled();
  });
});
