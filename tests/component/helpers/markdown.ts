import { waitFor } from '@testing-library/svelte';
import { expect } from 'vitest';

/**
 * Waits until every Markdown answer in `container` shows rendered, nothing left
 * as plain text: the renderer loads on first need and renders in slices, a few
 * blocks per frame.
 */
export async function markdownRendered(container: HTMLElement): Promise<void> {
  await waitFor(() => {
    expect(container.querySelector('.markdown')).not.toBeNull();
    expect(container.querySelector('.markdown.pending')).toBeNull();
  });
}
