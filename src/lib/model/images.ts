// Images in user messages: which ones the API takes, and how they are checked
// when attached, stored, imported or read back.

import { isObject, isString } from './json';
import type { ImagePart } from './types';

/** The types the API reads (non-animated GIF included). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** Images kept with one message (more are left out, with a warning where it matters). */
export const MAX_IMAGES = 20;

const DATA_URL = /^data:(image\/(?:png|jpeg|webp|gif));base64,[A-Za-z0-9+/]+=*$/;

/** A URL an image may be sent as: a data: URL of an image type the API reads, or https. */
export function isImageUrl(url: string): boolean {
  if (DATA_URL.test(url)) return true;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** The image can be shown on this page (a data: URL); an https one is only a link. */
export const isInlineImage = (url: string) => url.startsWith('data:');

const DETAILS = new Set(['auto', 'low', 'high']);

/** A stored or imported image part, or undefined when it is not one Parley can send. */
export function readImagePart(raw: unknown): ImagePart | undefined {
  if (!isObject(raw) || !isString(raw.url) || !isImageUrl(raw.url)) return undefined;
  const part: ImagePart = { url: raw.url };
  if (isString(raw.name) && raw.name !== '') part.name = raw.name.slice(0, 255);
  if (isString(raw.detail) && DETAILS.has(raw.detail)) {
    part.detail = raw.detail as NonNullable<ImagePart['detail']>;
  }
  return part;
}

/** The images of a list that can be sent, at most MAX_IMAGES. */
export function readImageParts(raw: unknown): ImagePart[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const parts = raw.map(readImagePart).filter((p): p is ImagePart => p !== undefined);
  return parts.length ? parts.slice(0, MAX_IMAGES) : undefined;
}
