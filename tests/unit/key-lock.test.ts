// The passphrase lock (issue 16): what is stored for a locked key, that only
// the right passphrase opens it, and how the settings use it: asked for on
// load, kept sealed across saves, locked again after idle, forgotten whole.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deriveLock, seal, unlock } from '../../src/lib/model/key-crypto';
import { isLockedKey, PBKDF2_ITERATIONS } from '../../src/lib/model/key-lock';
import { AppSettings, type SettingsPort } from '../../src/lib/state/settings.svelte';
import { memorySettingsPort, settingsValues } from '../builders/settings';

const KEY = 'sk-proj-LOCKED-0123456789abcdef';
const PASS = 'correct horse battery';
const bytes = (b64: string) => atob(b64).length;

/** A page opened over what an earlier page stored. */
async function reopen(port: SettingsPort, onChange = vi.fn()) {
  const settings = new AppSettings(port, onChange);
  await settings.load();
  return settings;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('sealing a key', () => {
  it('stores {v, salt, iterations, iv, ciphertext}: 16-byte salt, 96-bit IV, 600,000 rounds, no plain key', async () => {
    const lock = await deriveLock(PASS);
    expect(lock.key.extractable).toBe(false);
    expect(lock.key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    const record = await seal(lock, KEY);
    expect(Object.keys(record).sort()).toEqual(['ciphertext', 'iterations', 'iv', 'salt', 'v']);
    expect(record).toMatchObject({ v: 1, iterations: PBKDF2_ITERATIONS });
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(bytes(record.salt)).toBe(16);
    expect(bytes(record.iv)).toBe(12);
    expect(JSON.stringify(record)).not.toContain(KEY);
    expect(isLockedKey(record)).toBe(true);
    // A fresh IV for every save, with the same lock.
    const again = await seal(lock, KEY);
    expect(again.iv).not.toBe(record.iv);
    expect(again.ciphertext).not.toBe(record.ciphertext);
  });

  it('opens with the passphrase only; a changed record does not open at all', async () => {
    const record = await seal(await deriveLock(PASS), KEY);
    expect((await unlock(record, PASS))?.apiKey).toBe(KEY);
    expect(await unlock(record, 'correct horse batterY')).toBeUndefined();
    const flipped = atob(record.ciphertext);
    const tampered = {
      ...record,
      ciphertext: btoa(String.fromCharCode(flipped.charCodeAt(0) ^ 1) + flipped.slice(1)),
    };
    expect(await unlock(tampered, PASS)).toBeUndefined();
  });
});

describe('the settings with a locked key', () => {
  it('a save with a passphrase stores only the sealed record; the next page asks to unlock', async () => {
    const { port, key } = memorySettingsPort();
    const first = await reopen(port);
    const saved = await first.save(
      settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS }),
    );
    expect(saved.ok).toBe(true);
    expect(first.apiKey).toBe(KEY);
    expect(first.locked).toBe(false);
    expect(isLockedKey(key())).toBe(true);
    expect(JSON.stringify(key())).not.toContain(KEY);

    const onChange = vi.fn();
    const next = await reopen(port, onChange);
    expect(next.locked).toBe(true);
    expect(next.apiKey).toBe('');
    expect(next.needsKey).toBe(true);
    expect(next.unlockOpen).toBe(true);
    // A locked key is not a first run: Settings does not open over the unlock prompt.
    expect(next.firstRun).toBe(false);

    expect(await next.unlock('wrong passphrase')).toBe(false);
    expect(next.locked).toBe(true);
    expect(next.apiKey).toBe('');
    expect(onChange).not.toHaveBeenCalled();

    expect(await next.unlock(PASS)).toBe(true);
    expect(next.apiKey).toBe(KEY);
    expect(next.unlockOpen).toBe(false);
    // The model list follows the key.
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ apiKey: KEY }));
  });

  it('asks for a passphrase of 8 characters or more, and for none when unlocked already', async () => {
    const { port, key } = memorySettingsPort();
    const settings = await reopen(port);
    const missing = await settings.save(settingsValues({ apiKey: KEY, lockKey: true }));
    expect(missing.ok ? {} : missing.error).toEqual({
      passphrase: 'Use a passphrase of at least 8 characters.',
    });
    const short = await settings.save(
      settingsValues({ apiKey: KEY, lockKey: true, passphrase: 'short' }),
    );
    expect(short.ok).toBe(false);
    expect(key()).toBeUndefined();

    await settings.save(settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS }));
    const before = key();
    // Unlocked, a save (another base URL) seals the key again with the same passphrase.
    const resaved = await settings.save(
      settingsValues({ apiKey: KEY, lockKey: true, baseURL: 'https://api.openai.com/v2' }),
    );
    expect(resaved.ok).toBe(true);
    const after = key();
    expect(isLockedKey(after) && isLockedKey(before) && after.iv !== before.iv).toBe(true);
    const next = await reopen(port);
    expect(await next.unlock(PASS)).toBe(true);
    expect(next.apiKey).toBe(KEY);
  });

  it('a save while locked, with no new key, keeps the sealed key as it is', async () => {
    const { port, key } = memorySettingsPort();
    await (
      await reopen(port)
    ).save(settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS }));
    const record = key();
    const locked = await reopen(port);
    const saved = await locked.save(
      settingsValues({ apiKey: '', rememberKey: false, baseURL: 'https://api.openai.com/v1' }),
    );
    expect(saved.ok).toBe(true);
    expect(key()).toStrictEqual(record);
    expect(locked.locked).toBe(true);
    expect(locked.values).toMatchObject({ rememberKey: true, lockKey: true });
  });

  it('turning the lock off stores the key plainly again; forgetting removes the sealed key', async () => {
    const { port, key } = memorySettingsPort();
    const settings = await reopen(port);
    await settings.save(settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS }));
    await settings.save(settingsValues({ apiKey: KEY, lockKey: false }));
    expect(key()).toBe(KEY);
    expect(settings.sealed).toBe(false);

    await settings.save(settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS }));
    const locked = await reopen(port);
    await locked.forgetKey();
    expect(key()).toBeUndefined();
    expect(locked.locked).toBe(false);
    expect(locked.unlockOpen).toBe(false);
  });

  it('locks again after the idle minutes set, counted from the last use', async () => {
    const { port } = memorySettingsPort();
    const settings = await reopen(port);
    vi.useFakeTimers();
    await settings.save(
      settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS, autoLockMin: 5 }),
    );
    vi.advanceTimersByTime(4 * 60_000);
    settings.touch();
    vi.advanceTimersByTime(4 * 60_000);
    expect(settings.apiKey).toBe(KEY);
    vi.advanceTimersByTime(60_000 + 1);
    expect(settings.locked).toBe(true);
    expect(settings.apiKey).toBe('');
    expect(settings.needsKey).toBe(true);
  });

  it('0 minutes never locks by itself; Lock now does', async () => {
    const { port } = memorySettingsPort();
    const settings = await reopen(port);
    vi.useFakeTimers();
    await settings.save(
      settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS, autoLockMin: 0 }),
    );
    vi.advanceTimersByTime(48 * 3600_000);
    expect(settings.apiKey).toBe(KEY);
    settings.lockKey();
    expect(settings.locked).toBe(true);
    expect(settings.apiKey).toBe('');
  });

  it('another tab re-saving the sealed key keeps this tab unlocked; a new passphrase locks it', async () => {
    const { port } = memorySettingsPort();
    const a = await reopen(port);
    await a.save(settingsValues({ apiKey: KEY, lockKey: true, passphrase: PASS }));
    const b = await reopen(port);
    expect(await b.unlock(PASS)).toBe(true);
    await a.save(settingsValues({ apiKey: KEY, lockKey: true }));
    await b.reload();
    expect(b.apiKey).toBe(KEY);
    await a.save(settingsValues({ apiKey: KEY, lockKey: true, passphrase: 'another passphrase' }));
    await b.reload();
    expect(b.locked).toBe(true);
    expect(b.apiKey).toBe('');
  });
});
