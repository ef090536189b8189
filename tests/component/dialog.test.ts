import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DialogHarness from './helpers/DialogHarness.svelte';

// jsdom has no showModal: Dialog falls back to the `open` attribute, as old browsers do.

const listeners: ((e: KeyboardEvent) => void)[] = [];
afterEach(() => {
  for (const l of listeners.splice(0)) window.removeEventListener('keydown', l);
});

/** A page-wide keydown listener, like App's "Esc stops the stream". */
function windowKeys() {
  const keys: string[] = [];
  const listener = (e: KeyboardEvent) => keys.push(e.key);
  listeners.push(listener);
  window.addEventListener('keydown', listener);
  return keys;
}

async function openIt(props: Record<string, unknown> = {}) {
  const user = userEvent.setup();
  render(DialogHarness, props);
  const opener = screen.getByRole('button', { name: 'Open' });
  await user.click(opener);
  const dialog = screen.getByRole('dialog', { name: 'Rename preset' });
  return { user, opener, dialog };
}

describe('Dialog', () => {
  it('is not there until opened, then opens named by its title', async () => {
    render(DialogHarness);
    expect(screen.queryByRole('dialog')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Open' }));
    const dialog = screen.getByRole('dialog', { name: 'Rename preset' });
    expect(dialog).toBeVisible();
    expect(within(dialog).getByRole('heading', { name: 'Rename preset' })).toBeVisible();
  });

  it('moves focus to its first field on open', async () => {
    const { dialog } = await openIt();
    expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveFocus();
  });

  it('moves focus to the element marked with autofocus instead', async () => {
    const { dialog } = await openIt({ focusSecond: true });
    await waitFor(() =>
      expect(within(dialog).getByRole('button', { name: 'Second' })).toHaveFocus(),
    );
  });

  it('closes on Escape and gives focus back to the button that opened it', async () => {
    const { user, opener } = await openIt();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('gives focus back when closed from inside, too', async () => {
    const { user, opener, dialog } = await openIt();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('keeps its Escape from page-wide keydown listeners', async () => {
    const keys = windowKeys();
    const { user, opener } = await openIt();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(keys).toEqual([]);
    // The listener does hear Escape pressed on the page itself.
    expect(opener).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(keys).toEqual(['Escape']);
  });

  it('keeps focus in the dialog when its text is clicked, so Escape still closes it', async () => {
    const keys = windowKeys();
    const { user, dialog } = await openIt();
    await user.click(within(dialog).getByText('Opened 1 times'));
    expect(dialog).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(keys).toEqual([]);
  });

  it('closes on the cancel event (the browser asking) and cancels the native close', async () => {
    const { dialog, opener } = await openIt();
    const cancel = new Event('cancel', { cancelable: true });
    await fireEvent(dialog, cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('stays open on a backdrop click by default', async () => {
    const { dialog } = await openIt();
    await fireEvent.pointerDown(dialog);
    await fireEvent.click(dialog);
    expect(screen.getByRole('dialog', { name: 'Rename preset' })).toBeVisible();
  });

  it('closes on a backdrop click when asked to, never on a click inside', async () => {
    const { dialog, user } = await openIt({ closeOnBackdrop: true });
    await user.click(within(dialog).getByText('Opened 1 times'));
    expect(screen.getByRole('dialog', { name: 'Rename preset' })).toBeVisible();
    // Pressed inside, released on the backdrop (a text selection dragged out).
    await fireEvent.pointerDown(within(dialog).getByText('Opened 1 times'));
    await fireEvent.click(dialog);
    expect(screen.getByRole('dialog', { name: 'Rename preset' })).toBeVisible();
    await fireEvent.pointerDown(dialog);
    await fireEvent.click(dialog);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('starts fresh on each opening', async () => {
    const onOpen = vi.fn();
    const { user, opener } = await openIt({ onOpen });
    expect(screen.getByText('Opened 1 times')).toBeVisible();
    await user.keyboard('{Escape}');
    await user.click(opener);
    expect(screen.getByText('Opened 2 times')).toBeVisible();
    expect(onOpen).toHaveBeenCalledTimes(2);
  });
});

describe('Dialog with a form', () => {
  it('submits with Ctrl/Cmd+Enter, shows the error in the dialog and stays open', async () => {
    const onSubmit = vi.fn((text: string) => (text.trim() ? undefined : 'Type a name first.'));
    const { user, dialog, opener } = await openIt({ onSubmit });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });

    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Type a name first.');
    expect(name).toHaveAccessibleDescription('Type a name first.');
    expect(screen.getByRole('dialog', { name: 'Rename preset' })).toBeVisible();

    await user.type(name, 'Terse');
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    expect(onSubmit).toHaveBeenLastCalledWith('Terse');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('submits from its submit button; a plain Enter in the textarea is a new line', async () => {
    const onSubmit = vi.fn(() => undefined);
    const { user, dialog } = await openIt({ onSubmit });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'a{Enter}b');
    expect(onSubmit).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledWith('a\nb');
  });
});

describe('Dialog where the browser has showModal', () => {
  afterEach(() => {
    const proto = HTMLDialogElement.prototype as Partial<HTMLDialogElement>;
    delete proto.showModal;
    delete proto.close;
  });

  it('opens modally with showModal and closes with close', async () => {
    const showModal = vi.fn(function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    });
    const close = vi.fn(function (this: HTMLDialogElement) {
      this.removeAttribute('open');
    });
    Object.assign(HTMLDialogElement.prototype, { showModal, close });
    const { user, opener } = await openIt();
    expect(showModal).toHaveBeenCalledTimes(1);
    await user.keyboard('{Escape}');
    expect(close).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });
});
