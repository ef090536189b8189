// Assembling tool-call deltas from every tool-call recording in
// ../shared/fixtures/openai (c01, c02, c03, i03; c04, d01, d02 non-streamed)
// and from Parley's own tool-call fixtures in tests/fixtures, split at every
// chunk boundary. Streams go through the real openai SDK decoder and the
// runner (runCompletion → accumulateChunks), exactly like stream.test.ts.
// The expected calls are the exact strings read from the recordings.

import { describe, expect, it } from 'vitest';
import { answerFromCompletion, primaryChoice } from '../../src/lib/api/accumulator';
import type { AnswerState, ChoiceState } from '../../src/lib/api/accumulator';
import { toAnswerMessage } from '../../src/lib/api/answer';
import { runCompletion, type RunResult } from '../../src/lib/api/run';
import { createConversation } from '../../src/lib/model/conversation';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import type { WireCompletion } from '../../src/lib/api/wire';
import type { RequestBody } from '../../src/lib/model/request';
import type { ToolCall } from '../../src/lib/model/types';
import {
  fetchReturning,
  jsonReply,
  listOwnFixtures,
  listSharedFixtures,
  readFixture,
  readFixtureText,
  readOwnFixture,
  referenceAnswer,
  sseOf,
  ssePayloads,
  sseReply,
  utf8,
  warnIfSharedAbsent,
} from '../builders/streams';

// ---------------------------------------------------------------------------
// Expectations

/** What the arguments text must be: JSON with this value, cut JSON, or free text (custom tools). */
type Parsed = { json: unknown } | 'invalid-json' | 'free-text';

interface ExpectedCall {
  id: string;
  type: ToolCall['type'];
  name: string;
  arguments: string;
  parsed: Parsed;
}

interface Expected {
  calls: ExpectedCall[];
  finish: string;
  content: string;
}

interface StreamCase extends Expected {
  name: string;
  bytes: () => Uint8Array;
}

interface CompletionCase extends Expected {
  name: string;
  text: () => string;
}

const fn = (id: string, name: string, args: string, parsed: Parsed): ExpectedCall => ({
  id,
  type: 'function',
  name,
  arguments: args,
  parsed,
});

const sharedPresent = warnIfSharedAbsent('tool-calls.test.ts shared tool-call recordings');
const ownText = (name: string) => new TextDecoder().decode(readOwnFixture(name));

/** A shared recording's bytes; fails (not skips) when the folder is there but the file is not. */
function sharedBytes(name: string): Uint8Array {
  if (!listSharedFixtures(name.slice(name.lastIndexOf('.'))).includes(name)) {
    throw new Error(`${name} is missing from the shared fixtures folder`);
  }
  return readFixture(name);
}

const SHARED_STREAMS: StreamCase[] = [
  {
    name: 'c01_stream_single_tool_call.sse',
    bytes: () => sharedBytes('c01_stream_single_tool_call.sse'),
    calls: [
      fn('call_ZR5UUuTt3pf61kjwAJIYdVMj', 'get_capital', '{"country":"UK"}', {
        json: { country: 'UK' },
      }),
    ],
    finish: 'tool_calls',
    content: '',
  },
  {
    name: 'c02_stream_parallel_tool_calls.sse',
    bytes: () => sharedBytes('c02_stream_parallel_tool_calls.sse'),
    calls: [
      fn('call_8Sp49rZGndlZALo0uq1XvA7A', 'plus', '{"a": 2, "b": 3}', { json: { a: 2, b: 3 } }),
      fn('call_u5dbdPz1mAis8zZVk4ZBqXgL', 'minus', '{"a": 3, "b": 2}', { json: { a: 3, b: 2 } }),
    ],
    finish: 'tool_calls',
    content: '',
  },
  {
    name: 'c03_stream_text_then_tool_call.sse',
    bytes: () => sharedBytes('c03_stream_text_then_tool_call.sse'),
    calls: [
      fn('call_QgHUYg30lU8RAkIADo1bLA3P', 'get_weather', '{"location":"Paris"}', {
        json: { location: 'Paris' },
      }),
    ],
    finish: 'tool_calls',
    content: "One of my favorite cities is Paris. I'll get the current weather for Paris now.",
  },
  {
    name: 'i03_ollama_local_stream_tool_call_whole.sse',
    bytes: () => sharedBytes('i03_ollama_local_stream_tool_call_whole.sse'),
    calls: [
      fn('call_blqyt530', 'weather', '{"latitude":"52.5200","longitude":"13.4050"}', {
        json: { latitude: '52.5200', longitude: '13.4050' },
      }),
    ],
    finish: 'tool_calls',
    content: '',
  },
];

const OWN_STREAMS: StreamCase[] = [
  {
    name: 'own_stream_parallel_tools.sse',
    bytes: () => readOwnFixture('own_stream_parallel_tools.sse'),
    calls: [
      fn('call_own_weather_1', 'get_weather', '{"location": "Paris", "unit": "celsius"}', {
        json: { location: 'Paris', unit: 'celsius' },
      }),
      fn('call_own_time_2', 'get_time', '{"timezone": "Europe/Paris"}', {
        json: { timezone: 'Europe/Paris' },
      }),
    ],
    finish: 'tool_calls',
    content: '',
  },
  {
    // Legacy functions API: one call, kept as call 0 with an empty id.
    name: 'own_stream_function_call.sse',
    bytes: () => readOwnFixture('own_stream_function_call.sse'),
    calls: [fn('', 'get_weather', '{"location": "Paris"}', { json: { location: 'Paris' } })],
    finish: 'function_call',
    content: '',
  },
  {
    // Cut by max_tokens: the arguments are invalid JSON and kept verbatim.
    name: 'own_stream_tool_bad_args.sse',
    bytes: () => readOwnFixture('own_stream_tool_bad_args.sse'),
    calls: [fn('call_own_cut_1', 'get_weather', '{"location": "Par', 'invalid-json')],
    finish: 'length',
    content: '',
  },
];

// A custom tool (GPT-5 `type: "custom"`) streamed in fragments, in parallel
// with an ordinary function call. Built inline: no recording exists yet.
const CUSTOM_PATCH = '*** Begin Patch\n*** Update File: a.txt\n-old\n+new\n*** End Patch';
function customToolStream(): Uint8Array {
  const head = {
    id: 'chatcmpl-custom-tools',
    object: 'chat.completion.chunk',
    created: 1755000000,
    model: 'gpt-5-2025-08-07',
  };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...head,
    choices: [{ index: 0, delta, finish_reason: finish }],
    usage: null,
  });
  const tool = (call: object) => chunk({ tool_calls: [call] });
  return utf8(
    sseOf([
      chunk({ role: 'assistant', content: null, refusal: null }),
      tool({
        index: 0,
        id: 'call_custom_1',
        type: 'custom',
        custom: { name: 'apply_patch', input: '' },
      }),
      tool({ index: 0, custom: { input: '*** Begin Patch\n' } }),
      tool({ index: 0, custom: { input: '*** Update File: a.txt\n' } }),
      tool({ index: 0, custom: { input: '-old\n+new\n' } }),
      tool({ index: 0, custom: { input: '*** End Patch' } }),
      tool({
        index: 1,
        id: 'call_fn_2',
        type: 'function',
        function: { name: 'get_time', arguments: '' },
      }),
      tool({ index: 1, function: { arguments: '{"timezone":' } }),
      tool({ index: 1, function: { arguments: ' "UTC"}' } }),
      chunk({}, 'tool_calls'),
      {
        ...head,
        choices: [],
        usage: { prompt_tokens: 40, completion_tokens: 30, total_tokens: 70 },
      },
    ]),
  );
}

const INLINE_STREAMS: StreamCase[] = [
  {
    name: 'inline custom tool call + function call',
    bytes: customToolStream,
    calls: [
      {
        id: 'call_custom_1',
        type: 'custom',
        name: 'apply_patch',
        arguments: CUSTOM_PATCH,
        parsed: 'free-text',
      },
      fn('call_fn_2', 'get_time', '{"timezone": "UTC"}', { json: { timezone: 'UTC' } }),
    ],
    finish: 'tool_calls',
    content: '',
  },
];

const SHARED_COMPLETIONS: CompletionCase[] = [
  {
    name: 'c04_nonstream_parallel_tool_calls.json',
    text: () => readFixtureText('c04_nonstream_parallel_tool_calls.json'),
    calls: [
      fn('call_jpE40AW1quMaiDYWNV4Aob6D', 'get_current_weather', '{"location": "San Francisco"}', {
        json: { location: 'San Francisco' },
      }),
      fn('call_AZ51gEeXi37kKhFpXrcJzNQl', 'get_current_weather', '{"location": "Japan"}', {
        json: { location: 'Japan' },
      }),
    ],
    finish: 'tool_calls',
    content: '',
  },
  {
    name: 'd01_nonstream_function_call_0613.json',
    text: () => readFixtureText('d01_nonstream_function_call_0613.json'),
    calls: [
      fn('', 'book_a_flight', '{\n  "date": "2022-12-01",\n  "destination": "London"\n}', {
        json: { date: '2022-12-01', destination: 'London' },
      }),
    ],
    finish: 'function_call',
    content: '',
  },
  {
    name: 'd02_nonstream_function_call_truncated_length.json',
    text: () => readFixtureText('d02_nonstream_function_call_truncated_length.json'),
    calls: [fn('', 'structural_response', '{\n  "subject": "Invitation to attend', 'invalid-json')],
    finish: 'length',
    content: '',
  },
];

const OWN_COMPLETIONS: CompletionCase[] = [
  {
    name: 'own_nonstream_tool_calls.json',
    text: () => ownText('own_nonstream_tool_calls.json'),
    calls: [
      fn('call_own_a', 'get_weather', '{"location": "Lyon", "unit": "celsius"}', {
        json: { location: 'Lyon', unit: 'celsius' },
      }),
      fn('call_own_b', 'get_time', '{"timezone": "Europe/Paris"}', {
        json: { timezone: 'Europe/Paris' },
      }),
    ],
    finish: 'tool_calls',
    content: '',
  },
  {
    name: 'inline custom tool call (non-streamed)',
    text: () =>
      JSON.stringify({
        id: 'chatcmpl-custom-nonstream',
        object: 'chat.completion',
        created: 1755000000,
        model: 'gpt-5-2025-08-07',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'call_custom_9',
                  type: 'custom',
                  custom: { name: 'run_sql', input: 'SELECT name\nFROM users\nLIMIT 5;' },
                },
                {
                  id: 'call_fn_10',
                  type: 'function',
                  function: { name: 'get_time', arguments: '{"timezone": "UTC"}' },
                },
              ],
              refusal: null,
              annotations: [],
            },
            logprobs: null,
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 50, completion_tokens: 25, total_tokens: 75 },
      }),
    calls: [
      {
        id: 'call_custom_9',
        type: 'custom',
        name: 'run_sql',
        arguments: 'SELECT name\nFROM users\nLIMIT 5;',
        parsed: 'free-text',
      },
      fn('call_fn_10', 'get_time', '{"timezone": "UTC"}', { json: { timezone: 'UTC' } }),
    ],
    finish: 'tool_calls',
    content: '',
  },
];

// ---------------------------------------------------------------------------
// Running a body through the SDK decoder and the runner

const CONFIG = { apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' };

function requestBody(stream: boolean): RequestBody {
  return {
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  };
}

interface Run {
  result: RunResult;
  /** The answer after every chunk the SDK yielded, in order. */
  states: AnswerState[];
}

async function runStream(bytes: Uint8Array, splits: readonly number[]): Promise<Run> {
  const states: AnswerState[] = [];
  const result = await runCompletion({
    config: CONFIG,
    body: requestBody(true),
    idleTimeoutMs: 30_000,
    signal: new AbortController().signal,
    onUpdate: (answer) => states.push(answer),
    fetch: fetchReturning(sseReply(bytes, splits)),
    maxRateLimitRetries: 0,
  });
  return { result, states };
}

/** Byte offsets just after each event's blank line (`…}\n\n|data: …`), the last one excluded. */
function eventBoundaries(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i + 1] === 0x0a && i + 2 < bytes.length) out.push(i + 2);
  }
  return out;
}

/** The parts of an answer these tests are about. */
function view(c: ChoiceState) {
  return {
    calls: c.toolCalls.map((t) => ({
      id: t.id,
      type: t.type,
      name: t.name,
      arguments: t.arguments,
    })),
    finish: c.finishReason,
    content: c.content,
  };
}

function expectedView(e: Expected) {
  return {
    calls: e.calls.map(({ id, type, name, arguments: args }) => ({
      id,
      type,
      name,
      arguments: args,
    })),
    finish: e.finish,
    content: e.content,
  };
}

function checkArguments(calls: readonly ToolCall[], expected: readonly ExpectedCall[]) {
  expected.forEach((e, i) => {
    const got = calls[i]!.arguments;
    if (e.parsed === 'invalid-json') {
      expect(() => JSON.parse(got) as unknown, `${e.name} arguments`).toThrow(SyntaxError);
    } else if (e.parsed === 'free-text') {
      expect(got).toBe(e.arguments);
    } else {
      expect(JSON.parse(got), `${e.name} arguments`).toEqual(e.parsed.json);
    }
  });
}

/** Indices of the tool calls that had at least one fragment in a chunk, read without src/. */
function callIndicesIn(payload: unknown): number[] {
  const out: number[] = [];
  const choices = (payload as { choices?: unknown }).choices;
  for (const c of Array.isArray(choices) ? (choices as Record<string, unknown>[]) : []) {
    if ((c.index ?? 0) !== 0) continue;
    const delta = c.delta as Record<string, unknown> | null | undefined;
    if (!delta) continue;
    const calls = Array.isArray(delta.tool_calls) ? (delta.tool_calls as { index: number }[]) : [];
    for (const t of calls) out.push(t.index);
    if (delta.function_call) out.push(0);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Streams

function streamSuite(cases: readonly StreamCase[]) {
  describe.each(cases)('$name', (tc) => {
    const want = expectedView(tc);

    it('the whole body at once: the exact calls, finish reason and content', async () => {
      const { result, states } = await runStream(tc.bytes(), []);
      expect(result.outcome).toBe('done');
      expect(view(primaryChoice(result.answer))).toEqual(want);
      checkArguments(primaryChoice(result.answer).toolCalls, tc.calls);
      expect(states.length).toBeGreaterThan(0);
    });

    it('split at every event boundary, and one event per read: the same answer', async () => {
      const bytes = tc.bytes();
      const cuts = eventBoundaries(bytes);
      expect(cuts.length).toBeGreaterThan(1);
      const reference = await runStream(bytes, cuts);
      expect(view(primaryChoice(reference.result.answer))).toEqual(want);
      const steps = reference.states.map((s) => JSON.stringify(view(primaryChoice(s))));
      /** Updates come once per read: each one is a state the event-by-event run passed through, in order. */
      const stepsOf = (states: readonly AnswerState[]) => {
        let at = 0;
        for (const s of states) {
          at = steps.indexOf(JSON.stringify(view(primaryChoice(s))), at);
          if (at < 0) return false;
        }
        return true;
      };
      const bad: { at: number; got: unknown }[] = [];
      for (const k of cuts) {
        // Events 0..k-1 in one read, the rest (with [DONE]) in the next.
        const run = await runStream(bytes, [k]);
        const got = view(primaryChoice(run.result.answer));
        const sameSteps = stepsOf(run.states) && run.states.length <= 2; // one per read
        if (run.result.outcome !== 'done' || JSON.stringify(got) !== JSON.stringify(want)) {
          bad.push({ at: k, got });
        } else if (!sameSteps) {
          bad.push({ at: k, got: 'different intermediate states' });
        }
      }
      expect(bad).toEqual([]);
    });

    it('after every prefix of events the partial calls are consistent', async () => {
      const bytes = tc.bytes();
      const payloads = ssePayloads(new TextDecoder().decode(bytes));
      const { states } = await runStream(bytes, eventBoundaries(bytes));
      // One update per data event before [DONE], in order.
      expect(states.map((s) => s.chunkCount)).toEqual(payloads.map((_, i) => i + 1));
      const started = new Set<number>();
      let previous: readonly ToolCall[] = [];
      states.forEach((state, n) => {
        for (const i of callIndicesIn(payloads[n])) started.add(i);
        const c = primaryChoice(state);
        const where = `after event ${n}`;
        // A call exists exactly when its first fragment has arrived, and has
        // its id, type and name from that moment on.
        expect(c.toolCalls.length, where).toBe(started.size);
        c.toolCalls.forEach((call, i) => {
          const e = tc.calls[i]!;
          expect(started.has(i), where).toBe(true);
          expect({ id: call.id, type: call.type, name: call.name }, where).toEqual({
            id: e.id,
            type: e.type,
            name: e.name,
          });
          // Arguments only ever grow, and always towards the final text.
          expect(e.arguments.startsWith(call.arguments), where).toBe(true);
          expect(call.arguments.startsWith(previous[i]?.arguments ?? ''), where).toBe(true);
        });
        expect(tc.content.startsWith(c.content), where).toBe(true);
        expect([null, tc.finish], where).toContain(c.finishReason);
        previous = c.toolCalls;
      });
      expect(view(primaryChoice(states.at(-1)!))).toEqual(want);
    });
  });
}

describe.skipIf(!sharedPresent)('shared tool-call recordings (c01, c02, c03, i03)', () => {
  it('the naive reader agrees with the expected calls (so they were read right)', () => {
    for (const tc of SHARED_STREAMS) {
      const ref = referenceAnswer(new TextDecoder().decode(tc.bytes()));
      expect(ref.toolCalls, tc.name).toEqual(
        tc.calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
      );
      expect(ref.finishReason, tc.name).toBe(tc.finish);
      expect(ref.content, tc.name).toBe(tc.content);
    }
  });

  streamSuite(SHARED_STREAMS);
});

describe('own tool-call stream fixtures (always run)', () => {
  it('are present in tests/fixtures', () => {
    expect(listOwnFixtures('.sse')).toEqual(
      expect.arrayContaining(OWN_STREAMS.map((tc) => tc.name)),
    );
  });

  it('parallel and bad-args fixtures: the naive reader agrees with the expected calls', () => {
    for (const tc of OWN_STREAMS.filter((c) => c.calls.every((call) => call.id !== ''))) {
      const ref = referenceAnswer(new TextDecoder().decode(tc.bytes()));
      expect(ref.toolCalls, tc.name).toEqual(
        tc.calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
      );
      expect(ref.finishReason, tc.name).toBe(tc.finish);
    }
  });

  it('fragment counts: ≥4 for get_weather and ≥3 for get_time in own_stream_parallel_tools', () => {
    const payloads = ssePayloads(ownText('own_stream_parallel_tools.sse'));
    const count = (index: number) =>
      payloads.filter((p) => callIndicesIn(p).includes(index)).length;
    // The first fragment of each call carries id/name and empty arguments.
    expect(count(0) - 1).toBeGreaterThanOrEqual(4);
    expect(count(1) - 1).toBeGreaterThanOrEqual(3);
  });

  streamSuite(OWN_STREAMS);
});

describe('inline custom tool-call stream', () => {
  streamSuite(INLINE_STREAMS);
});

// ---------------------------------------------------------------------------
// Non-streamed completions

function completionSuite(cases: readonly CompletionCase[]) {
  it.each(cases)('$name', async (tc) => {
    const text = tc.text();
    const state = answerFromCompletion(JSON.parse(text) as WireCompletion);
    const c = primaryChoice(state);
    expect(view(c)).toEqual(expectedView(tc));
    checkArguments(c.toolCalls, tc.calls);

    // The same body through the SDK and the runner, non-streamed.
    const result = await runCompletion({
      config: CONFIG,
      body: requestBody(false),
      idleTimeoutMs: 30_000,
      signal: new AbortController().signal,
      onUpdate: () => {},
      fetch: fetchReturning(jsonReply(200, text)),
      maxRateLimitRetries: 0,
    });
    expect(result.outcome).toBe('done');
    expect(view(primaryChoice(result.answer))).toEqual(expectedView(tc));
  });
}

describe.skipIf(!sharedPresent)('shared non-streamed tool calls (c04, d01, d02)', () => {
  completionSuite(SHARED_COMPLETIONS);
});

describe('own and inline non-streamed tool calls (always run)', () => {
  completionSuite(OWN_COMPLETIONS);
});

// ---------------------------------------------------------------------------
// mergeToolCalls details for custom calls

describe('custom tool-call fragments', () => {
  it('stay custom when later fragments carry only `custom.input` (no type)', async () => {
    const { result } = await runStream(customToolStream(), []);
    const [custom, func] = primaryChoice(result.answer).toolCalls;
    expect(custom?.type).toBe('custom');
    expect(custom?.arguments).toBe(CUSTOM_PATCH);
    expect(func?.type).toBe('function');
  });
});

// ---------------------------------------------------------------------------
// Indexes a server chose (audit, issue 16): any start, gaps, absurd values

const chunkWith = (choices: object[]) => ({
  id: 'chatcmpl-idx',
  object: 'chat.completion.chunk',
  model: 'gpt-4o',
  choices,
});

describe('indexes as a server sends them', () => {
  it('a streamed tool call whose first index is 1 is one finished call', async () => {
    const stream = sseOf([
      chunkWith([{ index: 0, delta: { role: 'assistant', content: null } }]),
      chunkWith([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 1, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } },
            ],
          },
        },
      ]),
      chunkWith([
        { index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{"a":' } }] } },
      ]),
      chunkWith([
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 3, id: 'call_3', function: { name: 'g', arguments: '{}' } }],
          },
        },
      ]),
      chunkWith([
        { index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '1}' } }] } },
      ]),
      chunkWith([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
    ]);
    const { result } = await runStream(utf8(stream), []);
    expect(result.outcome).toBe('done');
    const calls = primaryChoice(result.answer).toolCalls;
    expect(calls.map((c) => [c.id, c.name, c.arguments])).toEqual([
      ['call_1', 'f', '{"a":1}'],
      ['call_3', 'g', '{}'],
    ]);
    // No holes: every call is a call (a hole broke rendering and saving).
    expect(calls.every((c) => c !== undefined)).toBe(true);
  });

  it('a choice or tool call at index 100000 is ignored and counted, not allocated', async () => {
    const stream = sseOf([
      chunkWith([{ index: 0, delta: { role: 'assistant', content: 'Hi' } }]),
      chunkWith([{ index: 100000, delta: { content: 'far away' } }]),
      chunkWith([{ index: 0, delta: { tool_calls: [{ index: 1e9, function: { name: 'x' } }] } }]),
      chunkWith([{ index: -1, delta: { content: 'negative' } }]),
      chunkWith([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    ]);
    const { result } = await runStream(utf8(stream), []);
    expect(result.outcome).toBe('done');
    expect(result.answer.choices).toHaveLength(1);
    expect(primaryChoice(result.answer).content).toBe('Hi');
    expect(primaryChoice(result.answer).toolCalls).toEqual([]);
    expect(result.answer.ignored).toBe(3);
    // The count is kept with the answer (and read back from storage) for the note under it.
    const stored = toAnswerMessage({ id: 'a', role: 'assistant', content: '' }, result.answer, {
      startedAt: 0,
    });
    expect(stored.ignored).toBe(3);
    const conversation = { ...createConversation(), messages: [stored] };
    const read = migrateConversation(JSON.parse(JSON.stringify(conversation)));
    expect(read.ok && read.value.messages[0]?.ignored).toBe(3);
  });

  it('choices that skip an index keep their index in the stored answer', () => {
    const answer = answerFromCompletion({
      id: 'c',
      model: 'gpt-4o',
      choices: [
        { index: 2, message: { role: 'assistant', content: 'two' }, finish_reason: 'stop' },
        { index: 0, message: { role: 'assistant', content: 'zero' }, finish_reason: 'stop' },
      ],
    } as WireCompletion);
    expect(answer.choices.map((c) => [c.index, c.content])).toEqual([
      [0, 'zero'],
      [2, 'two'],
    ]);
    expect(primaryChoice(answer).content).toBe('zero');
  });
});
