// The composer with a mouse and keyboard, and on a touch screen: the Message box names
// the send shortcut only where there is a keyboard to press it, and Send hands its focus
// to the Message box (it is disabled while the answer runs) only there: after a tap that
// would open the on-screen keyboard over the answer.
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Composer from '../../src/components/Composer.svelte';

function show(draft = '') {
  const onSend = vi.fn();
  render(Composer, {
    draft,
    busy: false,
    blocker: null,
    onDraft: () => {},
    onSend,
    onStop: () => {},
  });
  return Object.assign(screen.getByRole('textbox', { name: 'Message' }), { onSend });
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

describe('Send and the focus', () => {
  it('with a keyboard, Enter on Send leaves the focus in the Message box', async () => {
    pointer(false);
    const box = show('Hello');
    screen.getByRole('button', { name: 'Send' }).focus();
    await userEvent.setup().keyboard('{Enter}');
    expect(box.onSend).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(box);
  });

  it('on a touch screen, a tap on Send does not put the focus (and a keyboard) in the box', async () => {
    pointer(true);
    const box = show('Hello');
    const send = screen.getByRole('button', { name: 'Send' });
    send.focus(); // where a tap on a button leaves the focus in Chrome for Android
    await userEvent.setup().click(send);
    expect(box.onSend).toHaveBeenCalledTimes(1);
    expect(document.activeElement).not.toBe(box);
  });
});
