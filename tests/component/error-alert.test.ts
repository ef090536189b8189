import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ErrorAlert from '../../src/components/ErrorAlert.svelte';
import type { AppError } from '../../src/lib/model/types';

describe('ErrorAlert', () => {
  it('shows the status, the API message, param, code and request id as text', () => {
    const error: AppError = {
      kind: 'bad_request',
      message: 'api.openai.com rejected the request (400) (parameter `messages.[0].name`).',
      status: 400,
      apiMessage: "'' does not match '^[a-zA-Z0-9_-]{1,64}$'",
      param: 'messages.[0].name',
      code: null,
      type: 'invalid_request_error',
      requestId: 'req_123',
      retryable: false,
    };
    render(ErrorAlert, { error });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('HTTP 400');
    expect(alert).toHaveTextContent("'' does not match '^[a-zA-Z0-9_-]{1,64}$'");
    expect(alert).toHaveTextContent('messages.[0].name');
    expect(alert).toHaveTextContent('req_123');
    expect(alert).toHaveTextContent('invalid_request_error');
  });

  it('renders an HTML error body as inert text', () => {
    const error: AppError = {
      kind: 'server',
      message: 'x had a server error (500).',
      status: 500,
      apiMessage: '<img src=x onerror="window.__pwned=1"><b>Bad gateway</b>',
      retryable: true,
    };
    render(ErrorAlert, { error });
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('img, b')).toBeNull();
    expect(alert).toHaveTextContent('<b>Bad gateway</b>');
  });

  it('offers the fix: settings for auth errors, retry for retryable ones', async () => {
    const onOpenSettings = vi.fn();
    const onRetry = vi.fn();
    const error: AppError = {
      kind: 'auth',
      message: 'The key was rejected by api.openai.com (401). Check it in Settings.',
      status: 401,
      retryable: false,
      fixInSettings: true,
    };
    render(ErrorAlert, { error, onOpenSettings, onRetry });
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Open settings' }));
    expect(onOpenSettings).toHaveBeenCalledOnce();
  });

  it('shows the hint for local servers', () => {
    const error: AppError = {
      kind: 'network',
      message: 'Cannot reach localhost:11434: offline, blocked by CORS, or wrong URL.',
      hint: 'For Ollama, allow this page with OLLAMA_ORIGINS',
      retryable: true,
    };
    render(ErrorAlert, { error, onRetry: () => {} });
    expect(screen.getByRole('alert')).toHaveTextContent('OLLAMA_ORIGINS');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeVisible();
  });
});
