import { describe, expect, it } from 'vitest';
import { PricesState } from '../../src/lib/state/prices.svelte';
import {
  BUILTIN_PRICES,
  costOfPrompt,
  costOfUsage,
  findPrice,
  formatUsd,
  mergePrices,
  readPriceTable,
} from '../../src/lib/model/pricing';

describe('findPrice', () => {
  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4', 'gpt-4'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-4-32k-0613', 'gpt-4-32k'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['o3-2025-04-16', 'o3'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['GPT-4o', 'gpt-4o'],
    ['openai/gpt-4o', 'gpt-4o'],
  ])('%s is priced as %s (longest prefix wins)', (model, key) => {
    expect(findPrice(model)?.key).toBe(key);
  });

  it.each(['gpt-4.5-preview', 'gpt-4oo', 'llama3.1:8b', 'o10', ''])(
    '%s has no price rather than a near miss',
    (model) => {
      expect(findPrice(model)).toBeUndefined();
    },
  );

  it("the user's prices win over built-ins and add new models", () => {
    const table = mergePrices({
      'gpt-4o': { input: 1, output: 2 },
      'llama3.1': { input: 0, output: 0 },
    });
    expect(findPrice('gpt-4o-2024-08-06', table)?.price).toEqual({ input: 1, output: 2 });
    expect(findPrice('llama3.1-8b', table)?.key).toBe('llama3.1');
    expect(findPrice('gpt-4o-mini', table)?.price).toEqual(BUILTIN_PRICES['gpt-4o-mini']);
  });
});

describe('cost', () => {
  it('prices prompt and completion tokens at their own rates', () => {
    // gpt-4o: $2.50 in, $10 out per 1M
    const cost = costOfUsage(
      { prompt: 1000, completion: 500, total: 1500 },
      BUILTIN_PRICES['gpt-4o']!,
    );
    expect(cost).toBeCloseTo(0.0075, 10);
    expect(formatUsd(cost)).toBe('$0.0075');
  });

  it('prices cached prompt tokens at the cached rate', () => {
    const usage = { prompt: 1000, completion: 0, total: 1000, cachedPrompt: 600 };
    // 400 fresh at $2.50 + 600 cached at $1.25 per 1M
    expect(costOfUsage(usage, BUILTIN_PRICES['gpt-4o']!)).toBeCloseTo(0.00175, 10);
    // no cached rate: cached tokens cost the full input price
    expect(costOfUsage(usage, { input: 2, output: 8 })).toBeCloseTo(0.002, 10);
  });

  it('prices audio tokens at the audio rates, text tokens at the text rates', () => {
    const usage = {
      prompt: 1000,
      completion: 500,
      total: 1500,
      audioPrompt: 600,
      audioCompletion: 400,
    };
    // gpt-4o-audio-preview: text $2.50/$10, audio $40/$80 per 1M
    // 400 text in + 600 audio in + 100 text out + 400 audio out
    const expected = (400 * 2.5 + 600 * 40 + 100 * 10 + 400 * 80) / 1e6;
    expect(costOfUsage(usage, BUILTIN_PRICES['gpt-4o-audio-preview']!)).toBeCloseTo(expected, 10);
    // no audio rate: audio tokens cost what text does
    expect(costOfUsage(usage, { input: 2, output: 8 })).toBeCloseTo((1000 * 2 + 500 * 8) / 1e6, 10);
    // the snapshot ids match their model's entry
    expect(findPrice('gpt-4o-audio-preview-2025-06-03')?.key).toBe('gpt-4o-audio-preview');
  });

  it('the estimate of a prompt is its tokens at the input rate', () => {
    expect(costOfPrompt(2000, { input: 30, output: 60 })).toBeCloseTo(0.06, 10);
  });

  it.each([
    [0, '$0'],
    [0.0021, '$0.0021'],
    [0.0000375, '$0.000038'],
    [0.0123456, '$0.0123'],
    [1.256, '$1.26'],
  ])('formats %s as %s', (dollars, text) => {
    expect(formatUsd(dollars)).toBe(text);
  });
});

describe('stored price tables', () => {
  it('keeps well-formed entries and drops the rest', () => {
    expect(
      readPriceTable({
        good: { input: 1, output: 2, cachedInput: 0.5 },
        negative: { input: -1, output: 2 },
        text: { input: '1', output: 2 },
        '  ': { input: 1, output: 1 },
        noCached: { input: 1, output: 2, cachedInput: 'x' },
      }),
    ).toEqual({
      good: { input: 1, output: 2, cachedInput: 0.5 },
      noCached: { input: 1, output: 2 },
    });
    expect(readPriceTable(null)).toEqual({});
    expect(readPriceTable([1])).toEqual({});
  });
});

describe('editing prices (PricesState)', () => {
  it('takes a typed number, ignores what is not a price, and blank cached input falls back', async () => {
    const prices = new PricesState();
    const builtin = prices.table['gpt-4o']!;
    await prices.setField('gpt-4o', 'input', '3');
    expect(prices.overrides['gpt-4o']).toEqual({ ...builtin, input: 3 });
    await prices.setField('gpt-4o', 'output', '-1');
    await prices.setField('gpt-4o', 'output', 'ten');
    await prices.setField('gpt-4o', 'output', '');
    expect(prices.table['gpt-4o']!.output).toBe(builtin.output);
    await prices.setField('gpt-4o', 'cachedInput', '');
    expect(prices.table['gpt-4o']).not.toHaveProperty('cachedInput');
    expect(prices.priceFor('gpt-4o-2024-08-06')?.price.input).toBe(3);
  });

  it('adds a prefix of one’s own once, lower-cased, free until edited', async () => {
    const prices = new PricesState();
    expect(await prices.add('  My-Model ')).toBe(true);
    expect(prices.overrides['my-model']).toEqual({ input: 0, output: 0 });
    expect(await prices.add('my-model')).toBe(false);
    expect(await prices.add('  ')).toBe(false);
  });
});
