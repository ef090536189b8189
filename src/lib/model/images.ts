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
const isPixels = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** What OpenAI counts for an image whose size is unknown: a 1024×1024 one in detail. */
const UNKNOWN_IMAGE_TOKENS = 765;

/**
 * The prompt tokens an image costs, by OpenAI's rule for its vision models:
 * 85 at low detail; otherwise fitted in 2048×2048, its short side brought to
 * 768, then 85 plus 170 for each 512-pixel tile.
 */
export function imageTokens(image: Pick<ImagePart, 'detail' | 'width' | 'height'>): number {
  if (image.detail === 'low') return 85;
  if (!image.width || !image.height) return UNKNOWN_IMAGE_TOKENS;
  const fit = Math.min(1, 2048 / Math.max(image.width, image.height));
  let w = image.width * fit;
  let h = image.height * fit;
  const short = Math.min(w, h);
  if (short > 768) {
    w *= 768 / short;
    h *= 768 / short;
  }
  return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
}

/** A stored or imported image part, or undefined when it is not one Parley can send. */
export function readImagePart(raw: unknown): ImagePart | undefined {
  if (!isObject(raw) || !isString(raw.url) || !isImageUrl(raw.url)) return undefined;
  const part: ImagePart = { url: raw.url };
  if (isString(raw.name) && raw.name !== '') part.name = raw.name.slice(0, 255);
  if (isString(raw.detail) && DETAILS.has(raw.detail)) {
    part.detail = raw.detail as NonNullable<ImagePart['detail']>;
  }
  if (isPixels(raw.width) && isPixels(raw.height)) {
    part.width = raw.width;
    part.height = raw.height;
  }
  return part;
}

/** The images of a list that can be sent, at most MAX_IMAGES. */
export function readImageParts(raw: unknown): ImagePart[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const parts = raw.map(readImagePart).filter((p): p is ImagePart => p !== undefined);
  return parts.length ? parts.slice(0, MAX_IMAGES) : undefined;
}
