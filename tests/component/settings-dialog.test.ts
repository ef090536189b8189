import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import SettingsDialog from '../../src/components/SettingsDialog.svelte';
import type { KeyState } from '../../src/components/settings/KeyFields.svelte';
import UnlockKeyDialog from '../../src/components/shell/UnlockKeyDialog.svelte';
import { validateSettings, type SettingsValues } from '../../src/lib/state/settings.svelte';
import { settingsValues } from '../builders/settings';

// jsdom has <dialog> but not its modal methods.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

const initial: SettingsValues = settingsValues();

function setup(
  overrides: Partial<{
    firstRun: boolean;
    origin: string;
    rememberKey: boolean;
    lockKey: boolean;
    keyState: KeyState;
  }> = {},
) {
  const saved: SettingsValues[] = [];
  const onSave = vi.fn(async (v: SettingsValues) => {
    const checked = validateSettings(v);
    if (checked.ok) saved.push(checked.value);
    return checked;
  });
  const onClose = vi.fn();
  const onForgetKey = vi.fn(async () => {});
  const onUnlock = vi.fn();
  const onLockNow = vi.fn();
  render(SettingsDialog, {
    open: true,
    initial: {
      ...initial,
      rememberKey: overrides.rememberKey ?? initial.rememberKey,
      lockKey: overrides.lockKey ?? initial.lockKey,
    },
    firstRun: overrides.firstRun ?? false,
    origin: overrides.origin ?? 'http://127.0.0.1:5173',
    ...(overrides.keyState ? { keyState: overrides.keyState } : {}),
    onSave,
    onClose,
    onForgetKey,
    onUnlock,
    onLockNow,
  });
  return { saved, onSave, onClose, onForgetKey, onUnlock, onLockNow, user: userEvent.setup() };
}

describe('Settings dialog', () => {
  it('has the contract names and defaults', () => {
    // What a first run's settings hold (the store's defaults): the key for this session only.
    setup({ firstRun: true, rememberKey: false });
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeInTheDocument();
    const key = screen.getByLabelText('API key');
    expect(key).toHaveAttribute('type', 'password');
    expect(screen.getByRole('textbox', { name: 'Base URL' })).toHaveValue(
      'https://api.openai.com/v1',
    );
    expect(screen.getByRole('checkbox', { name: 'Remember key on this device' })).not.toBeChecked();
    // One line under the key: where it is kept, and what remembering it changes.
    expect(key).toHaveAccessibleDescription(
      /^Kept in this tab’s memory only, sent only to the Base URL\. “Remember key on this device” stores it/,
    );
    expect(screen.getByText(/Parley talks to the API straight from this page/)).toBeVisible();
  });

  it('trims the key and normalizes the base URL on save, then closes', async () => {
    const { user, saved, onClose } = setup();
    await user.type(screen.getByLabelText('API key'), '  sk-abc123  ');
    const url = screen.getByRole('textbox', { name: 'Base URL' });
    await user.clear(url);
    await user.type(url, 'http://localhost:11434/v1/');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual([
      expect.objectContaining({ apiKey: 'sk-abc123', baseURL: 'http://localhost:11434/v1' }),
    ]);
    expect(onClose).toHaveBeenCalled();
  });

  it('refuses a key with inner whitespace and says why, keeping the dialog open', async () => {
    const { user, saved, onClose } = setup();
    await user.type(screen.getByLabelText('API key'), 'sk-abc def');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual([]);
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByLabelText('API key')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('API key')).toHaveAccessibleDescription(/spaces or line breaks/);
  });

  it('refuses a key with non-ASCII characters', async () => {
    const { user, saved } = setup();
    await user.type(screen.getByLabelText('API key'), 'sk-“abc”');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual([]);
    expect(screen.getByText(/not plain ASCII/)).toBeVisible();
  });

  it.each([
    ['ftp://example.com/v1', /must start with https/],
    ['http://api.example.com/v1', /only allowed for localhost/],
    ['https://api.openai.com/v1/chat/completions', /Leave out "\/chat\/completions"/],
    ['not a url', /is not a URL/],
  ])('refuses base URL %s with an explanation', async (bad, why) => {
    const { user, saved } = setup();
    const url = screen.getByRole('textbox', { name: 'Base URL' });
    await user.clear(url);
    await user.type(url, bad);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual([]);
    expect(url).toHaveAccessibleDescription(why);
  });

  it('fills the base URL from a preset', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Ollama' }));
    expect(screen.getByRole('textbox', { name: 'Base URL' })).toHaveValue(
      'http://localhost:11434/v1',
    );
    expect(screen.getByRole('button', { name: 'Ollama' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('Forget key clears the field and confirms, and keeps the focus', async () => {
    const { user, onForgetKey } = setup();
    await user.type(screen.getByLabelText('API key'), 'sk-abc');
    await user.click(screen.getByRole('button', { name: 'Forget key' }));
    expect(onForgetKey).toHaveBeenCalledOnce();
    expect(screen.getByLabelText('API key')).toHaveValue('');
    expect(screen.getByRole('status')).toHaveTextContent('removed from this device');
    expect(screen.getByRole('button', { name: 'Forget key' })).toHaveFocus();
  });

  it('offers Forget key only when there is a key: stored, sealed, or typed', async () => {
    const { user } = setup({ firstRun: true });
    expect(screen.queryByRole('button', { name: 'Forget key' })).toBeNull();
    await user.type(screen.getByLabelText('API key'), 'sk-abc');
    expect(screen.getByRole('button', { name: 'Forget key' })).toBeInTheDocument();
    await user.clear(screen.getByLabelText('API key'));
    expect(screen.queryByRole('button', { name: 'Forget key' })).toBeNull();
  });

  it('offers Forget key for a locked key, which the form does not hold', () => {
    setup({ keyState: { locked: true, sealed: true, holdsLock: false } });
    expect(screen.getByRole('button', { name: 'Forget key' })).toBeInTheDocument();
  });
});

describe('Settings: the three ways in of a first run', () => {
  it('offers a local server with the CORS setting each needs for this page, and the demo', () => {
    setup({ firstRun: true, origin: 'https://me.github.io' });
    expect(screen.getByText(/Paste an API key/)).toBeVisible();
    expect(screen.getByText('OLLAMA_ORIGINS=https://me.github.io ollama serve')).toBeVisible();
    expect(screen.getByText(/Enable CORS/)).toBeVisible();
    expect(
      screen.getByText(`vllm serve <model> --allowed-origins '["https://me.github.io"]'`),
    ).toBeVisible();
    // One Demo (no key) button: on a first run it is not among the presets as well.
    expect(screen.getAllByRole('button', { name: 'Demo (no key)' })).toHaveLength(1);
    const presets = screen.getByRole('group', { name: 'Endpoint presets' });
    expect(presets).not.toHaveTextContent('Demo');
    expect(presets).toHaveTextContent('vLLM');
  });

  it('Demo (no key) starts the demo at once, without the key typed before', async () => {
    const { user, saved, onClose } = setup({ firstRun: true });
    await user.type(screen.getByLabelText('API key'), 'sk-abc123');
    await user.click(screen.getByRole('button', { name: 'Demo (no key)' }));
    expect(saved).toEqual([
      expect.objectContaining({ apiKey: '', baseURL: 'https://demo.parley.invalid/v1' }),
    ]);
    expect(onClose).toHaveBeenCalled();
  });

  it('later, the demo is a preset, and a local preset shows its CORS setting', async () => {
    const { user } = setup({ origin: 'http://127.0.0.1:5173' });
    expect(screen.queryByText(/OLLAMA_ORIGINS/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Demo (no key)' }));
    expect(screen.getByRole('textbox', { name: 'Base URL' })).toHaveValue(
      'https://demo.parley.invalid/v1',
    );
    expect(screen.getByText(/Saving a new key switches to OpenAI/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Ollama' }));
    expect(screen.getByText('OLLAMA_ORIGINS=http://127.0.0.1:5173 ollama serve')).toBeVisible();
    expect(screen.queryByText(/vllm serve/)).toBeNull();
  });
});

describe('Settings dialog as a dialog', () => {
  it('opens on the API key field and asks to close on Escape', async () => {
    const { user, onClose } = setup();
    expect(screen.getByLabelText('API key')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('saves with Ctrl+Enter from any field', async () => {
    const { user, onSave } = setup();
    await user.type(screen.getByLabelText('API key'), 'sk-abc123');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ apiKey: 'sk-abc123' }));
  });
});

describe('Settings: locking the key with a passphrase', () => {
  it('only a remembered key can be locked; locking asks for a passphrase of 8 or more', async () => {
    const { user, saved } = setup({ rememberKey: false });
    const lock = screen.getByRole('checkbox', { name: 'Lock key with a passphrase' });
    expect(lock).toBeDisabled();
    expect(screen.queryByLabelText('Passphrase')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Remember key on this device' }));
    expect(lock).toBeEnabled();
    await user.click(lock);
    expect(screen.getByText(/encrypted with your passphrase \(AES-GCM\)/)).toBeVisible();

    await user.type(screen.getByLabelText('API key'), 'sk-abc123');
    const passphrase = screen.getByLabelText('Passphrase');
    expect(passphrase).toHaveAttribute('type', 'password');
    await user.type(passphrase, 'short');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual([]);
    expect(passphrase).toHaveAttribute('aria-invalid', 'true');
    expect(passphrase).toHaveAccessibleDescription('Use a passphrase of at least 8 characters.');

    await user.type(passphrase, ' and longer');
    await user.clear(screen.getByLabelText(/Lock again after idle/));
    await user.type(screen.getByLabelText(/Lock again after idle/), '10');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual([
      expect.objectContaining({
        apiKey: 'sk-abc123',
        rememberKey: true,
        lockKey: true,
        passphrase: 'short and longer',
        autoLockMin: 10,
      }),
    ]);
  });

  it('while the key is locked: how it is kept cannot change, and Unlock key… is offered', async () => {
    const { user, onUnlock } = setup({
      lockKey: true,
      keyState: { locked: true, sealed: true, holdsLock: false },
    });
    expect(screen.getByRole('checkbox', { name: 'Remember key on this device' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'Lock key with a passphrase' })).toBeDisabled();
    expect(screen.queryByLabelText('Passphrase')).toBeNull();
    expect(screen.getByLabelText('API key')).toHaveAccessibleDescription(
      /The saved key is locked with a passphrase/,
    );
    await user.click(screen.getByRole('button', { name: 'Unlock key…' }));
    expect(onUnlock).toHaveBeenCalledOnce();
  });

  it('unlocked: the passphrase may stay empty, and Lock now locks', async () => {
    const { user, onLockNow } = setup({
      lockKey: true,
      keyState: { locked: false, sealed: true, holdsLock: true },
    });
    expect(screen.getByLabelText('Passphrase')).toHaveAttribute(
      'placeholder',
      'Leave empty to keep the current one',
    );
    await user.click(screen.getByRole('button', { name: 'Lock now' }));
    expect(onLockNow).toHaveBeenCalledOnce();
  });
});

describe('Unlock key dialog', () => {
  function unlockSetup(passphrase: string) {
    const onUnlock = vi.fn(async (given: string) => given === passphrase);
    const onForgetKey = vi.fn(async () => {});
    const onClose = vi.fn();
    render(UnlockKeyDialog, { open: true, onUnlock, onForgetKey, onClose });
    return { onUnlock, onForgetKey, onClose, user: userEvent.setup() };
  }

  it('says plainly when the passphrase is wrong, and keeps focus in the field', async () => {
    const { user, onUnlock, onClose } = unlockSetup('the right one');
    expect(screen.getByRole('dialog', { name: 'Unlock key' })).toBeInTheDocument();
    const field = screen.getByLabelText('Passphrase');
    expect(field).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(onUnlock).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the passphrase');

    await user.type(field, 'the wrong one{Enter}');
    expect(onUnlock).toHaveBeenCalledWith('the wrong one');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'That passphrase does not unlock the key.',
    );
    expect(field).toHaveValue('');
    expect(field).toHaveFocus();
    expect(onClose).not.toHaveBeenCalled();

    await user.type(field, 'the right one{Enter}');
    expect(onUnlock).toHaveBeenLastCalledWith('the right one');
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('offers Not now and Forget key', async () => {
    const { user, onForgetKey, onClose } = unlockSetup('x');
    await user.click(screen.getByRole('button', { name: 'Forget key' }));
    expect(onForgetKey).toHaveBeenCalledOnce();
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(onClose).toHaveBeenCalledOnce();
  });
});

describe('Settings: Clear all data', () => {
  it('asks first, offers to keep the data, and gives focus back', async () => {
    const onClearAll = vi.fn(async () => {});
    render(SettingsDialog, {
      open: true,
      initial,
      firstRun: false,
      onSave: async (v: SettingsValues) => validateSettings(v),
      onForgetKey: async () => {},
      onClearAll,
      onClose: () => {},
    });
    const user = userEvent.setup();
    await user.click(screen.getByText('More'));
    await user.click(screen.getByRole('button', { name: 'Clear all data…' }));
    const confirm = screen.getByRole('group', { name: /deletes every conversation/ });
    expect(confirm).toHaveTextContent('Export what you want to keep first.');
    const keep = screen.getByRole('button', { name: 'Keep my data' });
    await vi.waitFor(() => expect(keep).toHaveFocus());
    await user.click(keep);
    expect(onClearAll).not.toHaveBeenCalled();
    await vi.waitFor(() =>
      expect(screen.getByRole('button', { name: 'Clear all data…' })).toHaveFocus(),
    );

    await user.click(screen.getByRole('button', { name: 'Clear all data…' }));
    await user.click(screen.getByRole('button', { name: 'Clear all data' }));
    expect(onClearAll).toHaveBeenCalledOnce();
  });
});
