import { render, screen } from '@testing-library/svelte';
import type { Component } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import Lazy from '../../src/components/Lazy.svelte';
import ErrorAlert from '../../src/components/ErrorAlert.svelte';
import type { AppError } from '../../src/lib/model/types';

const error: AppError = { kind: 'server', message: 'The part is here.', retryable: false };
// Lazy is generic over its part's props; render() sees it with the widest ones.
const part = ErrorAlert as unknown as Component<Record<string, unknown>>;

describe('Lazy', () => {
  // First in the file: the page's first frame is still to come (each test file has its own modules).
  it('starts loading its part only once the page has painted a frame, then shows it', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    try {
      const load = vi.fn(async () => ({ default: part }));
      render(Lazy, { props: { load, props: { error }, what: 'The part' } });
      await new Promise((r) => setTimeout(r, 20));
      expect(load).not.toHaveBeenCalled();
      expect(screen.queryByRole('alert')).toBeNull();

      for (const cb of frames.splice(0)) cb(performance.now());
      expect(await screen.findByRole('alert')).toHaveTextContent('The part is here.');
      expect(load).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('loads at once after that, and says what failed to load and how to fix it', async () => {
    const load = vi.fn(() => Promise.reject(new Error('net::ERR_FAILED')));
    render(Lazy, { props: { load, props: { error }, what: 'The parameters' } });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The parameters could not load');
    expect(alert).toHaveTextContent('net::ERR_FAILED');
    expect(alert).toHaveTextContent('reload the page');
  });
});
