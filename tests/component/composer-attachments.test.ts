// Attaching files in the composer: a file chooser behind Attach, thumbnails and
// chips named by their files, Remove with focus kept in the composer, Image
// detail, and audio and PDFs read into the parts the wire takes.
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import Composer from '../../src/components/Composer.svelte';
import type { FilePart, ImagePart } from '../../src/lib/model/types';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

type Parts = { images: ImagePart[]; files: FilePart[] };

/** An idle composer with an empty draft, holding `parts`. */
const composer = (parts: Parts, onParts: (next: Parts) => void) => ({
  draft: '',
  parts,
  onParts,
  busy: false,
  blocker: null,
  onDraft: () => {},
  onSend: () => {},
  onStop: () => {},
});

function setup(images: ImagePart[], files: FilePart[] = []) {
  const onParts = vi.fn();
  render(Composer, composer({ images, files }, onParts));
  // Files of any type reach the input, as a drop or an "All files" choice would.
  return { onParts, user: userEvent.setup({ applyAccept: false }) };
}

describe('Composer attachments', () => {
  it('shows each attachment by name; Remove takes it out; Image detail applies to all', async () => {
    const audio: FilePart = { kind: 'audio', name: 'q.wav', format: 'wav', data: 'AAAA' };
    const { onParts, user } = setup(
      [
        { url: PNG, name: 'a.png' },
        { url: PNG, name: 'b.png' },
      ],
      [audio],
    );
    // The thumbnails load with the first attachment.
    expect(await screen.findByRole('group', { name: 'Attachment a.png' })).toContainElement(
      screen.getByRole('img', { name: 'a.png' }),
    );
    expect(screen.getByRole('group', { name: 'Attachment q.wav' })).toHaveTextContent('WAV');
    await user.click(screen.getByRole('button', { name: 'Remove a.png' }));
    expect(onParts).toHaveBeenLastCalledWith({
      images: [{ url: PNG, name: 'b.png' }],
      files: [audio],
    });
    await user.click(screen.getByRole('button', { name: 'Remove q.wav' }));
    expect(onParts).toHaveBeenLastCalledWith({
      images: [
        { url: PNG, name: 'a.png' },
        { url: PNG, name: 'b.png' },
      ],
      files: [],
    });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Image detail' }), 'high');
    expect(onParts).toHaveBeenLastCalledWith({
      images: [
        { url: PNG, name: 'a.png', detail: 'high' },
        { url: PNG, name: 'b.png', detail: 'high' },
      ],
      files: [audio],
    });
  });

  it('Attach opens the file chooser; images, audio and PDFs are read and added, others refused', async () => {
    const { onParts, user } = setup([]);
    expect(screen.queryByRole('combobox', { name: 'Image detail' })).toBeNull();
    const input = screen.getByLabelText('Attach files') as HTMLInputElement;
    expect(input.accept).toContain('audio/wav');
    expect(input.accept).toContain('application/pdf');
    const click = vi.spyOn(input, 'click');
    await user.click(screen.getByRole('button', { name: 'Attach' }));
    expect(click).toHaveBeenCalled();
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'pixel.png', { type: 'image/png' });
    const wav = new File(['RIFF'], 'question.wav', { type: 'audio/wav' });
    const mp3 = new File(['ID3'], 'song.mp3', { type: '' });
    const pdf = new File(['%PDF'], 'report.pdf', { type: 'application/pdf' });
    const svg = new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' });
    const moving = new File(['GIF89a\u0001\u0000!\u00ff\u000bNETSCAPE2.0'], 'cat.gif', {
      type: 'image/gif',
    });
    await user.upload(input, [png, wav, mp3, pdf, svg, moving]);
    await vi.waitFor(() => expect(onParts).toHaveBeenCalled());
    expect(onParts.mock.lastCall?.[0]).toEqual({
      images: [{ url: expect.stringMatching(/^data:image\/png;base64,/), name: 'pixel.png' }],
      files: [
        { kind: 'audio', name: 'question.wav', format: 'wav', data: btoa('RIFF') },
        { kind: 'audio', name: 'song.mp3', format: 'mp3', data: btoa('ID3') },
        { kind: 'file', name: 'report.pdf', data: `data:application/pdf;base64,${btoa('%PDF')}` },
      ],
    });
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual([
      'x.svg is not an image (PNG, JPEG, WEBP, GIF), audio (WAV, MP3) or a PDF, which is what the API reads.',
      'cat.gif is an animated GIF; the API takes still images only.',
    ]);
  });

  it('a file pasted while another is still being read is added to it, not instead of it', async () => {
    const live = liveComposer();
    // Two in a row: the second comes while the first is still being read.
    live.paste('first.png');
    live.paste('second.png');
    await vi.waitFor(() => expect(live.parts.images).toHaveLength(2));
    expect(live.parts.images.map((i) => i.name)).toEqual(['first.png', 'second.png']);
  });

  it('an attachment removed while a file is being read stays removed', async () => {
    const live = liveComposer([{ url: PNG, name: 'old.png' }]);
    const remove = await screen.findByRole('button', { name: 'Remove old.png' });
    // The new file's reading starts, and waits until the test lets it go on.
    const readAsDataURL = FileReader.prototype.readAsDataURL;
    let goOn = () => {};
    const reading = new Promise<void>((started) => {
      FileReader.prototype.readAsDataURL = function (this: FileReader, blob: Blob) {
        goOn = () => readAsDataURL.call(this, blob);
        started();
      };
    });
    try {
      live.paste('new.png');
      await reading;
      // Still being read: Remove the one attached before.
      remove.click();
      expect(live.parts.images).toEqual([]);
      goOn();
      await vi.waitFor(() => expect(live.parts.images).toHaveLength(1));
    } finally {
      FileReader.prototype.readAsDataURL = readAsDataURL;
    }
    expect(live.parts.images.map((i) => i.name)).toEqual(['new.png']);
  });
});

/**
 * A composer whose parts go round as the chat pane's do: the draft takes the
 * new parts and the composer gets them back. `paste(name)` pastes a PNG.
 */
function liveComposer(images: ImagePart[] = []) {
  const live = {
    parts: { images, files: [] } as Parts,
    paste(name: string) {
      const file = new File([new Uint8Array([137, 80, 78, 71])], name, { type: 'image/png' });
      const event = new Event('paste', { bubbles: true, cancelable: true });
      Object.assign(event, { clipboardData: { files: [file], getData: () => '' } });
      screen.getByRole('textbox', { name: 'Message' }).dispatchEvent(event);
    },
  };
  const onParts = (next: Parts) => {
    live.parts = next;
    void view.rerender(composer(next, onParts));
  };
  const view = render(Composer, composer(live.parts, onParts));
  return live;
}
