// Files the user attaches to a message (the Attach button, a paste, a drop),
// read into image parts that go on the wire as data: URLs.

import { IMAGE_TYPES, MAX_IMAGES } from '../model/images';
import type { ImagePart } from '../model/types';

/** The API's limit for one image. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** Why a file cannot be attached as an image, or undefined when it can. */
export function imageFileProblem(file: {
  name: string;
  type: string;
  size: number;
}): string | undefined {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return `${file.name} is not a PNG, JPEG, WEBP or GIF image, which is what the API reads.`;
  }
  if (file.size > MAX_IMAGE_BYTES) {
    const mb = (file.size / (1024 * 1024)).toFixed(1);
    return `${file.name} is ${mb} MB; the API takes images up to 20 MB.`;
  }
  return undefined;
}

function dataUrlOf(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

export interface Attached {
  images: ImagePart[];
  /** One sentence per file left out, saying why. */
  problems: string[];
}

/** `files` added to `current` as images; the ones that cannot be sent are named in `problems`. */
export async function attachImages(
  current: readonly ImagePart[],
  files: readonly File[],
  detail: ImagePart['detail'],
): Promise<Attached> {
  const images = [...current];
  const problems: string[] = [];
  for (const file of files) {
    const problem = imageFileProblem(file);
    if (problem) {
      problems.push(problem);
      continue;
    }
    if (images.length >= MAX_IMAGES) {
      problems.push(`${file.name} was left out: a message takes up to ${MAX_IMAGES} images.`);
      continue;
    }
    try {
      const part: ImagePart = { url: await dataUrlOf(file), name: file.name || 'pasted image' };
      if (detail && detail !== 'auto') part.detail = detail;
      images.push(part);
    } catch (err) {
      problems.push(
        `${file.name} could not be read: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return { images, problems };
}
