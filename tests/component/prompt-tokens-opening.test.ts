// The prompt count next to the composer counts the next request: for a
// conversation still opening (its newest messages shown, the earlier ones
// being read), that request is not known yet, and no number is shown for it.
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import PromptTokens from '../../src/components/PromptTokens.svelte';
import { PricesState } from '../../src/lib/state/prices.svelte';
import { createKv, Store } from '../../src/lib/store';
import { message } from '../builders/conversations';

const input = (earlier: number) => ({
  model: 'gpt-4',
  systemMessage: '',
  messages: [message('u1', 'user', 'Hello, world!')],
  draft: 'And more',
  earlier,
});

describe('PromptTokens while a conversation opens', () => {
  it('counts a whole conversation, and shows no count for part of one', () => {
    const prices = new PricesState(new Store(createKv({ backend: null })));
    const opened = render(PromptTokens, { input: input(0), prices });
    flushSync();
    expect(screen.getByText(/prompt tokens/)).toBeVisible();
    opened.unmount();

    render(PromptTokens, { input: input(998), prices });
    flushSync();
    expect(screen.queryByText(/prompt tokens/)).toBeNull();
  });
});
