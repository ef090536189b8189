// The cryptography of the passphrase lock (key-lock.ts says what is stored):
// PBKDF2-SHA-256 into a non-extractable AES-GCM-256 key, a fresh 96-bit IV per
// seal. Loaded the first time a key is locked or unlocked.

import { fromBase64, PBKDF2_ITERATIONS, type KeyLock, type LockedKey } from './key-lock';

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/** Derives the lock from a passphrase: a fresh salt, unless re-deriving for a stored record. */
export async function deriveLock(
  passphrase: string,
  salt: string = toBase64(random(16)),
  iterations = PBKDF2_ITERATIONS,
): Promise<KeyLock> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(salt) ?? new Uint8Array(), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { key, salt, iterations };
}

/** Seals the API key with the lock, under a fresh IV each time. */
export async function seal(lock: KeyLock, apiKey: string): Promise<LockedKey> {
  const iv = random(12);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    lock.key,
    new TextEncoder().encode(apiKey),
  );
  return {
    v: 1,
    salt: lock.salt,
    iterations: lock.iterations,
    iv: toBase64(iv),
    ciphertext: toBase64(new Uint8Array(sealed)),
  };
}

/** The API key in the record, or undefined when the lock is not the one it was sealed with. */
export async function openWith(lock: KeyLock, record: LockedKey): Promise<string | undefined> {
  if (lock.salt !== record.salt || lock.iterations !== record.iterations) return undefined;
  const iv = fromBase64(record.iv);
  const data = fromBase64(record.ciphertext);
  if (!iv || !data) return undefined;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, lock.key, data);
    return new TextDecoder().decode(plain);
  } catch {
    // AES-GCM authenticates: a wrong passphrase (or a changed record) fails here.
    return undefined;
  }
}

/** Unlocks a record with a passphrase: the key and its lock, or undefined for a wrong passphrase. */
export async function unlock(
  record: LockedKey,
  passphrase: string,
): Promise<{ apiKey: string; lock: KeyLock } | undefined> {
  const lock = await deriveLock(passphrase, record.salt, record.iterations);
  const apiKey = await openWith(lock, record);
  return apiKey === undefined ? undefined : { apiKey, lock };
}
