import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { RunRequest, RunResult } from '../../src/lib/api';
import { emptyAnswer } from '../../src/lib/api/accumulator';
import { answerState } from '../builders/answers';
import { createConversation } from '../../src/lib/model/conversation';
import type { AppError } from '../../src/lib/model/types';
import { ChatSession } from '../../src/lib/state/chat-session.svelte';

const answerWith = (content: string, finishReason: string | null, usage = true) =>
  answerState(content, finishReason, { usage });

/** A fake runner the test drives step by step, recording the request it got. */
function scriptedRun(script: (req: RunRequest) => Promise<RunResult>) {
  const requests: RunRequest[] = [];
  const run = (req: RunRequest) => {
    requests.push(req);
    return script(req);
  };
  return { run, requests };
}

function makeSession(run: (req: RunRequest) => Promise<RunResult>) {
  const flushes: (() => void)[] = [];
  /** What each schedule() was told the answer gained since it was last drawn. */
  const grown: number[] = [];
  const session = new ChatSession(
    createConversation({ model: 'gpt-4', systemMessage: 'Be brief.' }),
    {
      config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
      idleTimeoutMs: () => 60_000,
      run,
      schedule: (f, grownBy) => {
        flushes.push(f);
        grown.push(grownBy);
      },
    },
  );
  return { session, flushes, grown };
}

const timing = { startedAt: 1, firstTokenAt: 2, endedAt: 3 };

describe('ChatSession', () => {
  it('sends the draft with the system message and stores the answer with usage', async () => {
    const { run, requests } = scriptedRun(async () => ({
      answer: answerWith('Hi!', 'stop'),
      outcome: 'done',
      timing,
      requestId: 'req_1',
    }));
    const { session } = makeSession(run);
    session.draft = 'Hello';
    await session.send();
    expect(requests[0]!.body).toEqual({
      model: 'gpt-4',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(session.draft).toBe('');
    expect(session.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'Hello', undefined],
      ['assistant', 'Hi!', 'done'],
    ]);
    expect(session.messages[1]!.usage).toEqual({ prompt: 10, completion: 3, total: 13 });
    expect(session.messages[1]!.requestId).toBe('req_1');
    expect(session.busy).toBe(false);
  });

  it('batches streamed updates: nothing changes until the scheduled flush runs', async () => {
    let resolve!: (r: RunResult) => void;
    const { run, requests } = scriptedRun(() => new Promise((r) => (resolve = r)));
    const { session, flushes } = makeSession(run);
    session.draft = 'Hello';
    const done = session.send();
    const req = requests[0]!;
    req.onUpdate(answerWith('He', null), timing);
    req.onUpdate(answerWith('Hello th', null), timing);
    expect(flushes).toHaveLength(1);
    expect(session.messages.at(-1)!.content).toBe('');
    const before = session.messages[0];
    flushes[0]!();
    expect(session.messages.at(-1)!.content).toBe('Hello th');
    // Earlier messages keep their identity, so their views do not re-render.
    expect(session.messages[0]).toBe(before);
    resolve({ answer: answerWith('Hello there', 'stop'), outcome: 'done', timing });
    await done;
    expect(session.messages.at(-1)!.content).toBe('Hello there');
  });

  it('tells the scheduler how much text the answer gained since it was last drawn', async () => {
    let resolve!: (r: RunResult) => void;
    const { run, requests } = scriptedRun(() => new Promise((r) => (resolve = r)));
    const { session, flushes, grown } = makeSession(run);
    session.draft = 'Hello';
    const done = session.send();
    const req = requests[0]!;
    req.onUpdate(answerWith('He', null), timing);
    flushes[0]!();
    req.onUpdate(answerWith('Hello th', null), timing);
    req.onUpdate(answerWith('Hello there, a much longer answer', null), timing);
    // The second draw was asked for by the first update after the draw: 8 - 2.
    expect(grown).toEqual([2, 6]);
    flushes[1]!(); // draws the latest: 'Hello there, a much longer answer'
    req.onUpdate(answerWith(`Hello there, a much longer answer${'!'.repeat(500)}`, null), timing);
    expect(grown).toEqual([2, 6, 500]);
    resolve({ answer: answerWith('Hello there', 'stop'), outcome: 'done', timing });
    await done;
  });

  it('Stop keeps the partial answer, marked as stopped', async () => {
    const { run } = scriptedRun(
      (req) =>
        new Promise((resolve) => {
          req.onUpdate(answerWith('Once upon', null), timing);
          req.signal.addEventListener('abort', () =>
            resolve({ answer: answerWith('Once upon', null, false), outcome: 'stopped', timing }),
          );
        }),
    );
    const { session } = makeSession(run);
    session.draft = 'Tell a story';
    const done = session.send();
    expect(session.busy).toBe(true);
    session.stop();
    await done;
    const last = session.messages.at(-1)!;
    expect([last.content, last.status, last.usage]).toEqual(['Once upon', 'stopped', null]);
  });

  it('a failure with no answer puts the text back in the composer and shows the error', async () => {
    const error: AppError = {
      kind: 'auth',
      message: 'The key was rejected by api.openai.com (401). Check it in Settings.',
      status: 401,
      retryable: false,
    };
    const { run } = scriptedRun(async () => ({
      answer: emptyAnswer(),
      outcome: 'error',
      error,
      timing,
    }));
    const { session } = makeSession(run);
    session.draft = 'My carefully typed question';
    await session.send();
    expect(session.draft).toBe('My carefully typed question');
    expect(session.messages).toEqual([]);
    expect(session.error).toEqual(error);
  });

  it('a failure part way keeps the partial answer with the error attached', async () => {
    const error: AppError = { kind: 'stream', message: 'bad chunk', retryable: true };
    const { run } = scriptedRun(async () => ({
      answer: answerWith('Partial', null, false),
      outcome: 'error',
      error,
      timing,
    }));
    const { session } = makeSession(run);
    session.draft = 'Q';
    await session.send();
    const last = session.messages.at(-1)!;
    expect([last.content, last.status, last.error]).toEqual(['Partial', 'error', error]);
    expect(session.error).toBeNull();
  });

  it('regenerate replaces the last answer; edit and delete change what is sent next', async () => {
    let n = 0;
    const { run, requests } = scriptedRun(async () => ({
      answer: answerWith(`answer ${++n}`, 'stop'),
      outcome: 'done',
      timing,
    }));
    const { session } = makeSession(run);
    session.draft = 'Q1';
    await session.send();
    await session.regenerate();
    expect(session.messages.map((m) => m.content)).toEqual(['Q1', 'answer 2']);
    session.editMessage(session.messages[0]!.id, { content: 'Q1 edited' });
    const added = session.addMessage('assistant', 'hand-written');
    session.deleteMessage(session.messages[1]!.id);
    expect(session.messages.map((m) => m.id)).toContain(added);
    session.draft = 'Q2';
    await session.send();
    expect(requests.at(-1)!.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Q1 edited' },
      { role: 'assistant', content: 'hand-written' },
      { role: 'user', content: 'Q2' },
    ]);
  });

  it('refuses to send with no model or nothing to send, saying why', () => {
    const { session } = makeSession(scriptedRun(async () => ({}) as RunResult).run);
    expect(session.sendBlocker).toBe('Type a message first.');
    session.draft = 'x';
    session.model = ' ';
    flushSync();
    expect(session.sendBlocker).toBe('Choose a model first.');
  });
});
