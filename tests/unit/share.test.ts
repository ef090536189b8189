import { describe, expect, it } from 'vitest';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import {
  MAX_SHARE_INPUT_CHARS,
  MAX_SHARE_URL_CHARS,
  SHARE_PREFIX,
  decodeShare,
  encodeShare,
  stripForShare,
} from '../../src/lib/model/share';
import { SCHEMA_VERSION, type Conversation, type TokenLogprob } from '../../src/lib/model/types';
import { conversation, message } from '../builders/conversations';

const logprobs: TokenLogprob[] = [
  { token: 'Hi', logprob: -0.1, bytes: [72, 105], topLogprobs: [{ token: 'Hi', logprob: -0.1 }] },
];

function sample(): Conversation {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: 'conv-1',
    title: 'Café ☕ 東京 🎌',
    createdAt: 1000,
    updatedAt: 2000,
    systemMessage: 'Réponds en français. 日本語も可。',
    model: 'gpt-4o',
    stream: true,
    params: { temperature: 0.7, max_tokens: 256, stop: ['\n\n'], seed: 0 },
    tools: {
      json: '[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]',
      format: 'tools',
      choice: 'auto',
      parallel: true,
    },
    draft: 'my secret draft',
    messages: [
      { id: 'm1', role: 'user', content: 'Météo à 東京? 🌧️👨‍👩‍👧 𝔘𝔫𝔦𝔠𝔬𝔡𝔢' },
      {
        id: 'm2',
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', type: 'function', name: 'weather', arguments: '{"city":"東京"}' },
        ],
        status: 'done',
        finishReason: 'tool_calls',
        usage: { prompt: 20, completion: 9, total: 29 },
        model: 'gpt-4o-2024-08-06',
        timing: { startedAt: 1500, firstTokenAt: 1600, endedAt: 1700 },
        requestId: 'req_abc',
        logprobs,
        request: {
          method: 'POST',
          url: 'https://api.openai.com/v1/chat/completions',
          headers: [
            ['authorization', 'Bearer sk-live-should-never-leave'],
            ['content-type', 'application/json'],
          ],
          body: '{"model":"gpt-4o"}',
        },
        response: {
          status: 200,
          headers: [['x-request-id', 'req_abc']],
          chunks: ['{"id":"x"}', '[DONE]'],
        },
      },
      { id: 'm3', role: 'tool', content: '{"temp":"18°C"}', toolCallId: 'call_1' },
      {
        id: 'm4',
        role: 'assistant',
        content: 'Il fait 18 °C à 東京 🌤️',
        status: 'error',
        finishReason: null,
        usage: null,
        error: {
          kind: 'rate_limit',
          message: 'Too many requests.',
          status: 429,
          requestId: 'req_err',
          retryable: true,
        },
        choices: [
          { content: 'Il fait 18 °C à 東京 🌤️', finishReason: 'stop', logprobs },
          { content: 'Autre', finishReason: 'stop', refusalLogprobs: logprobs },
        ],
        chosen: 0,
        refusalLogprobs: logprobs,
      },
    ],
    compare: {
      active: true,
      panes: [
        {
          id: 'p1',
          model: 'gpt-4',
          overrides: { temperature: null, top_p: 0.5 },
          linkedHistory: true,
          messages: [
            { id: 'pm1', role: 'user', content: '¿Qué tal? 你好' },
            {
              id: 'pm2',
              role: 'assistant',
              content: 'Bien',
              status: 'done',
              usage: { prompt: 5, completion: 1, total: 6 },
              requestId: 'req_pane',
              logprobs,
              request: {
                method: 'POST',
                url: 'https://example.test/v1/chat/completions',
                headers: [['Authorization', 'Bearer [redacted]']],
                body: '{}',
              },
            },
          ],
          label: 'temperature 0.7',
        },
        {
          id: 'p2',
          model: 'gpt-3.5-turbo',
          overrides: {},
          stream: false,
          systemMessage: 'Be terse.',
          linkedHistory: false,
          messages: [],
        },
      ],
    },
  };
}

/** deflate-raw with the platform's CompressionStream, as the share format does. */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate-raw');
  const writer = cs.writable.getWriter();
  void writer.write(bytes as BufferSource);
  void writer.close();
  const chunks: Uint8Array[] = [];
  const reader = cs.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A version-1 fragment holding exactly `bytes` (after inflating). */
async function fragmentOf(bytes: Uint8Array): Promise<string> {
  return `${SHARE_PREFIX}1.${base64url(await deflate(bytes))}`;
}

const fragmentOfJson = (value: unknown) =>
  fragmentOf(new TextEncoder().encode(JSON.stringify(value)));

async function roundTrip(conv: Conversation): Promise<Conversation> {
  const enc = await encodeShare(conv);
  if (!enc.ok) throw new Error(enc.error.message);
  const dec = await decodeShare(enc.value.fragment);
  if (!dec.ok) throw new Error(dec.error);
  return dec.value;
}

async function decodeError(fragment: string): Promise<string> {
  const dec = await decodeShare(fragment);
  expect(dec.ok).toBe(false);
  return dec.ok ? '' : dec.error;
}

describe('encodeShare', () => {
  it('makes a #share=1. fragment of base64url characters only', async () => {
    const enc = await encodeShare(sample());
    expect(enc.ok).toBe(true);
    if (!enc.ok) return;
    expect(enc.value.fragment.startsWith('#share=1.')).toBe(true);
    expect(enc.value.fragment.slice('#share=1.'.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(enc.value.chars).toBe(enc.value.fragment.length + 100);
    const withBase = await encodeShare(sample(), 40);
    expect(withBase.ok && withBase.value.chars).toBe(enc.value.fragment.length + 40);
  });

  it('round-trips unicode, emoji, CJK, tool calls, usage, timings, params, tools and panes', async () => {
    const original = sample();
    const back = await roundTrip(original);
    expect(back).toEqual({ ...stripForShare(original), id: back.id });
    expect(back.title).toBe('Café ☕ 東京 🎌');
    expect(back.messages[0]!.content).toBe('Météo à 東京? 🌧️👨‍👩‍👧 𝔘𝔫𝔦𝔠𝔬𝔡𝔢');
    expect(back.messages[1]!.toolCalls).toEqual(original.messages[1]!.toolCalls);
    expect(back.messages[1]!.usage).toEqual({ prompt: 20, completion: 9, total: 29 });
    expect(back.messages[1]!.timing).toEqual({
      startedAt: 1500,
      firstTokenAt: 1600,
      endedAt: 1700,
    });
    expect(back.messages[2]!.toolCallId).toBe('call_1');
    expect(back.params).toEqual(original.params);
    expect(back.tools).toEqual(original.tools);
    expect(back.systemMessage).toBe(original.systemMessage);
    expect(back.compare?.panes.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(back.compare?.panes[0]!.overrides).toEqual({ temperature: null, top_p: 0.5 });
    expect(back.compare?.panes[0]!.messages[0]!.content).toBe('¿Qué tal? 你好');
    expect(back.compare?.panes[1]!.systemMessage).toBe('Be terse.');
  });

  it('strips the draft, request/response records, request ids and log probabilities', async () => {
    const enc = await encodeShare(sample());
    if (!enc.ok) throw new Error(enc.error.message);
    const back = await roundTrip(sample());
    expect(back.draft).toBe('');
    const all = [...back.messages, ...(back.compare?.panes.flatMap((p) => p.messages) ?? [])];
    for (const m of all) {
      expect(m.request).toBeUndefined();
      expect(m.response).toBeUndefined();
      expect(m.requestId).toBeUndefined();
      expect(m.logprobs).toBeUndefined();
      expect(m.refusalLogprobs).toBeUndefined();
      for (const c of m.choices ?? []) {
        expect(c.logprobs).toBeUndefined();
        expect(c.refusalLogprobs).toBeUndefined();
      }
    }
    // The error stays, without its request id.
    expect(back.messages[3]!.error).toEqual({
      kind: 'rate_limit',
      message: 'Too many requests.',
      status: 429,
      retryable: true,
    });
    expect(back.messages[3]!.choices).toEqual([
      { content: 'Il fait 18 °C à 東京 🌤️', finishReason: 'stop' },
      { content: 'Autre', finishReason: 'stop' },
    ]);
    // Nothing of the stripped parts is anywhere in the link's payload.
    const json = JSON.stringify(stripForShare(sample()));
    for (const secret of [
      'sk-live',
      'authorization',
      'my secret draft',
      'req_',
      'api.openai.com',
    ]) {
      expect(json.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });

  it('does not change the conversation it is given', async () => {
    const conv = sample();
    const before = structuredClone(conv);
    await encodeShare(conv);
    expect(conv).toEqual(before);
  });

  it('refuses a conversation too long for a link, with the numbers', async () => {
    const conv = sample();
    // Random text does not compress: ~60,000 characters of it cannot fit.
    let noise = '';
    for (let i = 0; i < 60_000; i++)
      noise += String.fromCharCode(33 + Math.floor(Math.random() * 90));
    conv.messages.push({ id: 'long', role: 'user', content: noise });
    const enc = await encodeShare(conv);
    expect(enc.ok).toBe(false);
    if (enc.ok) return;
    expect(enc.error.chars).toBeGreaterThan(MAX_SHARE_URL_CHARS);
    expect(enc.error.message).toBe(
      `This conversation is too long for a link (${enc.error.chars.toLocaleString('en-US')} characters; the limit is 32,000). Export it as a file instead.`,
    );
    expect(enc.error.message).toMatch(/\(\d{2},\d{3} characters; the limit is 32,000\)/);
  });

  it('says when attached files are what makes it too long; the draft and its files are never shared', async () => {
    const conv = sample();
    let noise = '';
    for (let i = 0; i < 45_000; i++)
      noise += String.fromCharCode(65 + Math.floor(Math.random() * 26));
    conv.messages.push({
      id: 'pdf',
      role: 'user',
      content: 'Read this',
      files: [{ kind: 'file', name: 'r.pdf', data: `data:application/pdf;base64,${noise}` }],
    });
    const enc = await encodeShare(conv);
    if (enc.ok) throw new Error('expected the link to be refused');
    expect(enc.error.message).toMatch(
      /^This conversation is too long for a link \(.*\)\. Most of it is its attached images, audio and PDFs, which a link cannot carry\. Export it as a file instead\.$/,
    );

    const drafted = { ...sample(), draft: 'unsent', draftFiles: conv.messages.at(-1)!.files };
    expect(stripForShare(drafted)).not.toHaveProperty('draftFiles');
    expect((await encodeShare(drafted)).ok).toBe(true);
  });

  it('counts the page URL against the limit', async () => {
    const enc = await encodeShare(sample());
    if (!enc.ok) throw new Error(enc.error.message);
    const fits = await encodeShare(sample(), MAX_SHARE_URL_CHARS - enc.value.fragment.length);
    expect(fits.ok).toBe(true);
    const over = await encodeShare(sample(), MAX_SHARE_URL_CHARS - enc.value.fragment.length + 1);
    expect(over.ok).toBe(false);
    expect(!over.ok && over.error.chars).toBe(MAX_SHARE_URL_CHARS + 1);
  });

  it('refuses, without throwing, when CompressionStream is missing', async () => {
    const saved = globalThis.CompressionStream;
    try {
      // @ts-expect-error simulating an old browser
      delete globalThis.CompressionStream;
      const enc = await encodeShare(sample());
      expect(enc.ok).toBe(false);
      if (!enc.ok) expect(enc.error.message).toMatch(/CompressionStream/);
    } finally {
      globalThis.CompressionStream = saved;
    }
  });
});

describe('decodeShare', () => {
  it('accepts the fragment with or without the leading #', async () => {
    const enc = await encodeShare(sample());
    if (!enc.ok) throw new Error(enc.error.message);
    const withHash = await decodeShare(enc.value.fragment);
    const without = await decodeShare(enc.value.fragment.slice(1));
    expect(withHash.ok && without.ok).toBe(true);
    if (withHash.ok && without.ok) {
      expect({ ...without.value, id: '' }).toEqual({ ...withHash.value, id: '' });
    }
  });

  it('gives every decoded conversation a new id', async () => {
    const enc = await encodeShare(sample());
    if (!enc.ok) throw new Error(enc.error.message);
    const a = await decodeShare(enc.value.fragment);
    const b = await decodeShare(enc.value.fragment);
    if (!a.ok || !b.ok) throw new Error('decode failed');
    expect(a.value.id).not.toBe('conv-1');
    expect(b.value.id).not.toBe('conv-1');
    expect(a.value.id).not.toBe(b.value.id);
    expect(a.value.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns a record that passes migrateConversation unchanged', async () => {
    const back = await roundTrip(sample());
    const again = migrateConversation(back);
    expect(again).toEqual({ ok: true, value: back });
  });

  it('refuses a fragment with another prefix', async () => {
    expect(await decodeError('#settings')).toMatch(/not a Parley share link/);
    expect(await decodeError('')).toMatch(/not a Parley share link/);
    expect(await decodeError('#shared=1.abc')).toMatch(/not a Parley share link/);
  });

  it('refuses a missing or malformed version', async () => {
    expect(await decodeError('#share=abc')).toMatch(/no share format version/);
    expect(await decodeError('#share=x.abc')).toMatch(/no share format version/);
    expect(await decodeError('#share=0.abc')).toMatch(/no share format version/);
    expect(await decodeError('#share=-1.abc')).toMatch(/no share format version/);
    expect(await decodeError('#share=1')).toMatch(/no share format version/);
  });

  it('refuses a newer share format with an update hint', async () => {
    const enc = await encodeShare(sample());
    if (!enc.ok) throw new Error(enc.error.message);
    const error = await decodeError(enc.value.fragment.replace('#share=1.', '#share=2.'));
    expect(error).toMatch(/made by a newer Parley \(share format 2; this one reads up to 1\)/);
  });

  it('refuses a newer conversation schema inside a share', async () => {
    const error = await decodeError(
      await fragmentOfJson({ ...sample(), schemaVersion: SCHEMA_VERSION + 1 }),
    );
    expect(error).toMatch(/made by a newer Parley/);
  });

  it('refuses bad base64url', async () => {
    expect(await decodeError('#share=1.abc$def')).toMatch(/"\$" at position 3 cannot be part/);
    expect(await decodeError('#share=1.ab+/')).toMatch(/cannot be part of its data/);
    expect(await decodeError('#share=1.abcde')).toMatch(/not valid base64url/);
    expect(await decodeError('#share=1.')).toMatch(/holds no data/);
  });

  it('refuses data that is not deflate-raw', async () => {
    const error = await decodeError(
      `#share=1.${base64url(new Uint8Array([0xff, 0xff, 0xff, 0xff]))}`,
    );
    expect(error).toMatch(/cannot be decompressed/);
    // A truncated stream (a link cut when copied).
    const enc = await encodeShare(sample());
    if (!enc.ok) throw new Error(enc.error.message);
    expect(await decodeError(enc.value.fragment.slice(0, 40))).toMatch(/damaged/);
  });

  it('refuses inflated data that is not UTF-8 or not JSON', async () => {
    expect(await decodeError(await fragmentOf(new Uint8Array([0xc3, 0x28])))).toMatch(
      /not UTF-8 text/,
    );
    expect(await decodeError(await fragmentOf(new TextEncoder().encode('hello, world')))).toMatch(
      /not JSON/,
    );
  });

  it('refuses JSON that is not a conversation, naming the path', async () => {
    const bad = { ...sample(), messages: [{ id: 'm1', role: 'wizard', content: 'hi' }] };
    const error = await decodeError(await fragmentOfJson(bad));
    expect(error).toMatch(
      /does not hold a valid conversation: messages\[0\]\.role: expected one of/,
    );
    expect(await decodeError(await fragmentOfJson([1, 2, 3]))).toMatch(/valid conversation/);
    expect(await decodeError(await fragmentOfJson(null))).toMatch(/valid conversation/);
    const badPane = sample();
    (badPane.compare!.panes[0]!.messages[1] as unknown as { usage: unknown }).usage = { x: 1 };
    expect(await decodeError(await fragmentOfJson(badPane))).toMatch(
      /compare\.panes\[0\]\.messages\[1\]\.usage\.prompt/,
    );
  });

  it('refuses input longer than the input cap before decoding', async () => {
    const error = await decodeError(`#share=1.${'A'.repeat(MAX_SHARE_INPUT_CHARS)}`);
    expect(error).toMatch(/too long to open \([\d,]+ characters; the limit is 128,000\)/);
  });

  it('stops inflating a zip bomb at the size cap, quickly', async () => {
    const zeros = new Uint8Array(50 * 1024 * 1024);
    const fragment = await fragmentOf(zeros);
    expect(fragment.length).toBeLessThan(MAX_SHARE_INPUT_CHARS);
    const started = performance.now();
    const error = await decodeError(fragment);
    expect(error).toMatch(/expands to more than 10 MB/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('never lets __proto__ in the shared JSON pollute Object.prototype', async () => {
    const json = JSON.stringify(sample()).replace(
      '{"schemaVersion"',
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"schemaVersion"',
    );
    const withMessage = json.replace(
      '{"id":"m1"',
      '{"__proto__":{"role":"user","polluted":1},"id":"m1"',
    );
    expect(withMessage).toContain('"__proto__":{"polluted":"yes"}');
    expect(withMessage).toContain('"__proto__":{"role":"user","polluted":1}');
    const dec = await decodeShare(await fragmentOf(new TextEncoder().encode(withMessage)));
    expect(dec.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    if (!dec.ok) return;
    expect(Object.getPrototypeOf(dec.value)).toBe(Object.prototype);
    expect(Object.hasOwn(dec.value, '__proto__')).toBe(false);
    expect(Object.hasOwn(dec.value.messages[0]!, '__proto__')).toBe(false);
    expect((dec.value as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('strips a hand-made link of drafts and request records', async () => {
    const dec = await decodeShare(await fragmentOfJson(sample()));
    if (!dec.ok) throw new Error(dec.error);
    expect(dec.value.draft).toBe('');
    expect(dec.value.messages[1]!.request).toBeUndefined();
    expect(dec.value.messages[1]!.response).toBeUndefined();
  });

  it('never throws, whatever it is given', async () => {
    for (const input of [
      undefined,
      42,
      {},
      '#share=1.' + '_'.repeat(1000),
      '#share=99999999999.a',
    ]) {
      const dec = await decodeShare(input as unknown as string);
      expect(dec.ok).toBe(false);
    }
  });
});

describe('a small link or file that holds too much (audit, issue 16)', () => {
  it('a share link of a few KB with 100,000 choices is refused with a sentence, at once', async () => {
    const conv = conversation({ id: 'c', messages: [message('a', 'assistant', 'x')] });
    const record = JSON.parse(JSON.stringify(conv));
    record.messages[0].choices = Array.from({ length: 100_000 }, () => ({ content: '' }));
    // Made by hand as a hostile link would be: deflate-raw of the JSON, base64url.
    const { deflateRawSync } = await import('node:zlib');
    const packed = deflateRawSync(Buffer.from(JSON.stringify(record))).toString('base64url');
    expect(packed.length).toBeLessThan(8_000);
    const started = performance.now();
    const back = await decodeShare(`#share=1.${packed}`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(back.ok).toBe(false);
    if (back.ok) return;
    expect(back.error).toMatch(/choices: holds 100000 items, more than the 128/);
  });

  it('an imported record with too many tool calls says where', () => {
    const conv = conversation({ id: 'c', messages: [message('a', 'assistant', '')] });
    const record = JSON.parse(JSON.stringify(conv));
    record.messages[0].toolCalls = Array.from({ length: 500 }, (_, i) => ({
      id: `call_${i}`,
      type: 'function',
      name: 'f',
      arguments: '{}',
    }));
    const read = migrateConversation(record);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(/messages\[0\]\.toolCalls: holds 500 items/);
  });
});
