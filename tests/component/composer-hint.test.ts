// What the Message box says before anything is typed: the send shortcut where there is
// a keyboard to press it, just "Message" on a touch screen (which sends with Send).
import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Composer from '../../src/components/Composer.svelte';

function show() {
  render(Composer, {
    draft: '',
    busy: false,
    blocker: null,
    onDraft: () => {},
    onSend: () => {},
    onStop: () => {},
  });
  return screen.getByRole('textbox', { name: 'Message' });
}

/** A browser whose primary pointer is (or is not) coarse: a finger. */
function pointer(coarse: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: coarse && query.includes('pointer: coarse'),
    media: query,
    addEventListener: () => {},
    removeEventListener: () => {},
  }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the Message box placeholder', () => {
  it('names the send shortcut with a mouse and keyboard', () => {
    pointer(false);
    expect(show()).toHaveAttribute('placeholder', 'Message — Ctrl+Enter to send');
  });

  it('is just "Message" on a touch screen', () => {
    pointer(true);
    expect(show()).toHaveAttribute('placeholder', 'Message');
  });
});
