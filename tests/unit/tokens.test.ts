import { encodeChat as encodeChatCl100k } from 'gpt-tokenizer/model/gpt-4';
import { encodeChat as encodeChatO200k, encode as encodeO200k } from 'gpt-tokenizer/model/gpt-4o';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/lib/model/types';
import {
  countChatTokens,
  promptChat,
  promptTools,
  REPLY_PRIMING_TOKENS,
  TOKENS_PER_MESSAGE,
  type ChatText,
} from '../../src/lib/tokens/count';
import { countWithEncoding, loadTokenizer, PromptCounter } from '../../src/lib/tokens/load';
import { tokenInfoFor } from '../../src/lib/tokens/models';

const CHATS: ChatText[][] = [
  [{ role: 'user', content: 'Hello, world!' }],
  [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Say hello in a few languages' },
    { role: 'assistant', content: 'Hello! Bonjour! こんにちは! Have a naïve, café-fuelled day ☀️' },
    { role: 'user', content: 'Thanks!\n\n```js\nconsole.log(1)\n```' },
  ],
  [
    { role: 'system', name: 'example_user', content: 'New synergies will help drive growth.' },
    { role: 'user', content: '' },
  ],
];

describe('countChatTokens', () => {
  it.each(CHATS.map((c, i) => [i, c] as const))(
    'chat %i matches gpt-tokenizer encodeChat for gpt-4o (o200k_base)',
    async (_i, chat) => {
      const count = await countWithEncoding('o200k_base', chat);
      expect(count).toBe(encodeChatO200k(chat).length);
    },
  );

  it.each(CHATS.map((c, i) => [i, c] as const))(
    'chat %i matches gpt-tokenizer encodeChat for gpt-4 (cl100k_base)',
    async (_i, chat) => {
      const count = await countWithEncoding('cl100k_base', chat);
      expect(count).toBe(encodeChatCl100k(chat).length);
    },
  );

  it('adds the per-message framing and the reply priming to the text tokens', async () => {
    const tokenizer = await loadTokenizer('o200k_base');
    const text = 'The quick brown fox jumps over the lazy dog.';
    const textTokens = encodeO200k(text).length;
    expect(countChatTokens(tokenizer, [])).toBe(REPLY_PRIMING_TOKENS);
    // "user" is one token
    expect(countChatTokens(tokenizer, [{ role: 'user', content: text }])).toBe(
      REPLY_PRIMING_TOKENS + TOKENS_PER_MESSAGE + 1 + textTokens,
    );
    expect(textTokens).toBe(10);
  });

  it('the two encodings count differently, so the choice matters', async () => {
    const chat = [{ role: 'user', content: 'Привет, как дела? Это тест токенизатора.' }];
    const o200k = await countWithEncoding('o200k_base', chat);
    const cl100k = await countWithEncoding('cl100k_base', chat);
    expect(o200k).toBeLessThan(cl100k);
  });

  it('counts special-token text typed by the user as plain text instead of throwing', async () => {
    const count = await countWithEncoding('o200k_base', [
      { role: 'user', content: 'what does <|endoftext|> mean?' },
    ]);
    expect(count).toBeGreaterThan(REPLY_PRIMING_TOKENS + TOKENS_PER_MESSAGE + 3);
  });
});

describe('tokenInfoFor', () => {
  it.each([
    ['gpt-4o', 'o200k_base', true, 128_000],
    ['gpt-4o-mini-2024-07-18', 'o200k_base', true, 128_000],
    ['gpt-4.1', 'o200k_base', true, 1_047_576],
    ['gpt-5-nano', 'o200k_base', true, 400_000],
    ['o3-mini', 'o200k_base', true, 200_000],
    ['o1', 'o200k_base', true, 200_000],
    ['gpt-4', 'cl100k_base', true, 8_192],
    ['gpt-4-0613', 'cl100k_base', true, 8_192],
    ['gpt-4-32k', 'cl100k_base', true, 32_768],
    ['gpt-3.5-turbo', 'cl100k_base', true, 16_385],
    ['llama3.1:8b', 'o200k_base', false, undefined],
  ] as const)('%s: %s, known %s, context %s', (model, encoding, known, context) => {
    const info = tokenInfoFor(model);
    expect(info.encoding).toBe(encoding);
    expect(info.known).toBe(known);
    expect(info.contextWindow).toBe(context);
  });
});

describe('promptChat', () => {
  it('is what the next request sends before the draft: system, then transcript', () => {
    const messages: Message[] = [
      { id: '1', role: 'user', content: 'Hi' },
      { id: '2', role: 'assistant', content: '', status: 'error' },
      {
        id: '3',
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'c1', type: 'function', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        ],
      },
    ];
    expect(promptChat({ systemMessage: 'Be brief.', messages })).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'get_weather\n{"city":"Oslo"}' },
    ]);
    expect(promptChat({ systemMessage: '  ', messages: [] })).toEqual([]);
  });
});

describe('PromptCounter: the history once, the draft per keystroke', () => {
  const history: ChatText[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi there, how are you?' },
    { role: 'assistant', content: 'Fine, thanks — and you? 👋' },
  ];
  const draft = 'And now, a question with <|endoftext|> in it?';

  it('counts exactly what counting the whole chat with the draft as a user turn gives', async () => {
    const whole = await countWithEncoding('o200k_base', [
      ...history,
      { role: 'user', content: draft },
    ]);
    const counter = new PromptCounter();
    expect(
      await counter.count({ encoding: 'o200k_base', key: 1, history: { chat: history }, draft }),
    ).toBe(whole);
    // Later keystrokes send only the draft; the history's count is kept.
    expect(await counter.count({ encoding: 'o200k_base', key: 1, draft })).toBe(whole);
    expect(await counter.count({ encoding: 'o200k_base', key: 1, draft: '   ' })).toBe(
      await countWithEncoding('o200k_base', history),
    );
  });

  it('asks for the history again when it does not hold that one', async () => {
    const counter = new PromptCounter();
    expect(await counter.count({ encoding: 'o200k_base', key: 7, draft })).toBeNull();
    await counter.count({ encoding: 'o200k_base', key: 7, history: { chat: history }, draft });
    expect(await counter.count({ encoding: 'cl100k_base', key: 7, draft })).toBeNull();
    expect(await counter.count({ encoding: 'o200k_base', key: 8, draft })).toBeNull();
  });
});

describe('tools in the prompt estimate', () => {
  const weather = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Get the weather.',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', description: 'City name.' } },
      },
    },
  };

  it('takes the definitions only when they would be sent', () => {
    const json = JSON.stringify([weather]);
    expect(promptTools({ json, format: 'tools' })).toEqual({ value: [weather], format: 'tools' });
    expect(promptTools({ json: '[]', format: 'tools' })).toBeUndefined();
    expect(promptTools({ json: '[{},', format: 'tools' })).toBeUndefined();
    expect(promptTools({ json: '  ', format: 'tools' })).toBeUndefined();
    expect(promptTools(undefined)).toBeUndefined();
  });

  it('adds the cookbook count of the definitions to the chat count', async () => {
    const tokenizer = await loadTokenizer('o200k_base');
    const chat: ChatText[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const without = countChatTokens(tokenizer, chat);
    const withTools = countChatTokens(tokenizer, chat, { value: [weather], format: 'tools' });
    // 7 per function + "get_weather:Get the weather" + 3 + 3 per property
    // + "city:string:City name" + 12 at the end.
    const n = (t: string) => tokenizer.countTokens(t);
    expect(withTools - without).toBe(
      7 + n('get_weather:Get the weather') + 3 + 3 + n('city:string:City name') + 12,
    );
  });

  it('counts a result as a function message in the legacy format', () => {
    const messages: Message[] = [
      {
        id: 'a',
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c1', type: 'function', name: 'get_weather', arguments: '{}' }],
      },
      { id: 't', role: 'tool', content: '21 C', toolCallId: 'c1', name: 'get_weather' },
    ];
    const tools = { json: '[{"name":"get_weather"}]', format: 'functions' as const };
    expect(promptChat({ systemMessage: '', messages, tools })).toEqual([
      { role: 'assistant', content: 'get_weather\n{}' },
      { role: 'function', name: 'get_weather', content: '21 C' },
    ]);
  });
});
