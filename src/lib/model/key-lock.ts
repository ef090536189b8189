// The passphrase lock for a remembered API key (issue 16): PBKDF2-SHA-256 with
// a random 16-byte salt turns the passphrase into a non-extractable AES-GCM-256
// key; each save seals the API key with a fresh 96-bit IV. Only the sealed
// record is stored; the passphrase and the plain key never are.

import { isObject } from './json';

/** What is stored in place of the plain key. Bytes as base64, so the record reads back in any store. */
export interface LockedKey {
  v: 1;
  salt: string;
  iterations: number;
  iv: string;
  ciphertext: string;
}

/** The remembered key as stored: plain, or sealed with a passphrase. */
export type StoredKey = string | LockedKey;

/** The unlocked key material, held in memory while the key is unlocked: re-sealing needs no passphrase. */
export interface KeyLock {
  key: CryptoKey;
  salt: string;
  iterations: number;
}

/** OWASP's figure for PBKDF2-HMAC-SHA-256 (2023). */
export const PBKDF2_ITERATIONS = 600_000;
/** A record asking for more work than this is not one Parley wrote (and would hang the tab). */
const MAX_ITERATIONS = 10_000_000;
const MIN_PASSPHRASE_LENGTH = 8;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/** A stored value that is a locked key as Parley writes them (anything else is not one). */
export function isLockedKey(raw: unknown): raw is LockedKey {
  if (!isObject(raw) || raw.v !== 1) return false;
  const { salt, iterations, iv, ciphertext } = raw;
  return (
    typeof salt === 'string' &&
    fromBase64(salt)?.length === 16 &&
    typeof iv === 'string' &&
    fromBase64(iv)?.length === 12 &&
    typeof ciphertext === 'string' &&
    (fromBase64(ciphertext)?.length ?? 0) > 16 &&
    typeof iterations === 'number' &&
    Number.isInteger(iterations) &&
    iterations >= PBKDF2_ITERATIONS &&
    iterations <= MAX_ITERATIONS
  );
}

/** Why a passphrase cannot be used to lock the key, or undefined when it can. */
export function passphraseProblem(passphrase: string): string | undefined {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return `Use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  }
  return undefined;
}

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
