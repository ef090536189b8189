// Log probabilities and n > 1: what the accumulator keeps from the wire, how it
// becomes a stored message, and how the choices share the reported usage.

import { describe, expect, it } from 'vitest';
import {
  answerFromCompletion,
  emptyAnswer,
  primaryChoice,
  type AnswerState,
} from '../../src/lib/api/accumulator';
import { accumulateChunk } from '../builders/answers';
import { runCompletion } from '../../src/lib/api/run';
import type { WireChunk, WireCompletion } from '../../src/lib/api/wire';
import { choiceShares, selectChoice } from '../../src/lib/model/choices';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import { createConversation } from '../../src/lib/model/conversation';
import { describeSpan, formatPercent, tokenSpans } from '../../src/lib/model/logprobs';
import { toWireMessages } from '../../src/lib/model/request';
import type { Message } from '../../src/lib/model/types';
import { toAnswerMessage } from '../../src/lib/api/answer';
import {
  fetchReturning,
  readFixtureText,
  readOwnFixture,
  sseOf,
  ssePayloads,
  sseReply,
  utf8,
  warnIfSharedAbsent,
} from '../builders/streams';

const accumulate = (sse: string): AnswerState =>
  ssePayloads(sse).reduce<AnswerState>(
    (state, chunk) => accumulateChunk(state, chunk as WireChunk),
    emptyAnswer(),
  );

const ownText = (name: string) => new TextDecoder().decode(readOwnFixture(name));
const join = (tokens: { token: string }[]) => tokens.map((t) => t.token).join('');

/** Through the real SDK and runner, the body cut into 7-byte pieces. */
async function runThrough(sse: string) {
  const bytes = utf8(sse);
  const splits = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => i * 7);
  const result = await runCompletion({
    config: { apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' },
    body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true },
    idleTimeoutMs: 10_000,
    signal: new AbortController().signal,
    onUpdate: () => {},
    fetch: fetchReturning(sseReply(bytes, splits)),
  });
  expect(result.outcome).toBe('done');
  return result.answer;
}

const shared = warnIfSharedAbsent('logprobs.test.ts g01/g02 replays');

describe.skipIf(!shared)('recorded streams with logprobs (g01, g02)', () => {
  it('g01: the content tokens concatenate to the content, with their logprobs and bytes', async () => {
    const sse = readFixtureText('g01_stream_logprobs_content.sse');
    for (const answer of [accumulate(sse), await runThrough(sse)]) {
      const c = primaryChoice(answer);
      expect(c.content).toBe('Foo!');
      expect(c.logprobs.map((t) => t.token)).toEqual(['Foo', '!']);
      expect(c.logprobs[0]).toEqual({
        token: 'Foo',
        logprob: -0.0025094282,
        bytes: [70, 111, 111],
        topLogprobs: [],
      });
      expect(c.refusalLogprobs).toEqual([]);
      // One entry per completion token: the count is the usage.
      expect(c.logprobs.length).toBe(answer.usage?.completion);
    }
  });

  it('g02: a refusal keeps its tokens in the refusal channel, content has none', async () => {
    const sse = readFixtureText('g02_stream_refusal_with_logprobs.sse');
    for (const answer of [accumulate(sse), await runThrough(sse)]) {
      const c = primaryChoice(answer);
      expect(c.content).toBe('');
      expect(c.refusal.length).toBeGreaterThan(10);
      expect(join(c.refusalLogprobs)).toBe(c.refusal);
      expect(c.logprobs).toEqual([]);
    }
  });
});

describe('own streams with logprobs', () => {
  it('keeps the top alternatives, and an emoji split over byte tokens reads as one piece', async () => {
    const sse = ownText('own_stream_logprobs.sse');
    const answer = await runThrough(sse);
    const c = primaryChoice(answer);
    expect(c.content).toBe('The sky is blue 🌤\n');
    expect(c.logprobs).toHaveLength(8);
    const blue = c.logprobs.find((t) => t.token === ' blue')!;
    expect(blue.topLogprobs.map((a) => a.token)).toEqual([' clear', ' blue', ' grey']);

    const spans = tokenSpans(c.logprobs);
    // The displayed text is exactly the content, whatever the tokenisation.
    expect(spans.map((s) => s.text).join('')).toBe(c.content);
    const emoji = spans.find((s) => s.text === '🌤')!;
    expect(emoji.tokens).toHaveLength(2);
    expect(formatPercent(Math.exp(emoji.logprob))).toBe('45.0 %');

    const blueSpan = spans.find((s) => s.text === ' blue')!;
    expect(describeSpan(blueSpan)).toBe(
      '" blue" 30.0 %. Alternatives: " clear" 62.5 %, " grey" 4.00 %.',
    );
  });

  it('an inline stream: tokens arrive across chunks and concatenate to the content', () => {
    const tok = (token: string, logprob: number) => ({
      token,
      logprob,
      bytes: [...new TextEncoder().encode(token)],
      top_logprobs: [{ token: token.toUpperCase(), logprob: logprob - 1 }],
    });
    const chunk = (content: string, tokens: ReturnType<typeof tok>[] | null) => ({
      id: 'c1',
      model: 'm',
      choices: [
        { index: 0, delta: { content }, logprobs: tokens && { content: tokens, refusal: null } },
      ],
    });
    const answer = accumulate(
      sseOf([
        chunk('Ça ', [tok('Ça', -0.1), tok(' ', -0.2)]),
        chunk('va', [tok('va', -0.3)]),
        chunk('', null),
        { id: 'c1', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] },
      ]),
    );
    const c = primaryChoice(answer);
    expect(join(c.logprobs)).toBe(c.content);
    expect(c.content).toBe('Ça va');
    expect(c.logprobs[2]?.topLogprobs).toEqual([{ token: 'VA', logprob: -1.3, bytes: null }]);
  });

  it('a non-streamed answer keeps its logprobs too', () => {
    const body: WireCompletion = {
      id: 'x',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi there' },
          logprobs: {
            content: [
              { token: 'Hi', logprob: -0.01, bytes: [72, 105], top_logprobs: [] },
              { token: ' there', logprob: -0.5, bytes: null, top_logprobs: [] },
            ],
          },
          finish_reason: 'stop',
        },
      ],
    };
    const c = primaryChoice(answerFromCompletion(body));
    expect(join(c.logprobs)).toBe('Hi there');
  });

  it('ignores malformed entries instead of failing the answer', () => {
    const answer = accumulateChunk(emptyAnswer(), {
      choices: [
        {
          index: 0,
          delta: { content: 'ok' },
          logprobs: {
            content: [
              { token: 'ok', logprob: -0.1, bytes: [111, 107], top_logprobs: null },
              { token: 'bad' } as never,
            ],
          },
        },
      ],
    });
    expect(primaryChoice(answer).logprobs.map((t) => t.token)).toEqual(['ok']);
  });
});

describe('n = 2', () => {
  const base: Message = { id: 'a', role: 'assistant', content: '', status: 'done' };

  it('assembles both interleaved choices of own_stream_n2, usage reported once', async () => {
    const answer = await runThrough(ownText('own_stream_n2.sse'));
    expect(answer.choices.map((c) => c.content)).toEqual([
      'Tea is brewed from leaves.',
      'Coffee comes from roasted beans.',
    ]);
    expect(answer.choices.map((c) => c.finishReason)).toEqual(['stop', 'stop']);
    expect(answer.usage).toMatchObject({ prompt: 14, completion: 12, total: 26 });

    const msg = toAnswerMessage(base, answer, { startedAt: 0 });
    expect(msg.choices).toHaveLength(2);
    expect(msg.chosen).toBe(0);
    // No per-token data: the 12 reported tokens are split by length, and said to be estimates.
    const shares = choiceShares(msg);
    expect(shares.every((s) => s.estimated)).toBe(true);
    expect(shares.map((s) => s.tokens)).toEqual([5, 7]);
  });

  it('counts each choice exactly when logprobs are there', () => {
    const lp = (tokens: string[]) => ({
      content: tokens.map((token) => ({ token, logprob: -0.1, bytes: null, top_logprobs: [] })),
    });
    const answer = accumulate(
      sseOf([
        { id: 'n', choices: [{ index: 1, delta: { content: 'B b' }, logprobs: lp(['B', ' b']) }] },
        { id: 'n', choices: [{ index: 0, delta: { content: 'A' }, logprobs: lp(['A']) }] },
        {
          id: 'n',
          choices: [
            { index: 0, delta: {}, finish_reason: 'stop' },
            { index: 1, delta: {}, finish_reason: 'length' },
          ],
        },
        { id: 'n', choices: [], usage: { prompt_tokens: 3, completion_tokens: 3 } },
      ]),
    );
    const msg = toAnswerMessage(base, answer, { startedAt: 0 });
    expect(choiceShares(msg)).toEqual([
      { tokens: 1, estimated: false },
      { tokens: 2, estimated: false },
    ]);
    expect(msg.choices?.[1]?.finishReason).toBe('length');
  });

  it('"Use this choice" makes the follow-up send that choice as the assistant turn', async () => {
    const answer = await runThrough(ownText('own_stream_n2.sse'));
    const msg = toAnswerMessage(base, answer, { startedAt: 0 });
    const conv = {
      systemMessage: '',
      messages: [{ id: 'u', role: 'user' as const, content: 'Hot drinks?' }, msg],
    };
    expect(toWireMessages(conv)[1]?.content).toBe('Tea is brewed from leaves.');
    const picked = selectChoice(msg, 1);
    expect(picked.chosen).toBe(1);
    expect(toWireMessages({ ...conv, messages: [conv.messages[0]!, picked] })[1]).toEqual({
      role: 'assistant',
      content: 'Coffee comes from roasted beans.',
    });
  });
});

describe('stored answers keep logprobs, choices and the inspector records', () => {
  const answerMsg: Message = {
    id: 'm1',
    role: 'assistant',
    content: 'Hi',
    status: 'done',
    logprobs: [
      { token: 'Hi', logprob: -0.2, bytes: [72, 105], topLogprobs: [{ token: 'Yo', logprob: -2 }] },
    ],
    choices: [
      { content: 'Hi', finishReason: 'stop' },
      { content: 'Hey', finishReason: 'stop' },
    ],
    chosen: 0,
    request: {
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: [['authorization', 'Bearer [redacted]']],
      body: '{"model":"gpt-4"}',
    },
    response: {
      status: 200,
      headers: [['x-request-id', 'req_1']],
      chunks: ['{"id":"c"}', '[DONE]'],
      id: 'c',
      systemFingerprint: null,
    },
  };

  it('round-trips through the migration unchanged', () => {
    const conv = { ...createConversation(), messages: [answerMsg] };
    const read = migrateConversation(JSON.parse(JSON.stringify(conv)));
    expect(read.ok && read.value.messages[0]).toEqual(answerMsg);
  });

  it('rejects a record whose logprob is not a number', () => {
    const bad = { ...answerMsg, logprobs: [{ token: 'Hi', logprob: 'high', topLogprobs: [] }] };
    const read = migrateConversation({ ...createConversation(), messages: [bad] });
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(/messages\[0\]\.logprobs\[0\]\.logprob/);
  });
});
