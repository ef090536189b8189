// The built-in demo endpoint, as the rest of the app sees it: an address no
// request can reach (`.invalid` never resolves, RFC 2606), answered in the
// page by lib/api/demo, and the model ids it answers as.

export const DEMO_BASE_URL = 'https://demo.parley.invalid/v1';

/** Shown wherever the demo's answers are, and while it is the endpoint. */
export const DEMO_NOTE = 'Demo: answers are canned';

/** The demo's models, one voice each (terse, thorough, rhyming). */
export const DEMO_MODELS = ['demo-fast', 'demo-thoughtful', 'demo-poet'] as const;

export type DemoModel = (typeof DEMO_MODELS)[number];

const DEMO_ORIGIN = new URL(DEMO_BASE_URL).origin;

/** The base URL is the demo's (whatever its path): nothing goes on the network. */
export function isDemoBaseUrl(baseURL: string): boolean {
  try {
    return new URL(baseURL).origin === DEMO_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * An answer the demo wrote. The demo always answers as one of its own models
 * (as a real API answers `gpt-4o` as a dated snapshot), so its answers are
 * recognised while they stream, after a reload and in exported files alike.
 */
export function isDemoModel(model: string | undefined): boolean {
  return (DEMO_MODELS as readonly string[]).includes(model ?? '');
}
