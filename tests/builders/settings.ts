// What the Settings dialog hands over, with the defaults of a first save:
// tests name only the fields they are about.
import type { StoredKey } from '../../src/lib/model/key-lock';
import type {
  SettingsPort,
  SettingsValues,
  StoredValues,
} from '../../src/lib/state/settings.svelte';

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
const storedValues = (overrides: Partial<StoredValues> = {}): StoredValues => {
  const { apiKey: _k, passphrase: _p, ...rest } = settingsValues();
  return { ...rest, keyOrigin: '', ...overrides };
};

/** Settings storage in memory, as a page sees it; `key` and `stored` read what was written. */
export function memorySettingsPort() {
  let stored: StoredValues | undefined;
  let key: StoredKey | undefined;
  const port: SettingsPort = {
    loadSettings: async () => stored ?? storedValues(),
    saveSettings: async (s) => void (stored = { ...s }),
    loadApiKey: async () => key,
    saveApiKey: async (k) => void (key = k),
    forgetApiKey: async () => void (key = undefined),
  };
  return { port, key: () => key, stored: () => stored };
}
