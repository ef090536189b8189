// Script URLs under the page's Trusted Types (index.html requires them for
// scripts): a worker's or the service worker's URL must come from a policy.
// Each policy signs the one URL it was made for, on the page's own origin,
// and refuses any other. Where the browser has no Trusted Types, the plain URL.

const policies = new Map<string, Pick<TrustedTypePolicy, 'createScriptURL'>>();

/** `url` signed by the policy `name` (made on first use, once per page), which signs nothing else. */
export function signedScriptUrl(name: string, url: string): TrustedScriptURL | string {
  const factory = window.trustedTypes;
  if (!factory) return url;
  let policy = policies.get(name);
  if (!policy) {
    policy = factory.createPolicy(name, {
      createScriptURL: (input: string) => {
        if (input !== url) throw new TypeError(`${name} signs only ${url}.`);
        return input;
      },
    });
    policies.set(name, policy);
  }
  return policy.createScriptURL(url);
}

/** A module worker started from `url`, signed by the policy `policy`. */
export function moduleWorker(policy: string, url: string, options: { name?: string } = {}): Worker {
  // TypeScript's Worker takes a string or URL; a TrustedScriptURL works the same.
  return new Worker(signedScriptUrl(policy, url) as string, { type: 'module', ...options });
}
