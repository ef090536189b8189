// The request body is exactly what the user set up: nothing unset is sent,
// nothing set (0, "" included) is lost, and failed empty answers stay out.

import { describe, expect, it } from 'vitest';
import { buildRequest, systemRoleFor, toRequestBody } from '../../src/lib/model/request';
import type { Conversation, Message, Params } from '../../src/lib/model/types';

type Input = Parameters<typeof toRequestBody>[0];

function conv(over: Partial<Input> = {}): Input {
  return {
    model: 'gpt-4',
    systemMessage: '',
    messages: [{ id: 'u1', role: 'user', content: 'Hi' }],
    params: {},
    stream: false,
    ...over,
  };
}

const roles = (c: Input) => toRequestBody(c).messages.map((m) => m.role);

describe('system message', () => {
  it('goes first, as written, when it has text', () => {
    const body = toRequestBody(conv({ systemMessage: 'Be brief.\nAnswer in French.' }));
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Be brief.\nAnswer in French.' });
    expect(body.messages[1]).toMatchObject({ role: 'user', content: 'Hi' });
  });

  it.each(['', '   ', '\n\t \n'])('is left out when blank (%j)', (systemMessage) => {
    expect(roles(conv({ systemMessage }))).toEqual(['user']);
  });
  it.each([
    ['gpt-4', 'system'],
    ['gpt-4o-mini', 'system'],
    ['llama3.1:8b', 'system'],
    ['o1', 'developer'],
    ['o3-mini', 'developer'],
    ['gpt-5', 'developer'],
    ['gpt-5.1-codex', 'developer'],
  ] as const)('unchosen, goes as %s expects: %s', (model, role) => {
    expect(systemRoleFor(model)).toBe(role);
    expect(roles(conv({ model, systemMessage: 'Be brief.' }))[0]).toBe(role);
  });

  it('goes with the role chosen, whatever the model', () => {
    expect(roles(conv({ model: 'o3', systemMessage: 'x', systemRole: 'system' }))[0]).toBe(
      'system',
    );
    expect(roles(conv({ model: 'gpt-4', systemMessage: 'x', systemRole: 'developer' }))[0]).toBe(
      'developer',
    );
  });

  it('developer messages in the transcript keep their role', () => {
    const body = toRequestBody(
      conv({ messages: [{ id: 'd1', role: 'developer', content: 'Use metric units.' }] }),
    );
    expect(body.messages).toEqual([{ role: 'developer', content: 'Use metric units.' }]);
  });
});

describe('parameters', () => {
  it('keeps real values that look empty: temperature 0, user "", seed 0', () => {
    const body = toRequestBody(
      conv({ params: { temperature: 0, user: '', seed: 0, presence_penalty: 0 } }),
    );
    expect(body.temperature).toBe(0);
    expect(body.user).toBe('');
    expect(body.seed).toBe(0);
    expect(body.presence_penalty).toBe(0);
  });

  it('drops unset parameters entirely (no key, not null)', () => {
    const params: Params = { temperature: undefined, max_tokens: undefined, top_p: 0.5 };
    const body = toRequestBody(conv({ params }));
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'top_p']);
    expect(JSON.parse(JSON.stringify(body))).not.toHaveProperty('temperature');
  });

  it('drops an empty stop list and keeps a non-empty one', () => {
    expect(toRequestBody(conv({ params: { stop: [] } }))).not.toHaveProperty('stop');
    expect(toRequestBody(conv({ params: { stop: ['\n\n', 'END'] } })).stop).toEqual([
      '\n\n',
      'END',
    ]);
  });

  it('sends every parameter the user set', () => {
    const params: Params = {
      temperature: 0.7,
      top_p: 0.9,
      frequency_penalty: -0.5,
      presence_penalty: 1.2,
      max_tokens: 256,
      stop: ['###'],
      seed: 42,
      n: 2,
      user: 'alice',
    };
    expect(toRequestBody(conv({ params }))).toMatchObject(params);
  });

  it('trims the model id', () => {
    expect(toRequestBody(conv({ model: '  gpt-4o-mini \n' })).model).toBe('gpt-4o-mini');
  });
});

describe('streaming', () => {
  it('stream on asks for usage too', () => {
    const body = toRequestBody(conv({ stream: true }));
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('stream off sends neither key', () => {
    const body = toRequestBody(conv({ stream: false }));
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('stream_options');
  });
});

describe('transcript', () => {
  it('leaves out an assistant answer that failed before producing anything', () => {
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'Hi' },
      {
        id: 'a1',
        role: 'assistant',
        content: '',
        status: 'error',
        error: { kind: 'network', message: 'x', retryable: true },
      },
      { id: 'u2', role: 'user', content: 'Hello?' },
    ];
    const body = toRequestBody(conv({ messages }));
    expect(body.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'user', content: 'Hello?' },
    ]);
  });

  it('keeps the partial text of an answer that was stopped or failed midway', () => {
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'Count to ten' },
      { id: 'a1', role: 'assistant', content: 'One, two,', status: 'stopped' },
      { id: 'u2', role: 'user', content: 'Go on' },
    ];
    expect(toRequestBody(conv({ messages })).messages[1]).toEqual({
      role: 'assistant',
      content: 'One, two,',
    });
  });

  it('sends only wire fields: no status, usage, timing, ids or errors', () => {
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'Hi' },
      {
        id: 'a1',
        role: 'assistant',
        content: 'Hello!',
        status: 'done',
        finishReason: 'stop',
        usage: { prompt: 1, completion: 2, total: 3 },
        model: 'gpt-4-0613',
        timing: { startedAt: 1, endedAt: 2 },
        requestId: 'req_1',
        reasoning: 'thinking…',
      },
    ];
    expect(toRequestBody(conv({ messages })).messages[1]).toEqual({
      role: 'assistant',
      content: 'Hello!',
    });
  });

  it('serializes tool calls with content null and links tool results by id', () => {
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'Weather in Paris?' },
      {
        id: 'a1',
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', type: 'function', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_2', type: 'function', name: 'get_time', arguments: '{}' },
        ],
        status: 'done',
        finishReason: 'tool_calls',
      },
      { id: 't1', role: 'tool', content: '18°C', toolCallId: 'call_1' },
      { id: 't2', role: 'tool', content: '14:00', toolCallId: 'call_2' },
    ];
    const wire = toRequestBody(conv({ messages })).messages;
    expect(wire[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
    expect(wire[2]).toEqual({ role: 'tool', content: '18°C', tool_call_id: 'call_1' });
    expect(wire[3]).toEqual({ role: 'tool', content: '14:00', tool_call_id: 'call_2' });
  });

  it('keeps text that came before a tool call', () => {
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'Weather?' },
      {
        id: 'a1',
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [{ id: 'call_1', type: 'function', name: 'get_weather', arguments: '{}' }],
      },
    ];
    expect(toRequestBody(conv({ messages })).messages[1]).toMatchObject({
      content: 'Let me check.',
      tool_calls: [expect.objectContaining({ id: 'call_1' })],
    });
  });

  it('sends a refusal back as a refusal, so the model sees what it said', () => {
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'Do something bad' },
      {
        id: 'a1',
        role: 'assistant',
        content: '',
        refusal: "I'm sorry, I can't help with that.",
        status: 'done',
      },
      { id: 'u2', role: 'user', content: 'Why not?' },
    ];
    const wire = toRequestBody(conv({ messages })).messages;
    expect(wire).toHaveLength(3);
    expect(wire[1]).toMatchObject({
      role: 'assistant',
      refusal: "I'm sorry, I can't help with that.",
    });
  });

  it('passes a participant name and keeps the order of turns', () => {
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'A', name: 'alice' },
      { id: 'a1', role: 'assistant', content: 'B' },
      { id: 'u2', role: 'user', content: 'C' },
    ];
    const wire = toRequestBody(conv({ systemMessage: 'S', messages })).messages;
    expect(wire.map((m) => m.content)).toEqual(['S', 'A', 'B', 'C']);
    expect(wire[1]).toEqual({ role: 'user', content: 'A', name: 'alice' });
    expect(wire[3]).not.toHaveProperty('name');
  });

  it('does not change the conversation it reads', () => {
    const c: Input = conv({
      systemMessage: 'S',
      params: { stop: [] },
      messages: [
        {
          id: 'a1',
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c', type: 'function', name: 'f', arguments: '{}' }],
        },
      ],
    });
    const before = structuredClone(c);
    toRequestBody(c);
    expect(c).toEqual(before);
  });
});

// Type-level guard: the input really is a subset of a stored Conversation.
const _typecheck: (c: Conversation) => Input = (c) => c;
void _typecheck;

describe('tools on the wire', () => {
  const weather = {
    type: 'function',
    function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
  };
  const legacyWeather = { name: 'get_weather', parameters: { type: 'object', properties: {} } };
  const callTurn: Message[] = [
    { id: 'u1', role: 'user', content: 'Weather in Paris and the time?' },
    {
      id: 'a1',
      role: 'assistant',
      content: '',
      status: 'done',
      toolCalls: [
        { id: 'call_1', type: 'function', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_2', type: 'function', name: 'get_time', arguments: '{}' },
      ],
    },
    { id: 't1', role: 'tool', content: '21 C', toolCallId: 'call_1', name: 'get_weather' },
    { id: 't2', role: 'tool', content: '10:00', toolCallId: 'call_2', name: 'get_time' },
  ];

  it('sends the definitions exactly as typed, with tool_choice and parallel_tool_calls', () => {
    const json = `[\n  ${JSON.stringify(weather)}\n]`;
    const body = toRequestBody(
      conv({ tools: { json, format: 'tools', choice: { name: 'get_weather' }, parallel: false } }),
    );
    expect(body.tools).toEqual([weather]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(body.parallel_tool_calls).toBe(false);
    expect('functions' in body).toBe(false);
  });

  it.each(['', '  \n', '[]'])('sends no tools and no choice for %j', (json) => {
    const body = toRequestBody(conv({ tools: { json, format: 'tools', choice: 'required' } }));
    expect(Object.keys(body).sort()).toEqual(['messages', 'model']);
  });

  it('sends nothing of the tools while the text is not a JSON array, and says so', () => {
    const built = buildRequest(conv({ tools: { json: '[{},]', format: 'tools' } }));
    expect(built.body.tools).toBeUndefined();
    expect(built.toolsError).toBe('The tools JSON is not valid JSON.');
    const obj = buildRequest(conv({ tools: { json: '{}', format: 'tools' } }));
    expect(obj.toolsError).toBe('The tools JSON is not an array.');
  });

  it('an answered parallel call goes back as tool_calls (content null) and tool messages', () => {
    const body = toRequestBody(
      conv({ messages: callTurn, tools: { json: JSON.stringify([weather]), format: 'tools' } }),
    );
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', content: '21 C', tool_call_id: 'call_1' },
      { role: 'tool', content: '10:00', tool_call_id: 'call_2' },
    ]);
  });

  it('the legacy format sends functions/function_call and a function message', () => {
    const body = toRequestBody(
      conv({
        messages: callTurn.slice(0, 3),
        tools: { json: JSON.stringify([legacyWeather]), format: 'functions', choice: 'auto' },
      }),
    );
    expect(body.functions).toEqual([legacyWeather]);
    expect(body.function_call).toBe('auto');
    expect('tools' in body || 'tool_choice' in body || 'parallel_tool_calls' in body).toBe(false);
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
      { role: 'function', name: 'get_weather', content: '21 C' },
    ]);
    const named = toRequestBody(
      conv({
        tools: {
          json: JSON.stringify([legacyWeather]),
          format: 'functions',
          choice: { name: 'x' },
        },
      }),
    );
    expect(named.function_call).toEqual({ name: 'x' });
  });

  it('keeps text that came before a call, and sends a custom tool call as custom', () => {
    const body = toRequestBody(
      conv({
        messages: [
          {
            id: 'a',
            role: 'assistant',
            content: 'Let me check.',
            toolCalls: [{ id: 'c1', type: 'custom', name: 'sql', arguments: 'SELECT 1' }],
          },
        ],
      }),
    );
    expect(body.messages[0]).toEqual({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'sql', input: 'SELECT 1' } }],
    });
  });

  it('extra parameters still win over the tools fields', () => {
    const body = toRequestBody(
      conv({
        tools: { json: JSON.stringify([weather]), format: 'tools', choice: 'auto' },
        params: { extra: '{"tool_choice":"none"}' },
      }),
    );
    expect(body.tool_choice).toBe('none');
  });
});
