// The build plugin that leaves the SDK's unused resources out of the bundle:
// what it keeps, what it stubs, and what a stub looks like.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openaiChatOnly } from '../../build/openai-chat-only';

const sdk = dirname(createRequire(import.meta.url).resolve('openai/client'));
const plugin = openaiChatOnly();

type Hook = { handler: (...args: unknown[]) => unknown };
const resolveId = (source: string, importer: string) =>
  (plugin.resolveId as unknown as Hook).handler(source, join(sdk, importer)) as string | null;
const load = (id: string) => (plugin.load as unknown as Hook).handler(id) as Promise<string | null>;

describe('openai-chat-only', () => {
  it('keeps chat completions, models and what they need', () => {
    expect(resolveId('./resources/chat/chat.mjs', 'client.mjs')).toBeNull();
    expect(resolveId('./resources/models.mjs', 'client.mjs')).toBeNull();
    expect(resolveId('./resources/index.mjs', 'client.mjs')).toBeNull();
    expect(resolveId('./chat/index.mjs', 'resources/index.mjs')).toBeNull();
    expect(resolveId('./shared.mjs', 'resources/index.mjs')).toBeNull();
    expect(resolveId('./core/streaming.mjs', 'client.mjs')).toBeNull();
    expect(
      resolveId('../../../lib/parser.mjs', 'resources/chat/completions/completions.mjs'),
    ).toBeNull();
  });

  it('stubs the other resources as empty resource classes that construct', async () => {
    const id = resolveId('./resources/batches.mjs', 'client.mjs');
    expect(id).toMatch(/^\0openai-stub:/);
    // The client and the resource index import the same stub.
    expect(resolveId('./batches.mjs', 'resources/index.mjs')).toBe(id);
    const code = await load(id as string);
    expect(code).toContain('export class Batches extends APIResource {}');
    expect(code).not.toMatch(/create|retrieve|list/);

    const beta = await load(resolveId('./resources/beta/beta.mjs', 'client.mjs') as string);
    expect(beta).toContain('export class Beta extends APIResource {}');
  });

  it('stubs the stream, parse and runTools runners as classes that refuse to construct', async () => {
    const id = resolveId(
      '../../../lib/ChatCompletionStream.mjs',
      'resources/chat/completions/completions.mjs',
    );
    const code = await load(id as string);
    expect(code).toContain('export class ChatCompletionStream {');
    expect(code).toContain("throw new Error('ChatCompletionStream is not in this build')");
  });

  it('leaves imports from outside the SDK alone', () => {
    expect(resolveId('./resources/batches.mjs', '../../src/lib/api/client.ts')).toBeNull();
  });
});
