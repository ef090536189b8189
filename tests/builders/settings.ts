// What the Settings dialog hands over, with the defaults of a first save:
// tests name only the fields they are about.
import type { SettingsValues, StoredValues } from '../../src/lib/state/settings.svelte';

export const settingsValues = (overrides: Partial<SettingsValues> = {}): SettingsValues => ({
  apiKey: '',
  baseURL: 'https://api.openai.com/v1',
  organization: '',
  project: '',
  stallTimeoutSec: 60,
  rememberKey: true,
  lockKey: false,
  passphrase: '',
  autoLockMin: 30,
  ...overrides,
});

/** What the store holds for those settings (never the key or the passphrase). */
export const storedValues = (overrides: Partial<StoredValues> = {}): StoredValues => {
  const { apiKey: _k, passphrase: _p, ...rest } = settingsValues();
  return { ...rest, keyOrigin: '', ...overrides };
};
