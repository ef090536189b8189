// Results the user plays back for tool calls: which call each answers, what
// blocks Send, and how result boxes are added and removed.

import { describe, expect, it } from 'vitest';
import {
  answeredCalls,
  callSlots,
  localCallId,
  readArguments,
  regenerableAnswer,
  toolResultsProblem,
  withoutEmptyResults,
  withResultSlots,
} from '../../src/lib/model/tools';
import type { Message, ToolCall } from '../../src/lib/model/types';

const call = (id: string, name: string, args = '{}'): ToolCall => ({
  id,
  type: 'function',
  name,
  arguments: args,
});
const result = (id: string, toolCallId: string, content = ''): Message => ({
  id,
  role: 'tool',
  content,
  toolCallId,
});
const user: Message = { id: 'u', role: 'user', content: 'Weather and time in Paris?' };
const answer: Message = {
  id: 'a',
  role: 'assistant',
  content: '',
  status: 'done',
  toolCalls: [call('c1', 'get_weather'), call('c2', 'get_time')],
};

let n = 0;
const makeId = () => `new${++n}`;

describe('linking results to calls', () => {
  it('matches results by call id in the run right after the answer', () => {
    const msgs = [user, answer, result('t2', 'c2', '10:00'), result('t1', 'c1', '21 C')];
    expect(callSlots(msgs, 1).map((s) => s.result?.id)).toEqual(['t1', 't2']);
    expect(answeredCalls(msgs)).toEqual(
      new Map([
        ['t2', answer.toolCalls![1]],
        ['t1', answer.toolCalls![0]],
      ]),
    );
  });

  it('a result after a user turn answers nothing', () => {
    const msgs = [answer, user, result('t1', 'c1', 'x')];
    expect(callSlots(msgs, 0).every((s) => !s.result)).toBe(true);
    expect(answeredCalls(msgs).get('t1')).toBeUndefined();
  });
});

describe('what blocks Send', () => {
  it('a call without a result, naming it and its id', () => {
    expect(toolResultsProblem([user, answer, result('t1', 'c1', '21 C')])).toBe(
      'tool call get_time (c2) has no result; add one, or delete that answer.',
    );
  });

  it('an empty result box', () => {
    const msgs = [user, answer, result('t1', 'c1', '21 C'), result('t2', 'c2', '  ')];
    expect(toolResultsProblem(msgs)).toMatch(/^type a result for get_time first/);
  });

  it('nothing once every call has a result', () => {
    const msgs = [user, answer, result('t1', 'c1', '21 C'), result('t2', 'c2', '10:00')];
    expect(toolResultsProblem(msgs)).toBeNull();
    expect(toolResultsProblem([user])).toBeNull();
  });
});

describe('result boxes', () => {
  it('adds one empty box per unanswered call, after the existing results', () => {
    const msgs = withResultSlots([user, answer, result('t2', 'c2', '10:00')], 'a', makeId);
    expect(msgs.map((m) => [m.role, m.toolCallId, m.content])).toEqual([
      ['user', undefined, 'Weather and time in Paris?'],
      ['assistant', undefined, ''],
      ['tool', 'c2', '10:00'],
      ['tool', 'c1', ''],
    ]);
    expect(msgs[3]!.name).toBe('get_weather');
    // Nothing to add: the same messages.
    expect(withResultSlots(msgs, 'a', makeId)).toEqual(msgs);
  });

  it('removes only the empty boxes, never a typed result', () => {
    const msgs = [user, answer, result('t1', 'c1', '21 C'), result('t2', 'c2')];
    expect(withoutEmptyResults(msgs, 'a').map((m) => m.id)).toEqual(['u', 'a', 't1']);
  });
});

describe('regenerate', () => {
  it('targets the last answer when only its empty boxes follow', () => {
    expect(regenerableAnswer([user, answer, result('t1', 'c1'), result('t2', 'c2')])).toBe(answer);
  });

  it('targets nothing once a result is typed or a user turn follows', () => {
    expect(regenerableAnswer([user, answer, result('t1', 'c1', '21 C')])).toBeUndefined();
    expect(regenerableAnswer([answer, user])).toBeUndefined();
  });
});

describe('arguments', () => {
  it('pretty-prints valid JSON', () => {
    expect(readArguments(call('c', 'f', '{"a":1,"b":[2]}'))).toEqual({
      ok: true,
      value: '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}',
    });
  });

  it('keeps cut-off arguments as they came and says why', () => {
    const r = readArguments(call('c', 'f', '{"location": "Par'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(
      /^The model's arguments are not valid JSON \(line 1, column \d+\): .+ Shown as they came\.$/,
    );
  });

  it('shows custom tool input as text', () => {
    const custom: ToolCall = { id: 'c', type: 'custom', name: 'sql', arguments: 'SELECT 1' };
    expect(readArguments(custom)).toEqual({ ok: true, value: 'SELECT 1' });
  });

  it('makes call ids in the API style', () => {
    expect(localCallId('0f8e3c1a-1234-4abc-9def-00112233aabb')).toBe(
      'call_0f8e3c1a12344abc9def0011',
    );
  });
});
