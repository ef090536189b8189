import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ConflictBanner from '../../src/components/ConflictBanner.svelte';
import PersistenceStatus from '../../src/components/PersistenceStatus.svelte';

describe('PersistenceStatus', () => {
  it('says when the browser promised to keep the data, with no reminder', () => {
    render(PersistenceStatus, {
      persistence: 'persisted',
      hasConversations: true,
      onExportAll: vi.fn(),
    });
    expect(screen.getByRole('status')).toHaveTextContent('Storage: persistent.');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('when storage may be cleared, reminds to export and offers it', async () => {
    const onExportAll = vi.fn();
    render(PersistenceStatus, { persistence: 'best-effort', hasConversations: true, onExportAll });
    expect(screen.getByRole('status')).toHaveTextContent(
      /Storage: best effort\. The browser may clear/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Back up: export all' }));
    expect(onExportAll).toHaveBeenCalledOnce();
  });

  it('offers no backup when there is nothing to back up, and says nothing before the answer', () => {
    const { rerender } = render(PersistenceStatus, {
      persistence: 'unsupported',
      hasConversations: false,
      onExportAll: vi.fn(),
    });
    expect(screen.getByRole('status')).toHaveTextContent('Storage: not guaranteed.');
    expect(screen.queryByRole('button')).toBeNull();
    void rerender({ persistence: 'unknown', hasConversations: true, onExportAll: vi.fn() });
    return Promise.resolve().then(() => expect(screen.queryByRole('status')).toBeNull());
  });
});

describe('ConflictBanner', () => {
  it('explains the conflict and offers both ways out', async () => {
    const onReload = vi.fn();
    const onKeepCopy = vi.fn();
    render(ConflictBanner, { onReload, onKeepCopy });
    expect(screen.getByRole('alert')).toHaveTextContent(/Changed in another tab/);
    await userEvent.click(screen.getByRole('button', { name: 'Load the other tab’s version' }));
    await userEvent.click(screen.getByRole('button', { name: 'Keep mine as a copy' }));
    expect(onReload).toHaveBeenCalledOnce();
    expect(onKeepCopy).toHaveBeenCalledOnce();
  });
});
