// OpenAI's published spec, read where it is (../shared, beside the repo; never
// copied in). Tests that need it skip, saying so once, when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const SPEC_REL = '../shared/spec/openai-openapi.yaml';

/** The spec's text, or null (with a warning naming what is skipped) when it is not on this machine. */
export function readSpec(what: string): string | null {
  const path = resolve(REPO_ROOT, SPEC_REL);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  console.warn(
    `OpenAI spec absent: ${what} skipped (expected ${SPEC_REL} relative to the repo root)`,
  );
  return null;
}

/**
 * The JSON bodies of the spec's curl examples for one endpoint path
 * (`/chat/completions`), in the order the spec gives them.
 */
export function curlExampleBodies(spec: string, path: string): unknown[] {
  const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const example = new RegExp(
    `curl https://api\\.openai\\.com/v1${escaped} \\\\\\n(?:.*\\n)*?\\s*-d '(\\{(?:.*\\n)*?\\s*\\})'`,
    'g',
  );
  return [...spec.matchAll(example)].map((m) => JSON.parse(m[1]!) as unknown);
}
