// Images in user messages: how they go on the wire, what is kept when stored
// or imported, and what a file must be to be attached.
import { describe, expect, it } from 'vitest';
import { createConversation } from '../../src/lib/model/conversation';
import { isImageUrl } from '../../src/lib/model/images';
import { imageFileProblem } from '../../src/lib/state/attachments';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import { toRequestBody } from '../../src/lib/model/request';
import type { Message } from '../../src/lib/model/types';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const body = (messages: Message[]) =>
  toRequestBody({ model: 'gpt-4o', systemMessage: '', messages, params: {}, stream: false });

describe('images on the wire', () => {
  it('a user turn with images is its text, then one image_url part per image', () => {
    const sent = body([
      {
        id: 'u',
        role: 'user',
        content: 'What is in these?',
        images: [
          { url: PNG, name: 'a.png' },
          { url: 'https://example.org/b.jpg', detail: 'high' },
        ],
      },
    ]);
    expect(sent.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: PNG } },
          { type: 'image_url', image_url: { url: 'https://example.org/b.jpg', detail: 'high' } },
        ],
      },
    ]);
  });

  it('images alone send no empty text part; a turn without images stays a string', () => {
    const sent = body([
      { id: 'u', role: 'user', content: '', images: [{ url: PNG }] },
      { id: 'v', role: 'user', content: 'plain' },
    ]);
    expect(sent.messages[0]?.content).toEqual([{ type: 'image_url', image_url: { url: PNG } }]);
    expect(sent.messages[1]?.content).toBe('plain');
  });
});

describe('images kept', () => {
  it("survive storage with their names and detail, the draft's too; unusable URLs are dropped", () => {
    const conv = {
      ...createConversation(),
      messages: [
        {
          id: 'u',
          role: 'user' as const,
          content: 'Look',
          images: [
            { url: PNG, name: 'a.png', detail: 'low' as const },
            { url: 'javascript:alert(1)', name: 'x' },
            { url: 'http://insecure.example/x.png' },
          ],
        },
      ],
      draftImages: [{ url: PNG, name: 'next.png' }],
    };
    const read = migrateConversation(JSON.parse(JSON.stringify(conv)));
    if (!read.ok) throw new Error(read.error);
    expect(read.value.messages[0]?.images).toEqual([{ url: PNG, name: 'a.png', detail: 'low' }]);
    expect(read.value.draftImages).toEqual([{ url: PNG, name: 'next.png' }]);
  });

  it('what a URL may be: a data: URL of an image type the API reads, or https', () => {
    expect(isImageUrl(PNG)).toBe(true);
    expect(isImageUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
    expect(isImageUrl('data:text/html;base64,PGI+')).toBe(false);
    expect(isImageUrl('https://example.org/a.webp')).toBe(true);
    expect(isImageUrl('http://example.org/a.webp')).toBe(false);
  });
});

describe('attaching a file', () => {
  it('takes PNG, JPEG, WEBP and GIF up to 20 MB, and says why not otherwise', () => {
    expect(imageFileProblem({ name: 'a.png', type: 'image/png', size: 1000 })).toBeUndefined();
    expect(imageFileProblem({ name: 'a.svg', type: 'image/svg+xml', size: 10 })).toBe(
      'a.svg is not a PNG, JPEG, WEBP or GIF image, which is what the API reads.',
    );
    expect(imageFileProblem({ name: 'big.jpg', type: 'image/jpeg', size: 21 * 1024 * 1024 })).toBe(
      'big.jpg is 21.0 MB; the API takes images up to 20 MB.',
    );
  });
});
