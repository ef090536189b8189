// Attaching images in the composer: a file chooser behind Attach, thumbnails
// named by their files, Remove with focus kept in the composer, Image detail.
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import Composer from '../../src/components/Composer.svelte';
import type { ImagePart } from '../../src/lib/model/types';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function setup(images: ImagePart[]) {
  const onImages = vi.fn();
  render(Composer, {
    draft: '',
    images,
    onImages,
    busy: false,
    blocker: null,
    onDraft: () => {},
    onSend: () => {},
    onStop: () => {},
  });
  // Files of any type reach the input, as a drop or an "All files" choice would.
  return { onImages, user: userEvent.setup({ applyAccept: false }) };
}

describe('Composer images', () => {
  it('shows each attachment by name; Remove takes it out; Image detail applies to all', async () => {
    const { onImages, user } = setup([
      { url: PNG, name: 'a.png' },
      { url: PNG, name: 'b.png' },
    ]);
    // The thumbnails load with the first attachment.
    expect(await screen.findByRole('group', { name: 'Attachment a.png' })).toContainElement(
      screen.getByRole('img', { name: 'a.png' }),
    );
    await user.click(screen.getByRole('button', { name: 'Remove a.png' }));
    expect(onImages).toHaveBeenLastCalledWith([{ url: PNG, name: 'b.png' }]);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Image detail' }), 'high');
    expect(onImages).toHaveBeenLastCalledWith([
      { url: PNG, name: 'a.png', detail: 'high' },
      { url: PNG, name: 'b.png', detail: 'high' },
    ]);
  });

  it('Attach opens the file chooser; a file chosen is read and added, a wrong one refused', async () => {
    const { onImages, user } = setup([]);
    expect(screen.queryByRole('combobox', { name: 'Image detail' })).toBeNull();
    const input = screen.getByLabelText('Attach files') as HTMLInputElement;
    const click = vi.spyOn(input, 'click');
    await user.click(screen.getByRole('button', { name: 'Attach' }));
    expect(click).toHaveBeenCalled();
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'pixel.png', { type: 'image/png' });
    const svg = new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' });
    await user.upload(input, [png, svg]);
    await vi.waitFor(() => expect(onImages).toHaveBeenCalled());
    expect(onImages.mock.lastCall?.[0]).toEqual([
      { url: expect.stringMatching(/^data:image\/png;base64,/), name: 'pixel.png' },
    ]);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'x.svg is not a PNG, JPEG, WEBP or GIF image, which is what the API reads.',
    );
  });
});
