// What the Settings dialog accepts, and what it says when it refuses.

import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/lib/model/result';
import { checkApiKey, checkBaseUrl, checkStallTimeout } from '../../src/lib/model/settings';

function refused<T>(r: Result<T>): string {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.error.trim()).not.toBe('');
  return r.error;
}

describe('checkApiKey', () => {
  it('trims surrounding whitespace and newlines from a pasted key', () => {
    expect(checkApiKey('  sk-proj-abc123\n')).toEqual({ ok: true, value: 'sk-proj-abc123' });
  });

  it('accepts an empty key (local servers need none)', () => {
    expect(checkApiKey('   ')).toEqual({ ok: true, value: '' });
  });

  it.each(['sk-abc 123', 'sk-abc\n123', 'sk-abc\t123'])('refuses inner whitespace (%j)', (key) => {
    expect(refused(checkApiKey(key))).toMatch(/space|line break/i);
  });

  it.each([
    '“sk-abc123”',
    '‘sk-abc123’',
    'sk-abc123…',
    'sk-abc\u00a0123',
    'sk-abc\u200b123',
    'sk-аbc',
  ])('refuses characters that cannot go in a header (%j)', (key) => {
    refused(checkApiKey(key));
  });

  it.each(['Bearer sk-abc123', 'bearer sk-abc123', '  BEARER   sk-abc123'])(
    'refuses a "Bearer " prefix (%j)',
    (key) => {
      expect(refused(checkApiKey(key))).toMatch(/bearer/i);
    },
  );

  it('does not mistake a key that merely starts with "bearer" for a prefix', () => {
    expect(checkApiKey('bearertoken-123')).toEqual({ ok: true, value: 'bearertoken-123' });
  });

  it('never echoes the key in a refusal', () => {
    const key = 'sk-proj-SECRET 1234';
    expect(refused(checkApiKey(key))).not.toContain('SECRET');
  });
});

describe('checkBaseUrl', () => {
  it.each([
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1'],
    ['https://api.openai.com/v1///', 'https://api.openai.com/v1'],
    ['  https://openrouter.ai/api/v1  ', 'https://openrouter.ai/api/v1'],
    ['HTTPS://API.OpenAI.com/v1', 'https://api.openai.com/v1'],
    ['https://example.com:8443/openai/v1', 'https://example.com:8443/openai/v1'],
  ])('normalizes %j to %j', (raw, value) => {
    expect(checkBaseUrl(raw)).toEqual({ ok: true, value });
  });

  it.each(['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1'])(
    'allows plain http for a local server (%s)',
    (url) => {
      expect(checkBaseUrl(url)).toEqual({ ok: true, value: url });
    },
  );

  // The page's CSP lets plain http reach localhost and 127.0.0.1 only (a CSP
  // cannot name an IPv6 address): other names for this machine would fail at
  // the first request, so they are refused up front with one that works.
  it.each([
    ['http://[::1]:8080/v1/', 'http://localhost:8080/v1'],
    ['http://ollama.localhost:11434/v1', 'http://localhost:11434/v1'],
  ])('refuses plain http to %s, which the page may not reach, and suggests %s', (url, use) => {
    const error = refused(checkBaseUrl(url));
    expect(error).toContain(new URL(url).hostname);
    expect(error).toMatch(new RegExp(`Use ${use}$`));
  });

  it.each([
    'http://api.openai.com/v1',
    'http://192.168.1.20:11434/v1',
    'http://localhost.example.com/v1',
  ])('refuses plain http to anything else (%s) and says why', (url) => {
    const error = refused(checkBaseUrl(url));
    expect(error).toMatch(/https/);
    expect(error).toContain(new URL(url).hostname);
  });

  it.each([
    'ftp://files.example.com/v1',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ws://localhost:1234/v1',
  ])('refuses other schemes (%s)', (url) => {
    refused(checkBaseUrl(url));
  });

  it.each([
    ['https://api.openai.com/v1/chat/completions', 'https://api.openai.com/v1'],
    ['https://api.openai.com/v1/chat/completions/', 'https://api.openai.com/v1'],
    ['http://localhost:11434/v1/chat/completions', 'http://localhost:11434/v1'],
  ])('refuses a /chat/completions suffix on %s and suggests %s', (raw, suggestion) => {
    const error = refused(checkBaseUrl(raw));
    expect(error).toContain(suggestion);
    expect(error.replace(suggestion, '')).not.toContain(`${suggestion}/chat/completions`);
  });

  it.each(['https://user:pass@api.openai.com/v1', 'https://sk-abc@api.openai.com/v1'])(
    'refuses credentials inside the URL (%s) without repeating them',
    (url) => {
      const error = refused(checkBaseUrl(url));
      expect(error).not.toContain('pass');
      expect(error).not.toContain('sk-abc');
    },
  );

  it.each(['', '   ', 'api.openai.com/v1', 'not a url', 'https://', '://x'])(
    'refuses garbage (%j)',
    (raw) => {
      refused(checkBaseUrl(raw));
    },
  );

  it('refuses a query or fragment', () => {
    refused(checkBaseUrl('https://api.openai.com/v1?key=1'));
    refused(checkBaseUrl('https://api.openai.com/v1#top'));
  });
});

describe('checkStallTimeout', () => {
  it.each([
    [5, 5],
    [30, 30],
    [3600, 3600],
    [12.4, 12],
  ])('accepts %d seconds as %d', (raw, value) => {
    expect(checkStallTimeout(raw)).toEqual({ ok: true, value });
  });

  it.each([0, 4, 4.9, -10, 3601, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d', (raw) => {
    refused(checkStallTimeout(raw));
  });
});
