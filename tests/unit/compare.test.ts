import { describe, expect, it } from 'vitest';
import {
  answerFigures,
  diffParams,
  paneHistory,
  paneSetup,
  resolveParams,
} from '../../src/lib/model/compare';
import {
  describeOverride,
  inputDifferences,
  lastAnswer,
  panesThatFit,
  parseSweepValues,
  ranks,
} from '../../src/lib/model/compare-summary';
import { createConversation } from '../../src/lib/model/conversation';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import { findPrice } from '../../src/lib/model/pricing';
import { MIN_SPEED_MS } from '../../src/lib/model/format';
import { emptyTools } from '../../src/lib/model/conversation';
import type { ComparePane, Message, Params } from '../../src/lib/model/types';

describe('pane parameters', () => {
  const shared: Params = { temperature: 0.7, stop: ['END'], max_tokens: 50 };

  it('resolves overrides on top of the shared parameters; null unsets', () => {
    expect(resolveParams(shared, { temperature: 0.1, max_tokens: null, seed: 7 })).toEqual({
      temperature: 0.1,
      stop: ['END'],
      seed: 7,
    });
    expect(resolveParams(shared, {})).toEqual(shared);
  });

  it('diffs back to the smallest overrides, comparing arrays and objects by value', () => {
    const wanted: Params = { temperature: 0.7, stop: ['END'], seed: 1 };
    expect(diffParams(shared, wanted)).toEqual({ max_tokens: null, seed: 1 });
    expect(diffParams(shared, { ...shared, stop: ['END'] })).toEqual({});
    expect(diffParams(shared, { ...shared, stop: ['END', 'STOP'] })).toEqual({
      stop: ['END', 'STOP'],
    });
    // Round trip: resolve(diff(x)) is x.
    const x: Params = { top_p: 0.2, logit_bias: { '50256': -100 } };
    expect(resolveParams(shared, diffParams(shared, x))).toEqual(x);
  });

  it('gives a pane its own model and whatever else it sets, the shared setup otherwise', () => {
    const conv = createConversation({ model: 'gpt-4', systemMessage: 'Be brief.', params: shared });
    const mine: Message = { id: 'p1', role: 'user', content: 'mine' };
    const pane: ComparePane = {
      id: 'pane',
      model: 'o3',
      overrides: { temperature: null },
      stream: false,
      linkedHistory: true,
      messages: [mine],
    };
    expect(paneSetup(conv, pane)).toEqual({
      model: 'o3',
      systemMessage: 'Be brief.',
      params: { stop: ['END'], max_tokens: 50 },
      stream: false,
      tools: conv.tools,
    });
    const before: Message = { id: 'm1', role: 'user', content: 'shared' };
    expect(paneHistory({ messages: [before] }, pane)).toEqual([before, mine]);
    expect(paneHistory({ messages: [before] }, { ...pane, linkedHistory: false })).toEqual([mine]);
  });

  it('describes an override as a chip reads', () => {
    expect(describeOverride('temperature', 0.2)).toBe('temperature 0.2');
    expect(describeOverride('max_tokens', null)).toBe('max_tokens not sent');
    expect(describeOverride('stop', ['a'])).toBe('stop ["a"]');
    expect(describeOverride('user', '')).toBe('user ""');
    expect(describeOverride('extra', 'x'.repeat(80))).toHaveLength('extra '.length + 80);
    expect(describeOverride('logit_bias', { a: 'x'.repeat(80) }).endsWith('…')).toBe(true);
  });
});

describe('answer figures', () => {
  const answer: Message = {
    id: 'a',
    role: 'assistant',
    content: 'Hi',
    model: 'gpt-4-0613',
    usage: { prompt: 1000, completion: 500, total: 1500 },
    timing: { startedAt: 10_000, firstTokenAt: 10_400, endedAt: 12_400 },
  };

  it('cost from reported usage and the price table; time to first token, total, tokens/s', () => {
    const f = answerFigures(answer, (m) => findPrice(m));
    const price = findPrice('gpt-4-0613')!.price;
    expect(f.priceKey).toBe(findPrice('gpt-4-0613')!.key);
    expect(f.cost).toBeCloseTo((1000 * price.input + 500 * price.output) / 1e6, 10);
    expect(f.ttftMs).toBe(400);
    expect(f.totalMs).toBe(2400);
    expect(f.tokensPerSec).toBe(250); // 500 tokens in the 2 s after the first
  });

  it('says no speed for an answer that came all at once (it would measure the page, not the model)', () => {
    const burst = {
      ...answer,
      timing: { startedAt: 10_000, firstTokenAt: 10_177, endedAt: 10_181 },
    };
    const f = answerFigures(burst, () => undefined);
    expect(f.tokensPerSec).toBeUndefined();
    expect(f.totalMs).toBe(181); // the times are still said
    const measured = { ...answer, timing: { ...burst.timing, endedAt: 10_177 + MIN_SPEED_MS } };
    expect(answerFigures(measured, () => undefined).tokensPerSec).toBe(5000);
  });

  it('leaves out what is unknown instead of guessing', () => {
    const f = answerFigures({ ...answer, model: undefined, usage: null, timing: undefined }, () => {
      throw new Error('not asked without a model');
    });
    expect(f).toEqual({ usage: null });
    const noPrice = answerFigures(answer, () => undefined);
    expect(noPrice.cost).toBeUndefined();
    expect(noPrice.tokensPerSec).toBe(250);
  });

  it('ranks lowest first, ties shared, unknown unranked', () => {
    expect(ranks([0.3, 0.1, undefined, 0.3])).toEqual([2, 1, undefined, 2]);
    expect(ranks([])).toEqual([]);
  });

  it('finds the last answer of a pane turn', () => {
    const u = (id: string): Message => ({ id, role: 'user', content: id });
    const a = (id: string): Message => ({ id, role: 'assistant', content: id });
    expect(lastAnswer([u('1'), a('2')])?.id).toBe('2');
    expect(lastAnswer([u('1'), a('2'), u('3')])).toBeUndefined();
    expect(lastAnswer([u('1'), a('2'), { id: 't', role: 'tool', content: '' }])?.id).toBe('2');
  });
});

describe('sweep values', () => {
  it('parses a list and checks every value against the parameter', () => {
    expect(parseSweepValues('temperature', '0, 0.7, 1.4')).toEqual({
      ok: true,
      value: [0, 0.7, 1.4],
    });
    expect(parseSweepValues('seed', '1 2 3')).toEqual({ ok: true, value: [1, 2, 3] });
    expect(parseSweepValues('temperature', '0, 3')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Temperature must be between 0 and 2'),
    });
    expect(parseSweepValues('temperature', '0, warm')).toEqual({
      ok: false,
      error: '"warm" is not a number.',
    });
    expect(parseSweepValues('top_p', '0.5')).toMatchObject({ ok: false });
    expect(parseSweepValues('top_p', '0.5, 0.5')).toMatchObject({ ok: false });
    expect(parseSweepValues('top_p', '')).toMatchObject({ ok: false });
    expect(parseSweepValues('seed', '1,2,3,4,5,6,7,8,9')).toEqual({
      ok: false,
      error: 'At most 8 values (one pane each).',
    });
    expect(parseSweepValues('max_tokens', '10, 2.5')).toMatchObject({ ok: false });
  });
});

describe('stored compare records', () => {
  const base = () => JSON.parse(JSON.stringify(createConversation())) as Record<string, unknown>;

  it('reads panes back, keeping null overrides of known parameters only', () => {
    const raw = {
      ...base(),
      compare: {
        active: true,
        panes: [
          {
            id: 'p1',
            model: 'gpt-4',
            overrides: { temperature: 0.2, max_tokens: null, bogus: null, top_p: 'high' },
            linkedHistory: true,
            messages: [{ id: 'm', role: 'assistant', content: 'partial', status: 'streaming' }],
          },
        ],
      },
    };
    const r = migrateConversation(raw);
    expect(r.ok).toBe(true);
    const pane = r.ok ? r.value.compare!.panes[0]! : undefined;
    expect(pane?.overrides).toEqual({ temperature: 0.2, max_tokens: null });
    // A pane answer cut by a closed page is marked, as in the shared history.
    expect(pane?.messages[0]?.status).toBe('interrupted');
  });

  it('names the path of a bad pane', () => {
    const r = migrateConversation({
      ...base(),
      compare: { active: true, panes: [{ id: 'p', messages: [{ role: 'robot' }] }] },
    });
    expect(r).toMatchObject({
      ok: false,
      error: expect.stringContaining('compare.panes[0].messages[0].role'),
    });
    expect(migrateConversation({ ...base(), compare: 'yes' })).toMatchObject({
      ok: false,
      error: 'compare: expected an object',
    });
  });

  it('a conversation without compare has none', () => {
    const r = migrateConversation(base());
    expect(r.ok && 'compare' in r.value).toBe(false);
  });
});

describe('inputDifferences', () => {
  const msg = (role: Message['role'], content: string): Message => ({
    id: `${role}-${content}`,
    role,
    content,
  });
  const base = {
    systemMessage: 'Be brief.',
    tools: emptyTools(),
    params: { temperature: 0.7 } as Params,
    history: [msg('user', 'Hi'), msg('assistant', 'Hello!'), msg('user', 'Capital of France?')],
  };
  const pane = (name: string, change: Partial<typeof base> = {}) => ({
    name,
    input: { ...base, ...change },
  });

  it('is empty when the panes were asked the same; answers, sampling parameters and models may differ', () => {
    expect(
      inputDifferences([
        pane('Pane 1'),
        pane('Pane 2', {
          params: { temperature: 0 },
          history: [msg('user', 'Hi'), msg('assistant', 'Hey.'), msg('user', 'Capital of France?')],
        }),
      ]),
    ).toEqual([]);
    expect(inputDifferences([pane('Pane 1')])).toEqual([]);
  });

  it('names the system message, tools and earlier turns that differ from the first pane', () => {
    const tools = { ...emptyTools(), json: '[{"type":"function","function":{"name":"f"}}]' };
    expect(
      inputDifferences([
        pane('Pane 1'),
        pane('Pane 2', { systemMessage: 'Be verbose.', tools }),
        pane('Pane 3', { history: [msg('user', 'Capital of France?')] }),
        pane('Pane 4', { systemMessage: 'Pirate.' }),
      ]),
    ).toEqual([
      'system message: Pane 2 and Pane 4 differ from Pane 1',
      'tools: Pane 2 differs from Pane 1',
      'earlier turns: Pane 3 differs from Pane 1',
    ]);
  });

  it('names parameters that change the prompt or the length with each pane value', () => {
    expect(
      inputDifferences([
        pane('Pane 1', { params: { max_tokens: 256, n: 2 } }),
        pane('Pane 2', { params: { n: 2 } }),
      ]),
    ).toEqual(['max_tokens: Pane 1 256, Pane 2 not sent']);
    // Blank tools JSON sends nothing, whatever the other tool settings say.
    expect(
      inputDifferences([
        pane('Pane 1'),
        pane('Pane 2', { tools: { ...emptyTools(), parallel: false } }),
      ]),
    ).toEqual([]);
  });
});

describe('panesThatFit', () => {
  it('fits whole panes of at least 400 px, 12 px apart; one at the least, every pane when unmeasured', () => {
    // 1920 px less two collapsed rails: four panes.
    expect(panesThatFit(1800, 4)).toBe(4);
    expect(panesThatFit(1636, 6)).toBe(4);
    expect(panesThatFit(1635, 6)).toBe(3);
    // 1280 px: two side by side.
    expect(panesThatFit(1000, 4)).toBe(2);
    expect(panesThatFit(358, 4)).toBe(1);
    expect(panesThatFit(2400, 2)).toBe(2);
    expect(panesThatFit(0, 3)).toBe(3);
  });
});
