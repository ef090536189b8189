import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import InspectorHarness from './helpers/InspectorHarness.svelte';
import type { NextRequest } from '../../src/lib/state/next-request';

const next: NextRequest = {
  url: 'https://api.openai.com/v1/chat/completions',
  headers: [['Authorization', 'Bearer [redacted]']],
  body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] },
};

describe('Request inspector', () => {
  it('takes focus when opened and gives it back to its button when closed with Escape', async () => {
    const user = userEvent.setup();
    render(InspectorHarness, { next });
    const toggle = screen.getByRole('button', { name: 'Request inspector' });
    await user.click(toggle);
    const panel = screen.getByRole('region', { name: 'Request inspector' });
    await waitFor(() => expect(panel).toHaveFocus());

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Request inspector' })).toBeNull();
    await waitFor(() => expect(toggle).toHaveFocus());
  });

  it('gives focus back from its Close button too', async () => {
    const user = userEvent.setup();
    render(InspectorHarness, { next });
    const toggle = screen.getByRole('button', { name: 'Request inspector' });
    await user.click(toggle);
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(toggle).toHaveFocus());
  });
});
