// Validation of what the user types into Settings. Pure functions so the rules
// are unit-tested and shared by the dialog and the store.

import { DEMO_BASE_URL } from './demo';
import type { Result } from './result';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * The origin a base URL sends to (scheme, host and port, as the browser
 * compares them: never a substring test), or '' when it is not a URL.
 */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

export interface EndpointPreset {
  label: string;
  baseURL: string;
  /** Local servers usually need no key. */
  needsKey: boolean;
}

export const ENDPOINT_PRESETS: readonly EndpointPreset[] = [
  { label: 'OpenAI', baseURL: DEFAULT_BASE_URL, needsKey: true },
  { label: 'Ollama', baseURL: 'http://localhost:11434/v1', needsKey: false },
  { label: 'LM Studio', baseURL: 'http://localhost:1234/v1', needsKey: false },
  { label: 'vLLM', baseURL: 'http://localhost:8000/v1', needsKey: false },
  { label: 'OpenRouter', baseURL: 'https://openrouter.ai/api/v1', needsKey: true },
  { label: 'Demo (no key)', baseURL: DEMO_BASE_URL, needsKey: false },
];

/** How one local server lets this page call it: its base URL and its CORS setting. */
export interface LocalServerSetup {
  name: string;
  baseURL: string;
  /** What to do, in words, before `command` (or instead of it). */
  how: string;
  /** The exact command or setting, for `origin` (shown as code, to copy). */
  command?: string;
}

/**
 * A page may call a server on another origin only when that server allows the
 * page's origin (CORS). Each local server says so in its own way.
 */
export function localServerSetups(origin: string): LocalServerSetup[] {
  return [
    {
      name: 'Ollama',
      baseURL: 'http://localhost:11434/v1',
      how: 'Start it with this page’s origin allowed:',
      command: `OLLAMA_ORIGINS=${origin} ollama serve`,
    },
    {
      name: 'LM Studio',
      baseURL: 'http://localhost:1234/v1',
      how: 'Developer tab → Server settings → turn on “Enable CORS”, then start the server.',
    },
    {
      name: 'vLLM',
      baseURL: 'http://localhost:8000/v1',
      how: 'Serve the model with this page’s origin allowed:',
      command: `vllm serve <model> --allowed-origins '["${origin}"]'`,
    },
  ];
}

/** Trims the key; refuses keys that cannot be a valid header value or were pasted wrong. */
export function checkApiKey(raw: string): Result<string> {
  const key = raw.trim();
  if (/^bearer\s/i.test(key)) {
    return { ok: false, error: 'Paste the key without the "Bearer " prefix.' };
  }
  if (/\s/.test(key)) {
    return {
      ok: false,
      error: 'The key contains spaces or line breaks. Paste only the key itself.',
    };
  }
  // Header values must be ASCII; a smart quote or an ellipsis from a copied
  // snippet would otherwise fail later with an obscure "invalid header" error.
  if (/[^\x21-\x7e]/.test(key)) {
    return {
      ok: false,
      error:
        'The key contains characters that are not plain ASCII (for example “ ” or …). Copy it again from the provider.',
    };
  }
  return { ok: true, value: key };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

/**
 * The local hosts plain http may reach: the ones the page's Content Security
 * Policy lets it connect to (index.html: `http://localhost:*
 * http://127.0.0.1:*`). A CSP cannot name an IPv6 address, so the browser
 * would block http://[::1] however it is set up.
 */
const PLAIN_HTTP_HOSTS = new Set(['localhost', '127.0.0.1']);

/** Local servers (Ollama, LM Studio) usually need no key. */
export function isLocalBaseUrl(baseURL: string): boolean {
  try {
    return isLocalHost(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}

/**
 * Normalizes a base URL (trimmed, no trailing slash) and explains what is wrong
 * when it cannot work from a web page.
 */
export function checkBaseUrl(raw: string): Result<string> {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'Enter a base URL, for example ' + DEFAULT_BASE_URL };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      error: `"${text}" is not a URL. It should look like ${DEFAULT_BASE_URL}`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `The base URL must start with https:// (got ${url.protocol}//).` };
  }
  if (url.protocol === 'http:' && !PLAIN_HTTP_HOSTS.has(url.hostname)) {
    if (isLocalHost(url.hostname)) {
      const port = url.port ? `:${url.port}` : '';
      return {
        ok: false,
        error: `Plain http is only allowed for localhost and 127.0.0.1: the page's security policy blocks ${url.hostname}. Use http://localhost${port}${url.pathname.replace(/\/+$/, '')}`,
      };
    }
    return {
      ok: false,
      error: `Plain http is only allowed for localhost and 127.0.0.1: your key would travel unencrypted to ${url.hostname}. Use https://.`,
    };
  }
  if (url.username || url.password) {
    return { ok: false, error: 'Put credentials in the API key field, not in the URL.' };
  }
  if (url.search || url.hash) {
    return {
      ok: false,
      error: 'The base URL cannot have a query (?…) or fragment (#…).',
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/chat\/completions$/i.test(path)) {
    return {
      ok: false,
      error: `Leave out "/chat/completions": Parley adds it. Use ${url.origin}${path.replace(/\/chat\/completions$/i, '')}`,
    };
  }
  return { ok: true, value: url.origin + path };
}

/** The stall timeout, in seconds, bounded to something sensible. */
export function checkStallTimeout(raw: number): Result<number> {
  if (!Number.isFinite(raw) || raw < 5 || raw > 3600) {
    return { ok: false, error: 'The stall timeout must be between 5 and 3600 seconds.' };
  }
  return { ok: true, value: Math.round(raw) };
}

/** Minutes of no use after which an unlocked key locks again; 0 never locks. */
export function checkAutoLock(raw: number): Result<number> {
  if (!Number.isFinite(raw) || raw < 0 || raw > 1440) {
    return { ok: false, error: 'Auto-lock takes 0 (never) to 1440 minutes (a day).' };
  }
  return { ok: true, value: Math.round(raw) };
}
