// The app's Trusted Types policies, on their own. The page requires Trusted
// Types (index.html), so HTML reaches the DOM only as TrustedHTML signed by
// `parley-html`, and the token counter's worker starts only from a URL signed
// by `parley-worker` (the service worker's, by `parley-sw`). jsdom has no
// Trusted Types: a fake factory stands in and records what each policy is asked
// to sign. (The e2e suite runs the real thing in Chromium, where any refusal
// fails the test.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppUpdate } from '../../src/lib/state/app-update.svelte';

/** What a policy hands out: the signed text, recognisable as signed. */
class Signed {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

type Rules = {
  createHTML?: (input: string) => string;
  createScriptURL?: (input: string) => string;
};

/** A stand-in for window.trustedTypes; each policy's rules are kept to call directly. */
function fakeTrustedTypes() {
  const rules = new Map<string, Rules>();
  const factory = {
    createPolicy(name: string, given: Rules) {
      if (rules.has(name)) throw new TypeError(`Policy ${name} already exists.`);
      rules.set(name, given);
      const sign = (rule: keyof Rules) => (input: string) => {
        const make = given[rule];
        if (!make) throw new TypeError(`${name} has no ${rule}.`);
        return new Signed(make(input));
      };
      return { name, createHTML: sign('createHTML'), createScriptURL: sign('createScriptURL') };
    },
  };
  return { factory, rules };
}

let tt: ReturnType<typeof fakeTrustedTypes>;

beforeEach(() => {
  tt = fakeTrustedTypes();
  vi.stubGlobal('trustedTypes', tt.factory);
  // Each test loads the modules afresh, so each makes its policy again.
  vi.resetModules();
});
afterEach(() => vi.unstubAllGlobals());

describe('parley-html (sanitize.ts)', () => {
  it('signs what DOMPurify kept, and is the only policy made', async () => {
    const { sanitizeHtml } = await import('../../src/lib/render/sanitize');
    const html = sanitizeHtml('<p onclick="x()">hi <img src=x onerror=alert(1)></p>');
    expect(html).toBeInstanceOf(Signed);
    expect(String(html)).toBe('<p>hi </p>');
    sanitizeHtml('<b>again</b>');
    // Never DOMPurify's own `dompurify` policy, which the page's CSP would refuse.
    expect([...tt.rules.keys()]).toEqual(['parley-html']);
  });

  it('signs nothing outside sanitizeHtml, and no script URL at all', async () => {
    const { sanitizeHtml } = await import('../../src/lib/render/sanitize');
    sanitizeHtml('<p>made</p>');
    const policy = tt.rules.get('parley-html');
    expect(() => policy?.createHTML?.('<img src=x onerror=alert(1)>')).toThrow(/sanitizeHtml/);
    expect(() => policy?.createScriptURL?.('https://example.com/x.js')).toThrow(/no script URLs/);
  });

  it('is what the Markdown renderer hands to {@html}', async () => {
    const { lex, renderTokens } = await import('../../src/lib/render/markdown');
    const { html } = renderTokens(lex('**bold** <script>alert(1)</script>'), null);
    expect(html).toBeInstanceOf(Signed);
    expect(String(html)).toBe(
      '<p><strong>bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
  });
});

describe('parley-worker (tokens/index.ts)', () => {
  it('starts the counter from the one URL it signs, and signs no other', async () => {
    const started: unknown[] = [];
    vi.stubGlobal(
      'Worker',
      class {
        onmessage = null;
        onerror = null;
        constructor(url: unknown, options: WorkerOptions) {
          started.push(url);
          expect(options).toEqual({ type: 'module' });
        }
        postMessage() {}
        terminate() {}
      },
    );
    const { TokenCounter } = await import('../../src/lib/tokens');
    const counter = new TokenCounter();
    void counter.count({ encoding: 'o200k_base', key: 1, draft: 'Hi' }).catch(() => {});
    expect(started).toHaveLength(1);
    expect(started[0]).toBeInstanceOf(Signed);
    expect(String(started[0])).toMatch(/count\.worker/);
    expect([...tt.rules.keys()]).toEqual(['parley-worker']);
    const policy = tt.rules.get('parley-worker');
    expect(() => policy?.createScriptURL?.('https://example.com/evil.js')).toThrow(/only/);
    counter.dispose();
  });
});

describe('parley-sw (state/service-worker.ts)', () => {
  it('registers the service worker from the one URL it signs, and signs no other', async () => {
    const register = vi.fn(async (_url: unknown) => undefined);
    const { registerServiceWorker } = await import('../../src/lib/state/service-worker');
    const container = Object.assign(new EventTarget(), { controller: null, register });
    const update = { offer: vi.fn() } as unknown as AppUpdate;
    await registerServiceWorker(update, container as unknown as ServiceWorkerContainer);
    const [url] = register.mock.calls[0] ?? [];
    expect(url).toBeInstanceOf(Signed);
    expect(String(url)).toBe(new URL('sw.js', document.baseURI).href);
    expect([...tt.rules.keys()]).toEqual(['parley-sw']);
    const policy = tt.rules.get('parley-sw');
    expect(() => policy?.createScriptURL?.('https://example.com/evil-sw.js')).toThrow(/only/);
  });
});
