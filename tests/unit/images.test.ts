// Images in user messages: how they go on the wire, what is kept when stored
// or imported, and what a file must be to be attached.
import { describe, expect, it } from 'vitest';
import { createConversation } from '../../src/lib/model/conversation';
import { imageTokens, isImageUrl } from '../../src/lib/model/images';
import { countChatTokens, promptChat } from '../../src/lib/tokens/count';
import { attachmentProblem } from '../../src/lib/state/attachments';
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
  const MB = 1024 * 1024;
  it('takes PNG, JPEG, WEBP and GIF up to 20 MB, and says why not otherwise', () => {
    expect(attachmentProblem({ name: 'a.png', type: 'image/png', size: 1000 })).toBeUndefined();
    expect(attachmentProblem({ name: 'a.svg', type: 'image/svg+xml', size: 10 })).toBe(
      'a.svg is not an image (PNG, JPEG, WEBP, GIF), audio (WAV, MP3) or a PDF, which is what the API reads.',
    );
    expect(attachmentProblem({ name: 'big.jpg', type: 'image/jpeg', size: 21 * MB })).toBe(
      'big.jpg is 21.0 MB; the API takes images up to 20 MB.',
    );
  });

  it('takes WAV and MP3 up to 25 MB and PDFs up to 32 MB, by type or by name', () => {
    expect(attachmentProblem({ name: 'q.wav', type: 'audio/wav', size: 1000 })).toBeUndefined();
    expect(attachmentProblem({ name: 'q.mp3', type: '', size: 1000 })).toBeUndefined();
    expect(
      attachmentProblem({ name: 'r.pdf', type: 'application/pdf', size: 31 * MB }),
    ).toBeUndefined();
    expect(attachmentProblem({ name: 'q.ogg', type: 'audio/ogg', size: 10 })).toMatch(
      /^q\.ogg is not an image .*audio \(WAV, MP3\)/,
    );
    expect(attachmentProblem({ name: 'long.wav', type: 'audio/x-wav', size: 26 * MB })).toBe(
      'long.wav is 26.0 MB; the API takes audio files up to 25 MB.',
    );
    expect(attachmentProblem({ name: 'big.pdf', type: 'application/pdf', size: 33 * MB })).toBe(
      'big.pdf is 33.0 MB; the API takes files up to 32 MB.',
    );
  });
});

describe('images in the prompt estimate', () => {
  it("cost what OpenAI's rule says: by tiles of their size, 85 at low detail", () => {
    expect(imageTokens({ width: 1024, height: 1024 })).toBe(765);
    // OpenAI's worked example: 2048×4096 → 768×1536 → 6 tiles.
    expect(imageTokens({ width: 2048, height: 4096, detail: 'high' })).toBe(1105);
    expect(imageTokens({ width: 300, height: 200 })).toBe(255);
    expect(imageTokens({ width: 4000, height: 3000, detail: 'low' })).toBe(85);
    expect(imageTokens({})).toBe(765);
  });

  it('a turn with images counts its text and its images, never the parts as text', () => {
    const chat = promptChat({
      systemMessage: '',
      messages: [
        {
          id: 'u',
          role: 'user',
          content: 'What is this?',
          images: [
            { url: PNG, width: 300, height: 200 },
            { url: 'https://example.org/b.jpg', detail: 'low' },
          ],
          files: [{ kind: 'audio', name: 'q.wav', format: 'wav', data: 'AAAA' }],
        },
      ],
    });
    expect(chat).toEqual([{ role: 'user', content: 'What is this?', imageTokens: 255 + 85 }]);
    // A tokenizer that counts characters: the framing, the role, the text, the images.
    const tokens = countChatTokens({ countTokens: (t) => t.length }, chat);
    expect(tokens).toBe(3 + 3 + 'user'.length + 'What is this?'.length + 340);
  });
});
