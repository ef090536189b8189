// The tool-call round trip in the session: result boxes appear for each call,
// Send waits for every result, the follow-up carries them, a result can be
// edited and the turn re-run, and a tools mistake blocks Send with its place.

import { beforeAll, describe, expect, it } from 'vitest';
import type { AnswerState, RunRequest, RunResult } from '../../src/lib/api';
import { answerState } from '../builders/answers';
import { createConversation } from '../../src/lib/model/conversation';
import type { ToolCall } from '../../src/lib/model/types';
import { ChatSession } from '../../src/lib/state/chat-session.svelte';
import { loadToolsValidator } from '../../src/lib/state/tools-validator.svelte';
import { ToolsSetup } from '../../src/lib/state/tools-setup.svelte';

// In the app the validator arrives with the Tools panel; here it is loaded up front.
beforeAll(() => loadToolsValidator());

const answer = (content: string, toolCalls: ToolCall[], finishReason: string) =>
  answerState(content, finishReason, { toolCalls, model: 'gpt-4o' });

const timing = { startedAt: 1, firstTokenAt: 2, endedAt: 3 };
const weather = { type: 'function', function: { name: 'get_weather' } };
const time = { type: 'function', function: { name: 'get_time' } };

function session(replies: AnswerState[]) {
  const requests: RunRequest[] = [];
  const run = (req: RunRequest): Promise<RunResult> => {
    requests.push(req);
    const next = replies.shift() ?? answer('Done.', [], 'stop');
    return Promise.resolve({ answer: next, outcome: 'done', timing });
  };
  const s = new ChatSession(createConversation({ model: 'gpt-4o' }), {
    config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
    idleTimeoutMs: () => 60_000,
    run,
    schedule: (f) => f(),
  });
  s.tools = { json: JSON.stringify([weather, time]), format: 'tools' };
  return { s, requests };
}

const parallel = answer(
  '',
  [
    { id: 'call_w', type: 'function', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { id: 'call_t', type: 'function', name: 'get_time', arguments: '{}' },
  ],
  'tool_calls',
);

describe('tool round trip', () => {
  it('adds a result box per call, waits for both, then sends them with their ids', async () => {
    const { s, requests } = session([parallel]);
    s.draft = 'Weather and time in Paris?';
    await s.send();
    expect(requests[0]!.body.tools).toEqual([weather, time]);
    expect(s.messages.map((m) => [m.role, m.toolCallId, m.name])).toEqual([
      ['user', undefined, undefined],
      ['assistant', undefined, undefined],
      ['tool', 'call_w', 'get_weather'],
      ['tool', 'call_t', 'get_time'],
    ]);
    expect(s.sendBlocker).toMatch(/^Not sent: type a result for get_weather first/);

    s.editMessage(s.messages[2]!.id, { content: '21 C' });
    expect(s.sendBlocker).toMatch(/get_time/);
    s.editMessage(s.messages[3]!.id, { content: '10:00' });
    expect(s.sendBlocker).toBeNull();

    await s.send();
    expect(requests[1]!.body.messages.slice(2)).toEqual([
      { role: 'tool', content: '21 C', tool_call_id: 'call_w' },
      { role: 'tool', content: '10:00', tool_call_id: 'call_t' },
    ]);
    expect(s.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'Done.' });
  });

  it('an edited result re-runs the turn with Regenerate', async () => {
    const { s, requests } = session([parallel, answer('It is 21 C.', [], 'stop')]);
    s.draft = 'Weather?';
    await s.send();
    s.editMessage(s.messages[2]!.id, { content: '21 C' });
    s.editMessage(s.messages[3]!.id, { content: '10:00' });
    await s.send();
    expect(s.regenerable?.content).toBe('It is 21 C.');

    s.editMessage(s.messages[2]!.id, { content: '-3 C' });
    await s.regenerate();
    expect(requests).toHaveLength(3);
    expect(requests[2]!.body.messages[2]).toEqual({
      role: 'tool',
      content: '-3 C',
      tool_call_id: 'call_w',
    });
    expect(s.messages.filter((m) => m.role === 'assistant')).toHaveLength(2);
  });

  it('regenerating a tool-call answer drops its empty boxes, never typed ones', async () => {
    const { s } = session([parallel, answer('No tools needed.', [], 'stop')]);
    s.draft = 'Weather?';
    await s.send();
    expect(s.regenerable?.toolCalls).toHaveLength(2);
    await s.regenerate();
    expect(s.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(s.messages[1]!.content).toBe('No tools needed.');
  });

  it('a legacy function_call without an id gets one, and goes out as a function message', async () => {
    const legacy = answer(
      '',
      [{ id: '', type: 'function', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      'function_call',
    );
    const { s, requests } = session([legacy]);
    s.tools = { json: JSON.stringify([{ name: 'get_weather' }]), format: 'functions' };
    s.draft = 'Weather?';
    await s.send();
    const id = s.messages[1]!.toolCalls![0]!.id;
    expect(id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(s.messages[2]).toMatchObject({ role: 'tool', toolCallId: id, name: 'get_weather' });
    s.editMessage(s.messages[2]!.id, { content: '21 C' });
    await s.send();
    expect(requests[1]!.body.functions).toEqual([{ name: 'get_weather' }]);
    expect(requests[1]!.body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
      { role: 'function', name: 'get_weather', content: '21 C' },
    ]);
  });

  it('a mistake in the tools JSON blocks Send with its line and column, and keeps the text', () => {
    const { s } = session([]);
    s.draft = 'Hi';
    s.tools = { json: '[\n  {"type": "function", "function": {"name": "a"}},\n]', format: 'tools' };
    expect(s.sendBlocker).toMatch(
      /^Not sent: Tools JSON line 2, column 50: Trailing comma: remove the comma before \]\./,
    );
    expect(s.toConversation().tools.json).toContain('},\n]');
    s.tools = { json: '[{"type": "function", "function": {"name": "a"}}]', format: 'tools' };
    expect(s.sendBlocker).toBeNull();
  });
});

describe('the Tools region rules', () => {
  it('switching to legacy functions converts the definitions and drops what they cannot carry', async () => {
    const { s } = session([]);
    s.tools = { ...s.tools, choice: 'required', parallel: false };
    const setup = new ToolsSetup(s);
    await setup.switchFormat('functions');
    expect(s.tools.format).toBe('functions');
    expect(JSON.parse(s.tools.json)).toEqual([{ name: 'get_weather' }, { name: 'get_time' }]);
    // "required" and parallel_tool_calls exist only in the tools format.
    expect(s.tools).not.toHaveProperty('choice');
    expect(s.tools).not.toHaveProperty('parallel');

    await setup.switchFormat('tools');
    expect(JSON.parse(s.tools.json)).toEqual([weather, time]);
  });

  it('a named choice survives the switch; definitions that are not JSON are not switched', async () => {
    const { s } = session([]);
    s.tools = { ...s.tools, choice: { name: 'get_time' } };
    const setup = new ToolsSetup(s);
    await setup.switchFormat('functions');
    expect(s.tools.choice).toEqual({ name: 'get_time' });

    s.tools = { json: '[{"name": ', format: 'functions' };
    await setup.switchFormat('tools');
    expect(s.tools.format).toBe('functions');
    expect(setup.note).toMatchObject({ error: true, text: expect.stringMatching(/^Not switched/) });
  });

  it('adds a definition with a name of its own, and formats keeping numbers as typed', async () => {
    const { s } = session([]);
    const setup = new ToolsSetup(s);
    expect(await setup.append({ type: 'function', function: { name: 'get_time' } })).toBe(true);
    expect(setup.note?.text).toMatch(/^Added get_time/);
    expect(JSON.parse(s.tools.json)).toHaveLength(3);

    s.tools = { json: '[{"type":"function","function":{"name":"f","x":1.0}}]', format: 'tools' };
    await setup.format();
    expect(s.tools.json).toContain('"x": 1.0');
    expect(s.tools.json.split('\n').length).toBeGreaterThan(1);
  });

  it('a choice naming a function that is gone stays offered (and blocks Send)', () => {
    const { s } = session([]);
    s.tools = { ...s.tools, choice: { name: 'get_stock' } };
    const setup = new ToolsSetup(s);
    expect(setup.choiceNames).toEqual(['get_weather', 'get_time', 'get_stock']);
    s.draft = 'Hi';
    expect(s.sendBlocker).toMatch(/get_stock/);
  });
});
