// The passphrase lock for a remembered API key (issue 16): what is stored and
// how it is recognised. The cryptography is key-crypto.ts, loaded when a key
// is locked or unlocked, not at startup. PBKDF2-SHA-256 with
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

export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

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
