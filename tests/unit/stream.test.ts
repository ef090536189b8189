// The streaming pipeline end to end (openai SDK decoder + our accumulator +
// runner) against recorded traffic, with the body cut at every byte offset the
// network could cut it at. The oracle is the naive reader in tests/builders/streams.ts.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accumulateChunks,
  answerFromCompletion,
  emptyAnswer,
  primaryChoice,
} from '../../src/lib/api/accumulator';
import { accumulateChunk } from '../builders/answers';
import type { AnswerState } from '../../src/lib/api/accumulator';
import { runCompletion, type RunResult } from '../../src/lib/api/run';
import type { WireChunk, WireCompletion } from '../../src/lib/api/wire';
import type { RequestBody } from '../../src/lib/model/request';
import {
  cutAt,
  fetchReturning,
  inRuns,
  listOwnFixtures,
  listSharedFixtures,
  readFixture,
  readFixtureJson,
  readFixtureText,
  readOwnFixture,
  recordedStreams,
  referenceAnswer,
  sseReply,
  ssePayloads,
  utf8,
  warnIfSharedAbsent,
  type ReferenceAnswer,
} from '../builders/streams';

const CONFIG = { apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' };

function body(): RequestBody {
  return {
    model: 'gpt-4',
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: true,
    stream_options: { include_usage: true },
  };
}

async function runWithPieces(bytes: Uint8Array, splits: readonly number[]): Promise<RunResult> {
  return runCompletion({
    config: CONFIG,
    body: body(),
    idleTimeoutMs: 30_000,
    signal: new AbortController().signal,
    onUpdate: () => {},
    fetch: fetchReturning(sseReply(bytes, splits)),
    maxRateLimitRetries: 0,
  });
}

/** What a user sees of a finished run, in the same shape the oracle produces. */
function seen(result: RunResult) {
  const c = primaryChoice(result.answer);
  const u = result.answer.usage;
  return {
    outcome: result.outcome,
    errorKind: result.error?.kind ?? null,
    model: result.answer.model,
    content: c.content,
    refusal: c.refusal,
    reasoning: c.reasoning,
    toolCalls: c.toolCalls.map((t) => ({ id: t.id, name: t.name, arguments: t.arguments })),
    usage: u ? { prompt: u.prompt, completion: u.completion, total: u.total } : null,
    finishReason: c.finishReason,
  };
}

function expected(ref: ReferenceAnswer): ReturnType<typeof seen> {
  return {
    outcome: ref.error ? 'error' : ref.finishReason ? 'done' : 'incomplete',
    errorKind: ref.error ? 'stream' : null,
    model: ref.model,
    content: ref.content,
    refusal: ref.refusal,
    reasoning: ref.reasoning,
    toolCalls: ref.toolCalls,
    usage: ref.usage,
    finishReason: ref.finishReason,
  };
}

// Measured on a 2-core machine: one full runCompletion costs about 0.85 ms, so
// cutting every ≤ 12 KB recording at every offset (≈ 66 000 runs) would take
// about a minute. The SDK decoder only behaves differently when a cut falls
// near a line break or inside a UTF-8 sequence (bytes in the middle of a JSON
// line are simply concatenated), so the budget goes there:
// - files ≤ 3 KB: every offset;
// - files ≤ 12 KB: every offset within ±3 bytes (and the 2 bytes) of every event
//   boundary, inside every multi-byte character, plus a stride;
// - larger files: the same with a wider stride, event boundaries only in the first and last 2 KB.
const EVERY_OFFSET_MAX = 3 * 1024;
const ALL_BOUNDARIES_MAX = 12 * 1024;
const EDGE = 2048;
// Primes, so the stride lands at every position within a line over a file.
const STRIDE = 61;
const LARGE_STRIDE = 199;

/** Offsets at which to cut a file in two. */
function splitOffsets(bytes: Uint8Array): number[] {
  if (bytes.length <= EVERY_OFFSET_MAX) {
    return Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
  }
  const set = new Set<number>();
  // Inside every multi-byte UTF-8 sequence (before each continuation byte).
  bytes.forEach((b, i) => {
    if ((b & 0xc0) === 0x80) set.add(i);
  });
  // Around event boundaries.
  const everywhere = bytes.length <= ALL_BOUNDARIES_MAX;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0x0a || bytes[i + 1] !== 0x0a) continue;
    if (!everywhere && i > EDGE && i < bytes.length - EDGE) continue;
    for (let d = -3; d <= 4; d++) set.add(i + d);
  }
  const stride = everywhere ? STRIDE : LARGE_STRIDE;
  for (let k = stride; k < bytes.length; k += stride) set.add(k);
  return [...set].filter((k) => k > 0 && k < bytes.length).sort((a, b) => a - b);
}

/** Runs every split; returns the offsets whose result differed (at most a few). */
async function mismatches(bytes: Uint8Array, offsets: readonly number[], want: unknown) {
  const wanted = JSON.stringify(want);
  const bad: { at: number; got: unknown }[] = [];
  for (const k of offsets) {
    const got = seen(await runWithPieces(bytes, [k]));
    if (JSON.stringify(got) !== wanted) {
      bad.push({ at: k, got });
      if (bad.length >= 3) break;
    }
  }
  return bad;
}

const sharedPresent = warnIfSharedAbsent('stream.test.ts recorded-stream suites');
const sharedStreams = listSharedFixtures('.sse');
const ownStreams = listOwnFixtures('.sse');

describe.skipIf(!sharedPresent)(
  'recorded streams, byte by byte and cut in two at many offsets',
  () => {
    it('finds the recordings', () => {
      expect(sharedStreams.length).toBeGreaterThan(0);
    });

    it.each(sharedStreams)('%s', { timeout: 20_000 }, async (name) => {
      const bytes = readFixture(name);
      const ref = referenceAnswer(readFixtureText(name));
      const want = expected(ref);
      // One uncut run first, so a plain failure shows a readable diff.
      expect(seen(await runWithPieces(bytes, []))).toEqual(want);
      // Every byte alone: a cut at every offset of the file, all in one run.
      const everyOffset = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      expect(seen(await runWithPieces(bytes, everyOffset))).toEqual(want);
      const offsets = splitOffsets(bytes);
      expect(offsets.length).toBeGreaterThan(0);
      expect(await mismatches(bytes, offsets, want)).toEqual([]);
    });
  },
);

describe.skipIf(!sharedPresent)('what the oracle says about particular recordings', () => {
  // These pin facts stated in WIRE-FACTS.md, so a broken oracle cannot make
  // the comparison above pass vacuously.
  it('b01 (2023) reports no usage; the answer says so with null', async () => {
    const name = 'b01_stream_gpt35_0613_2023_no_usage.sse';
    expect(referenceAnswer(readFixtureText(name)).usage).toBeNull();
    const result = await runWithPieces(readFixture(name), []);
    expect(result.outcome).toBe('done');
    expect(result.answer.usage).toBeNull();
    expect(primaryChoice(result.answer).content.length).toBeGreaterThan(0);
  });

  it('i04 (Groq) usage comes from x_groq.usage on the last chunk', async () => {
    const name = 'i04_groq_stream_x_groq_usage.sse';
    const last = ssePayloads(readFixtureText(name)).at(-1) as {
      x_groq: { usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } };
    };
    const result = await runWithPieces(readFixture(name), []);
    expect(result.answer.usage).toMatchObject({
      prompt: last.x_groq.usage.prompt_tokens,
      completion: last.x_groq.usage.completion_tokens,
      total: last.x_groq.usage.total_tokens,
    });
  });

  it('i09 (OpenRouter error chunk inside a 200) ends as a stream error and keeps the partial text', async () => {
    const name = 'i09_openrouter_stream_midstream_error.sse';
    const ref = referenceAnswer(readFixtureText(name));
    expect(ref.error?.message).toBeTruthy();
    const result = await runWithPieces(readFixture(name), []);
    expect(result.outcome).toBe('error');
    expect(result.error?.kind).toBe('stream');
    expect(result.error?.apiMessage).toBe(ref.error?.message);
    expect(result.error?.message).toContain('api.openai.com');
    const c = primaryChoice(result.answer);
    expect(c.reasoning + c.content).not.toBe('');
    expect(c.reasoning).toBe(ref.reasoning);
  });

  it('h03 refusal arrives on its own channel, not as content', async () => {
    const name = 'h03_stream_refusal.sse';
    const ref = referenceAnswer(readFixtureText(name));
    expect(ref.refusal).not.toBe('');
    const c = primaryChoice((await runWithPieces(readFixture(name), [])).answer);
    expect(c.refusal).toBe(ref.refusal);
    expect(c.content).toBe('');
  });

  it('i06 (Azure) takes id and model from the first real chunk, not the empty prompt-filter one', async () => {
    const name = 'i06_azure_stream_prompt_filter_first_chunk.sse';
    const first = ssePayloads(readFixtureText(name))[0] as { id: string; model: string };
    expect(first.id).toBe('');
    const result = await runWithPieces(readFixture(name), []);
    expect(result.answer.model).not.toBe('');
    expect(result.answer.id).not.toBe('');
    expect(result.outcome).toBe('done');
  });
});

describe('own stream fixtures, byte by byte and cut in two at many offsets', () => {
  if (ownStreams.length === 0) it.skip('no own .sse fixtures in tests/fixtures yet', () => {});
  it.each(ownStreams)('%s', { timeout: 20_000 }, async (name) => {
    const bytes = readOwnFixture(name);
    const ref = referenceAnswer(new TextDecoder().decode(bytes));
    const want = expected(ref);
    expect(seen(await runWithPieces(bytes, []))).toEqual(want);
    const everyOffset = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(seen(await runWithPieces(bytes, everyOffset))).toEqual(want);
    expect(await mismatches(bytes, splitOffsets(bytes), want)).toEqual([]);
  });
});

// An inline stream with raw (unescaped) UTF-8 in the JSON: emoji with a skin
// tone modifier, a ZWJ family, CJK, accents, and a 4-byte char cut across deltas.
const MULTIBYTE_PARTS = ['Héllo ', '👋🏽 世界', ' — ', '👨‍👩‍👧', ' naïve ', '漢字かな', '🚀'];
const MULTIBYTE_TEXT = MULTIBYTE_PARTS.join('');
function multibyteStream(): Uint8Array {
  const ev = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
  const head = {
    id: 'chatcmpl-mb',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4-0613',
  };
  let sse = ev({
    ...head,
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
  });
  for (const part of MULTIBYTE_PARTS) {
    sse += ev({ ...head, choices: [{ index: 0, delta: { content: part }, finish_reason: null }] });
  }
  sse += ev({ ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  sse += ev({
    ...head,
    choices: [],
    usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
  });
  sse += 'data: [DONE]\n\n';
  return utf8(sse);
}

describe('multi-byte UTF-8 cut inside a character', () => {
  const bytes = multibyteStream();

  it('the inline stream really has raw multi-byte characters', () => {
    // JSON.stringify leaves non-ASCII as is, so the bytes contain sequences to cut.
    expect(bytes.some((b) => b >= 0x80)).toBe(true);
  });

  it('gives the exact text for every two-piece split', async () => {
    const want = {
      outcome: 'done',
      content: MULTIBYTE_TEXT,
      usage: { prompt: 9, completion: 12, total: 21 },
      finishReason: 'stop',
    };
    const bad: number[] = [];
    for (let k = 1; k < bytes.length; k++) {
      const s = seen(await runWithPieces(bytes, [k]));
      const got = {
        outcome: s.outcome,
        content: s.content,
        usage: s.usage,
        finishReason: s.finishReason,
      };
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(k);
    }
    expect(bad).toEqual([]);
  });

  it('gives the exact text when every byte arrives alone', async () => {
    const all = Array.from({ length: bytes.length }, (_, i) => i);
    const result = await runWithPieces(bytes, all);
    expect(primaryChoice(result.answer).content).toBe(MULTIBYTE_TEXT);
    expect(result.outcome).toBe('done');
  });
});

describe('three-way and byte-by-byte splits', () => {
  const name = 'b02_stream_gpt4o_include_usage.sse';
  const useShared = sharedPresent && listSharedFixtures('.sse').includes(name);
  const own = 'own_stream_hello.sse';
  const bytes = useShared
    ? readFixture(name)
    : ownStreams.includes(own)
      ? readOwnFixture(own)
      : multibyteStream();
  const want = expected(referenceAnswer(new TextDecoder().decode(bytes)));

  it('three pieces at a spread of offset pairs', async () => {
    const step = Math.max(1, Math.floor(bytes.length / 24));
    const pairs: [number, number][] = [];
    for (let a = 1; a < bytes.length; a += step) {
      for (let b = a + 1; b < bytes.length; b += step) pairs.push([a, b]);
    }
    // Also the two halves of each event separator (…}\n | \n | data: …).
    for (let i = 1; i + 2 < bytes.length; i++) {
      if (bytes[i] === 0x0a && bytes[i + 1] === 0x0a) pairs.push([i + 1, i + 2]);
    }
    expect(pairs.length).toBeGreaterThan(100);
    const bad: [number, number][] = [];
    for (const pair of pairs) {
      const got = seen(await runWithPieces(bytes, pair));
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(pair);
    }
    expect(bad).toEqual([]);
  });

  it('one byte per read', async () => {
    const all = Array.from({ length: bytes.length }, (_, i) => i);
    expect(cutAt(bytes, all)).toHaveLength(bytes.length);
    expect(seen(await runWithPieces(bytes, all))).toEqual(want);
  });
});

// ---------------------------------------------------------------------------
// accumulateChunk (tests/builders/answers.ts), one chunk at a time

const feed = (chunks: WireChunk[], from: AnswerState = emptyAnswer()) =>
  chunks.reduce((s, c) => accumulateChunk(s, c), from);

describe('accumulateChunks: the chunks of a network read at once', () => {
  const streams = recordedStreams();
  it('adds up to what one chunk at a time does, whatever the reads, and changes no state it was given', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...streams),
        fc.array(fc.nat(), { maxLength: 8 }),
        (sse, cuts) => {
          const chunks = ssePayloads(sse) as WireChunk[];
          let state = emptyAnswer();
          for (const read of inRuns(chunks, cuts)) {
            const before = structuredClone(state);
            const next = accumulateChunks(state, read);
            expect(state).toEqual(before);
            state = next;
          }
          expect(state).toEqual(feed(chunks));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('accumulateChunk', () => {
  it('a role repeated on every delta (Ollama, OpenRouter) does not duplicate anything', () => {
    const chunks: WireChunk[] = ['Hel', 'lo', '!'].map((t) => ({
      id: 'x',
      model: 'qwen3',
      choices: [{ index: 0, delta: { role: 'assistant', content: t }, finish_reason: null }],
    }));
    chunks.push({
      id: 'x',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
    });
    const s = feed(chunks);
    expect(s.choices).toHaveLength(1);
    expect(primaryChoice(s)).toMatchObject({
      role: 'assistant',
      content: 'Hello!',
      finishReason: 'stop',
    });
  });

  it('a usage chunk with choices: [] sets usage and leaves the text alone', () => {
    const before = feed([
      { id: 'x', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] },
    ]);
    const after = accumulateChunk(before, {
      id: 'x',
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
    expect(after.usage).toMatchObject({ prompt: 5, completion: 2, total: 7 });
    expect(primaryChoice(after)).toMatchObject({ content: 'Hi', finishReason: 'stop' });
    expect(after.choices).toHaveLength(1);
  });

  it('"usage": null on content chunks does not wipe usage reported later or earlier', () => {
    const s = feed([
      { choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
      { choices: [{ index: 0, delta: { content: 'a' } }], usage: null },
    ]);
    expect(s.usage).toMatchObject({ prompt: 3, completion: 4, total: 7 });
  });

  it('Azure: an empty id/model on the first chunk is replaced by the first real one', () => {
    const s = feed([
      { id: '', model: '', choices: [] },
      {
        id: 'chatcmpl-1',
        model: 'gpt-35-turbo',
        choices: [{ index: 0, delta: { role: 'assistant', content: '' } }],
      },
      {
        id: 'chatcmpl-1',
        model: 'gpt-35-turbo',
        choices: [{ index: 0, delta: { content: 'Why' } }],
      },
    ]);
    expect(s.id).toBe('chatcmpl-1');
    expect(s.model).toBe('gpt-35-turbo');
    expect(primaryChoice(s).content).toBe('Why');
  });

  it('does not change the state it was given (each update is a new object)', () => {
    const s0 = feed([{ id: 'a', choices: [{ index: 0, delta: { content: 'x' } }] }]);
    const snapshot = structuredClone(s0);
    const s1 = accumulateChunk(s0, {
      choices: [
        {
          index: 0,
          delta: {
            content: 'y',
            tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{' } }],
          },
        },
      ],
    });
    expect(s0).toEqual(snapshot);
    expect(primaryChoice(s1).content).toBe('xy');
  });

  it('legacy function_call deltas assemble into one call', () => {
    const s = feed([
      {
        choices: [
          {
            index: 0,
            delta: {
              role: 'assistant',
              content: null,
              function_call: { name: 'get_weather', arguments: '' },
            },
          },
        ],
      },
      { choices: [{ index: 0, delta: { function_call: { arguments: '{"loc' } } }] },
      { choices: [{ index: 0, delta: { function_call: { arguments: 'ation": "Paris"}' } } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'function_call' }] },
    ]);
    const c = primaryChoice(s);
    expect(c.toolCalls).toHaveLength(1);
    expect(c.toolCalls[0]).toMatchObject({
      name: 'get_weather',
      arguments: '{"location": "Paris"}',
    });
    expect(JSON.parse(c.toolCalls[0]!.arguments)).toEqual({ location: 'Paris' });
    expect(c.finishReason).toBe('function_call');
    expect(c.content).toBe('');
  });

  it('tool-call fragments with ids on the first piece only, for two parallel calls', () => {
    const s = feed([
      {
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: 'call_a',
                  type: 'function',
                  function: { name: 'plus', arguments: '' },
                },
              ],
            },
          },
        ],
      },
      {
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":1' } }] } },
        ],
      },
      {
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 1,
                  id: 'call_b',
                  type: 'function',
                  function: { name: 'minus', arguments: '{"b"' },
                },
              ],
            },
          },
        ],
      },
      {
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '}' } }] } },
        ],
      },
      {
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: ':2}' } }] } },
        ],
      },
    ]);
    expect(primaryChoice(s).toolCalls).toEqual([
      { id: 'call_a', type: 'function', name: 'plus', arguments: '{"a":1}' },
      { id: 'call_b', type: 'function', name: 'minus', arguments: '{"b":2}' },
    ]);
  });

  it('keeps n > 1 choices apart', () => {
    const s = feed([
      {
        choices: [
          { index: 1, delta: { content: 'B' } },
          { index: 0, delta: { content: 'A' } },
        ],
      },
      { choices: [{ index: 0, delta: { content: 'a' }, finish_reason: 'stop' }] },
    ]);
    expect(s.choices[0]?.content).toBe('Aa');
    expect(s.choices[1]?.content).toBe('B');
  });
});

describe.skipIf(!sharedPresent)('recorded tool-call streams, fed chunk by chunk', () => {
  const names = [
    'c01_stream_single_tool_call.sse',
    'c02_stream_parallel_tool_calls.sse',
    'c03_stream_text_then_tool_call.sse',
    'i03_ollama_local_stream_tool_call_whole.sse',
  ].filter((n) => sharedStreams.includes(n));

  it.each(names)('%s', (name) => {
    const chunks = ssePayloads(readFixtureText(name)) as WireChunk[];
    // Independently: the argument fragments per call index, in order.
    const fragments = new Map<number, string[]>();
    let state = emptyAnswer();
    for (const chunk of chunks) {
      for (const tc of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
        const list = fragments.get(tc.index!) ?? [];
        list.push(tc.function?.arguments ?? '');
        fragments.set(tc.index!, list);
      }
      state = accumulateChunk(state, chunk);
      // After every chunk, each call holds exactly the fragments seen so far.
      const calls = primaryChoice(state).toolCalls;
      expect(calls.map((c) => c.arguments)).toEqual(
        [...fragments.keys()].sort().map((i) => fragments.get(i)!.join('')),
      );
    }
    const calls = primaryChoice(state).toolCalls;
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBe(fragments.size);
    for (const call of calls) {
      expect(call.id).not.toBe('');
      expect(call.name).not.toBe('');
      const args: unknown = JSON.parse(call.arguments);
      expect(args).toBeTypeOf('object');
      expect(args).not.toBeNull();
    }
    expect(primaryChoice(state).finishReason).toBe(
      referenceAnswer(readFixtureText(name)).finishReason,
    );
  });

  it('c03: the text before the tool call is kept as content', () => {
    const name = 'c03_stream_text_then_tool_call.sse';
    if (!names.includes(name)) return expect.fail(`${name} missing`);
    const ref = referenceAnswer(readFixtureText(name));
    expect(ref.content).not.toBe('');
    const state = (ssePayloads(readFixtureText(name)) as WireChunk[]).reduce(
      accumulateChunk,
      emptyAnswer(),
    );
    expect(primaryChoice(state).content).toBe(ref.content);
    expect(primaryChoice(state).toolCalls).toHaveLength(1);
  });
});

describe.skipIf(!sharedPresent)('recorded non-streamed legacy function calls', () => {
  interface Completion {
    choices: { message: { function_call: { name: string; arguments: string } } }[];
  }
  it.each([
    'd01_nonstream_function_call_0613.json',
    'd02_nonstream_function_call_truncated_length.json',
  ])('%s becomes one tool call with the raw arguments', (name) => {
    const raw = readFixtureJson<Completion>(name);
    const fc = raw.choices[0]!.message.function_call;
    const state = answerFromCompletion(raw as unknown as WireCompletion);
    expect(primaryChoice(state).toolCalls).toEqual([
      expect.objectContaining({ name: fc.name, arguments: fc.arguments }),
    ]);
  });
});
