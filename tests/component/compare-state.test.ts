// The compare state class on its own: panes, overrides → request bodies,
// concurrent sends that fail and stop independently, and what is stored.
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import type { AppError } from '../../src/lib/model/types';
import type { Pane } from '../../src/lib/state/compare-pane.svelte';
import { answerState } from '../builders/answers';
import { compareSetup, timing } from './helpers/compare';

const setup = compareSetup;

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('CompareState panes', () => {
  it('starts with the conversation model against gpt-3.5-turbo, adds up to 8 and removes with undo', () => {
    const { compare } = setup();
    compare.start();
    expect(compare.active).toBe(true);
    expect(compare.panes.map((p) => p.model)).toEqual(['gpt-4', 'gpt-3.5-turbo']);
    while (compare.canAdd) compare.addPane();
    expect(compare.panes).toHaveLength(8);
    expect(compare.addPane()).toBeUndefined();

    const second = compare.panes[1]!;
    compare.removePane(second.id);
    expect(compare.panes).toHaveLength(7);
    expect(compare.find(second.id)).toBeUndefined();
    expect(compare.undoStep?.message).toContain('Removed Pane 2 (gpt-3.5-turbo)');
    compare.undo();
    expect(compare.panes).toHaveLength(8);
    expect(compare.panes[1]!.model).toBe('gpt-3.5-turbo');
  });

  it('a second model when the conversation already uses gpt-3.5-turbo', () => {
    const { compare } = setup({ model: 'gpt-3.5-turbo' });
    compare.start();
    expect(compare.panes.map((p) => p.model)).toEqual(['gpt-3.5-turbo', 'gpt-4']);
  });

  it('leaving keeps the panes for when compare comes back', () => {
    const { compare } = setup();
    compare.start();
    compare.panes[0]!.model = 'gpt-4o';
    compare.leave();
    expect(compare.active).toBe(false);
    compare.start();
    expect(compare.panes.map((p) => p.model)).toEqual(['gpt-4o', 'gpt-3.5-turbo']);
  });
});

describe('CompareState: a pane added after earlier turns', () => {
  /** Two panes that answered "Hello", then a third added. */
  async function lateThird() {
    const s = setup();
    s.compare.start();
    s.shared.draft = 'Hello';
    const sent = s.compare.send();
    s.answer('gpt-4', 'Four');
    s.answer('gpt-3.5-turbo', 'Three');
    await sent;
    const third = s.compare.addPane('gpt-4o')!;
    return { ...s, third };
  }

  it('counts the turns it missed; the panes that were there missed none', async () => {
    const { compare, third } = await lateThird();
    expect(compare.missedTurns(third)).toBe(1);
    expect(compare.missedTurns(compare.panes[0]!)).toBe(0);
    // Without a copy its request carries only the shared history and the new message.
    expect(third.session.history).toEqual([]);
  });

  it('a pane holding its own copy of the shared history is level with the linked ones', () => {
    const { compare, shared } = setup();
    shared.replaceMessages([
      { id: 'u0', role: 'user', content: 'Hi' },
      { id: 'a0', role: 'assistant', content: 'Hello!' },
    ]);
    compare.start();
    const [one, two] = compare.panes as [Pane, Pane];
    one.unlinkHistory();
    expect(one.session.messages).toHaveLength(2);
    expect(compare.missedTurns(two)).toBe(0);
    expect(compare.missedTurns(one)).toBe(0);
    expect(two.sharedCount).toBe(2);
    expect(one.sharedCount).toBe(0);
  });

  it("takes another pane's turns with fresh ids and goes on from that thread", async () => {
    const { compare, third, calls } = await lateThird();
    const second = compare.panes[1]!;
    compare.copyTurns(third.id, second.id);
    expect(third.session.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Three'],
    ]);
    const ids = new Set(second.session.messages.map((m) => m.id));
    expect(third.session.messages.some((m) => ids.has(m.id))).toBe(false);
    expect(compare.missedTurns(third)).toBe(0);
    expect(third.linkedHistory).toBe(true);

    compare.copyTurns(third.id, third.id);
    expect(third.session.messages).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });
});

describe('CompareState overrides', () => {
  it('turns what a pane editor writes into overrides, and overrides into its request body', async () => {
    const { shared, compare, bodyOf, answer } = setup({
      systemMessage: 'Be brief.',
      params: { temperature: 0.7, max_tokens: 100 },
    });
    compare.start();
    const [one, two] = compare.panes;
    // The pane's parameter editor writes whole objects, as ParamsPanel does.
    two!.session.params = { ...two!.session.params, temperature: 0.2 };
    const { max_tokens: _dropped, ...withoutMax } = one!.session.params;
    one!.session.params = withoutMax;
    expect(two!.overrides).toEqual({ temperature: 0.2 });
    expect(one!.overrides).toEqual({ max_tokens: null });

    // A shared change reaches every pane that does not override it.
    shared.params = { ...shared.params, top_p: 0.5 };
    expect(one!.params).toEqual({ temperature: 0.7, top_p: 0.5 });
    expect(two!.params).toEqual({ temperature: 0.2, max_tokens: 100, top_p: 0.5 });

    shared.draft = 'Hello';
    const sent = compare.send();
    expect(shared.draft).toBe('');
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
    ];
    expect(bodyOf('gpt-4')).toMatchObject({ model: 'gpt-4', messages, temperature: 0.7 });
    expect(bodyOf('gpt-4')).not.toHaveProperty('max_tokens');
    expect(bodyOf('gpt-3.5-turbo')).toMatchObject({
      model: 'gpt-3.5-turbo',
      messages,
      temperature: 0.2,
      max_tokens: 100,
      top_p: 0.5,
    });
    answer('gpt-4', 'A');
    answer('gpt-3.5-turbo', 'B');
    await sent;

    // Setting a value equal to the shared one is no override: the pane follows again.
    two!.session.params = { ...two!.session.params, temperature: 0.7 };
    expect(two!.overrides).toEqual({});
    two!.session.params = { ...two!.session.params, temperature: 1.1 };
    two!.resetOverride('temperature');
    expect(two!.params.temperature).toBe(0.7);
  });

  it('a pane can stream differently and have its own system message and tools', () => {
    const { shared, compare } = setup({ systemMessage: 'Shared.' });
    compare.start();
    const pane = compare.panes[1]!;
    pane.session.stream = false;
    expect(pane.streamOverride).toBe(false);
    expect(compare.panes[0]!.session.stream).toBe(true);

    pane.setOwnSystem(true);
    pane.session.systemMessage = 'Own.';
    expect(shared.systemMessage).toBe('Shared.');
    expect(pane.systemMessage).toBe('Own.');
    // A linked pane edits the shared one.
    compare.panes[0]!.session.systemMessage = 'Shared, edited.';
    expect(shared.systemMessage).toBe('Shared, edited.');
    expect(pane.systemMessage).toBe('Own.');

    pane.setOwnTools(true);
    pane.session.tools = { ...pane.session.tools, json: '[]' };
    expect(shared.tools.json).toBe('');
    expect(pane.tools.json).toBe('[]');
    pane.setOwnTools(false);
    expect(pane.tools).toBe(shared.tools);
  });
});

describe('CompareState sending', () => {
  it('sends to every pane concurrently; follow-ups continue each pane own history', async () => {
    const { shared, compare, calls, answer } = setup();
    shared.replaceMessages([
      { id: 'u0', role: 'user', content: 'Earlier' },
      { id: 'a0', role: 'assistant', content: 'Earlier answer' },
    ]);
    compare.start();
    shared.draft = 'Q1';
    const first = compare.send();
    // Both requests are in flight before either answers.
    expect(calls).toHaveLength(2);
    expect(compare.busy).toBe(true);
    expect(compare.sendBlocker).toMatch(/Pane 1 is still answering/);
    answer('gpt-3.5-turbo', 'from 3.5');
    await settle();
    expect(compare.panes[1]!.session.busy).toBe(false);
    expect(compare.panes[0]!.session.busy).toBe(true);
    answer('gpt-4', 'from 4');
    await first;

    shared.draft = 'Q2';
    const second = compare.send();
    const followUps = calls.slice(2).map((c) => c.req.body);
    const texts = (b: (typeof followUps)[number]) =>
      (b.messages as { content: string }[]).map((m) => m.content);
    expect(texts(followUps.find((b) => b.model === 'gpt-4')!)).toEqual([
      'Earlier',
      'Earlier answer',
      'Q1',
      'from 4',
      'Q2',
    ]);
    expect(texts(followUps.find((b) => b.model === 'gpt-3.5-turbo')!)).toEqual([
      'Earlier',
      'Earlier answer',
      'Q1',
      'from 3.5',
      'Q2',
    ]);
    for (const c of calls.slice(2)) {
      c.resolve({ answer: answerState('x', 'stop'), outcome: 'done', timing });
    }
    await second;
    // The shared history itself is untouched.
    expect(shared.messages.map((m) => m.id)).toEqual(['u0', 'a0']);
  });

  it('take() empties the composer at once; the panes get the draft when its send runs', async () => {
    const { shared, compare, calls, answer } = setup();
    compare.start();
    shared.draft = 'Hello';
    const toPanes = compare.take()!;
    // The box is empty and Send waits (nothing typed), but nothing is sent yet.
    expect(shared.draft).toBe('');
    expect(compare.sendBlocker).toBe('Type a message first.');
    expect(calls).toHaveLength(0);
    expect(compare.panes.every((p) => p.session.messages.length === 0)).toBe(true);
    const sent = toPanes();
    expect(calls.map((c) => c.req.body.model).sort()).toEqual(['gpt-3.5-turbo', 'gpt-4']);
    answer('gpt-4', 'Four');
    answer('gpt-3.5-turbo', 'Three');
    await sent;
    expect(compare.panes.map((p) => p.session.messages.map((m) => m.content))).toEqual([
      ['Hello', 'Four'],
      ['Hello', 'Three'],
    ]);
    // Blocked: nothing is taken.
    expect(compare.take()).toBeNull();
  });

  it('images attached to the shared draft go to every pane, with or without text', async () => {
    const { shared, compare, calls } = setup();
    compare.start();
    const image = { url: 'data:image/png;base64,iVBORw0KGgo=', name: 'a.png' };
    shared.draftImages = [image];
    expect(compare.sendBlocker).toBeNull();
    const sending = compare.send();
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.req.body.messages.at(-1)).toEqual({
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: image.url } }],
      });
    }
    expect(shared.draftImages).toEqual([]);
    for (const c of calls) c.resolve({ answer: answerState('x', 'stop'), outcome: 'done', timing });
    await sending;
  });

  it('a pane that fails keeps its turn and its error; the other pane completes', async () => {
    const { shared, compare, calls, answer } = setup();
    compare.start();
    shared.draft = 'Hello';
    const sent = compare.send();
    const rateLimited: AppError = {
      kind: 'rate_limit',
      message: 'Rate limited (429).',
      status: 429,
      retryable: true,
    };
    calls
      .find((c) => c.req.body.model === 'gpt-4')!
      .resolve({
        answer: answerState('', null, { usage: false }),
        outcome: 'error',
        timing,
        error: rateLimited,
      });
    answer('gpt-3.5-turbo', 'Fine.');
    await sent;
    const [failed, ok] = compare.panes;
    expect(failed!.session.error?.status).toBe(429);
    expect(failed!.session.messages.map((m) => [m.role, m.content])).toEqual([['user', 'Hello']]);
    expect(ok!.session.error).toBeNull();
    expect(ok!.session.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Fine.'],
    ]);
    expect(shared.draft).toBe('');

    // Send with no draft answers only the pane still waiting.
    expect(compare.sendBlocker).toBeNull();
    const retry = compare.send();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.req.body.model).toBe('gpt-4');
    calls[2]!.resolve({ answer: answerState('Now fine.', 'stop'), outcome: 'done', timing });
    await retry;
    expect(failed!.session.messages.at(-1)?.content).toBe('Now fine.');
    expect(compare.sendBlocker).toBe('Type a message first.');
  });

  it('stops one pane only; the global stop stops all', async () => {
    const { shared, compare, calls } = setup();
    compare.start();
    shared.draft = 'Hello';
    const sent = compare.send();
    compare.panes[0]!.session.stop();
    expect(calls[0]!.req.signal.aborted).toBe(true);
    expect(calls[1]!.req.signal.aborted).toBe(false);
    compare.stopAll();
    expect(calls[1]!.req.signal.aborted).toBe(true);
    for (const c of calls) {
      c.resolve({ answer: answerState('part', null), outcome: 'stopped', timing });
    }
    await sent;
    expect(compare.panes.map((p) => p.session.messages.at(-1)?.status)).toEqual([
      'stopped',
      'stopped',
    ]);
  });

  it('a pane with an invalid override blocks the shared Send and says which', () => {
    const { shared, compare } = setup();
    compare.start();
    compare.panes[1]!.session.params = { temperature: 9 };
    shared.draft = 'Hello';
    expect(compare.sendBlocker).toMatch(/^Pane 2: Not sent: Temperature must be between/);
    compare.panes[1]!.model = ' ';
    compare.panes[1]!.session.params = {};
    expect(compare.sendBlocker).toBe('Pane 2: Choose a model first.');
  });
});

describe('CompareState answers', () => {
  async function answered() {
    const s = setup();
    s.compare.start();
    s.shared.draft = 'Hello';
    const sent = s.compare.send();
    s.answer('gpt-4', 'Four');
    s.answer('gpt-3.5-turbo', 'Three');
    await sent;
    return s;
  }

  it('"use this answer" makes one pane thread the shared history, with undo', async () => {
    const { shared, compare } = await answered();
    const pane = compare.panes[1]!;
    const answer = pane.session.messages.at(-1)!;
    compare.useAnswer(pane.id, answer.id);
    expect(shared.messages.map((m) => m.content)).toEqual(['Hello', 'Three']);
    expect(compare.panes.every((p) => p.session.messages.length === 0)).toBe(true);
    expect(compare.undoStep?.usedPane).toBe(pane.id);

    compare.undo();
    expect(shared.messages).toEqual([]);
    expect(compare.panes.map((p) => p.session.messages.at(-1)?.content)).toEqual(['Four', 'Three']);
  });

  it('continuing with one pane leaves compare with its model and parameters', async () => {
    const { shared, compare } = await answered();
    const pane = compare.panes[1]!;
    pane.session.params = { temperature: 0.3 };
    compare.useAnswer(pane.id, pane.session.messages.at(-1)!.id);
    compare.continueWith(pane.id);
    expect(compare.active).toBe(false);
    expect(shared.model).toBe('gpt-3.5-turbo');
    expect(shared.params).toEqual({ temperature: 0.3 });
  });

  it('a sweep makes one pane per value, with n samples each', async () => {
    const { shared, compare, calls } = setup();
    compare.start();
    compare.sweep({ model: 'gpt-4o-mini', key: 'temperature', values: [0, 0.7, 1.4], n: 3 });
    expect(compare.panes.map((p) => p.label)).toEqual([
      'Temperature 0',
      'Temperature 0.7',
      'Temperature 1.4',
    ]);
    shared.draft = 'Hi';
    void compare.send();
    expect(calls.map((c) => [c.req.body.model, c.req.body.temperature, c.req.body.n])).toEqual([
      ['gpt-4o-mini', 0, 3],
      ['gpt-4o-mini', 0.7, 3],
      ['gpt-4o-mini', 1.4, 3],
    ]);
    compare.stopAll();
  });

  it('what is stored reads back through the conversation gate unchanged', async () => {
    const { shared, compare } = await answered();
    compare.panes[0]!.session.params = { temperature: 0.1 };
    compare.panes[1]!.setOwnSystem(true);
    // A label comes with a pane (a sweep names its value); here it is loaded with one.
    const rec = compare.toRecord()!;
    compare.load({
      ...rec,
      panes: rec.panes.map((p, i) => (i === 1 ? { ...p, label: 'mine' } : p)),
    });
    flushSync();
    const stored = { ...shared.toConversation(), compare: compare.toRecord() };
    const back = migrateConversation(JSON.parse(JSON.stringify(stored)));
    expect(back.ok && back.value.compare).toEqual(stored.compare);

    const again = setup();
    again.compare.load(back.ok ? back.value.compare : undefined);
    expect(again.compare.panes.map((p) => [p.model, p.label, p.session.messages.length])).toEqual([
      ['gpt-4', undefined, 2],
      ['gpt-3.5-turbo', 'mine', 2],
    ]);
    expect(again.compare.panes[0]!.overrides).toEqual({ temperature: 0.1 });
  });
});
