import type { OpenAI } from 'openai/client';
import { isDemoBaseUrl } from '../model/demo';

export interface ClientConfig {
  apiKey: string;
  baseURL: string;
  organization?: string;
  project?: string;
}

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** The endpoint answered with a redirect, which Parley does not follow. */
export class RedirectRefused extends Error {
  constructor(
    /** 0 in a browser, which hides the redirect's status and target. */
    readonly status: number,
    readonly location: string,
  ) {
    super('The endpoint answered with a redirect, which is not followed.');
    this.name = 'RedirectRefused';
  }
}

// Local servers (Ollama, LM Studio) need no key, but the SDK insists on one.
// We give it a placeholder and take the header off again in `fetch`, so what
// goes on the wire is what the user configured.
const NO_KEY = 'parley-no-key';

// The SDK is most of the app's weight; it is fetched on first use (right after
// start-up, in parallel with the first paint) instead of blocking the page.
// Its client module alone: the package index would keep Azure, Bedrock and the
// computer-use helpers in the chunk, as a dynamic import keeps every export.
let sdk: Promise<typeof import('openai/client')> | undefined;
export function loadSdk() {
  sdk ??= import('openai/client');
  return sdk;
}

const pageFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/**
 * What reaches the endpoint at `baseURL`: the page's fetch, or for the demo
 * endpoint the demo server, which answers in the page (loaded on first use).
 */
export async function endpointFetch(baseURL: string): Promise<FetchLike> {
  return isDemoBaseUrl(baseURL) ? (await import('./demo')).demoFetch : pageFetch;
}

/**
 * The SDK client for one endpoint. Retries are ours (visible and cancellable),
 * so the SDK's own are off; `fetch` is injectable so tests can feed recorded bytes.
 */
export async function createClient(config: ClientConfig, fetchImpl?: FetchLike): Promise<OpenAI> {
  const { OpenAI: OpenAIClient } = await loadSdk();
  const base: FetchLike = fetchImpl ?? (await endpointFetch(config.baseURL));
  const guarded: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (!config.apiKey) headers.delete('authorization');
    // A redirect is not followed: the request, key and all, goes only to the
    // address the user chose. (A browser gives an opaque answer, status 0.)
    const res = await base(input, { ...init, headers, redirect: 'manual' });
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
      throw new RedirectRefused(res.status, res.headers.get('location') ?? '');
    }
    return res;
  };
  return new OpenAIClient({
    apiKey: config.apiKey || NO_KEY,
    baseURL: config.baseURL,
    organization: config.organization || null,
    project: config.project || null,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: guarded,
  });
}
