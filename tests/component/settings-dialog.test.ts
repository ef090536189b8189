import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import SettingsDialog from '../../src/components/SettingsDialog.svelte';
import { validateSettings, type SettingsValues } from '../../src/lib/state/settings.svelte';

// jsdom has <dialog> but not its modal methods.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

const initial: SettingsValues = {
  apiKey: '',
  baseURL: 'https://api.openai.com/v1',
  organization: '',
  project: '',
  stallTimeoutSec: 60,
  rememberKey: true,
};

function setup(overrides: Partial<{ firstRun: boolean; rememberKey: boolean }> = {}) {
  const saved: SettingsValues[] = [];
  const onSave = vi.fn(async (v: SettingsValues) => {
    const checked = validateSettings(v);
    if (checked.ok) saved.push(checked.value);
    return checked;
  });
  const onClose = vi.fn();
  const onForgetKey = vi.fn(async () => {});
  render(SettingsDialog, {
    open: true,
    initial: { ...initial, rememberKey: overrides.rememberKey ?? initial.rememberKey },
    firstRun: overrides.firstRun ?? false,
    onSave,
    onClose,
    onForgetKey,
  });
  return { saved, onSave, onClose, onForgetKey, user: userEvent.setup() };
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
    expect(screen.getByText(/Off: kept in this tab’s memory only/)).toBeVisible();
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

  it('Forget key clears the field and confirms', async () => {
    const { user, onForgetKey } = setup();
    await user.type(screen.getByLabelText('API key'), 'sk-abc');
    await user.click(screen.getByRole('button', { name: 'Forget key' }));
    expect(onForgetKey).toHaveBeenCalledOnce();
    expect(screen.getByLabelText('API key')).toHaveValue('');
    expect(screen.getByRole('status')).toHaveTextContent('removed from this device');
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
