// OpenAI's own request examples for POST /chat/completions (from the spec in
// ../shared), imported and sent again: every role and field as written.
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../src/lib/model/exchange';
import { buildRequest } from '../../src/lib/model/request';
import { curlExampleBodies, readSpec } from '../builders/spec';

const spec = readSpec('the spec example round trips');
const bodies = spec ? curlExampleBodies(spec, '/chat/completions') : [];

type Body = { model: string; messages: { role: string; content: unknown }[] };
const hasParts = (b: Body) => b.messages.some((m) => typeof m.content !== 'string');

describe.skipIf(!spec)("OpenAI's chat completion examples", () => {
  it('are found in the spec (five as of this writing)', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(5);
  });

  it('import and go out again exactly as written: model, roles, every field', () => {
    const textOnly = (bodies as Body[]).filter((b) => !hasParts(b));
    expect(textOnly.length).toBeGreaterThanOrEqual(4);
    for (const body of textOnly) {
      const imported = parseImport(JSON.stringify(body));
      if (!imported.ok) throw new Error(imported.error);
      expect(imported.value.warnings).toEqual([]);
      const sent = buildRequest(imported.value.conversations[0]!).body as Record<string, unknown>;
      // Parley asks for usage on every stream; that is its one addition.
      const { stream_options: added, ...rest } = sent;
      if (body.messages && (body as { stream?: boolean }).stream) {
        expect(added).toEqual({ include_usage: true });
      } else {
        expect(added).toBeUndefined();
      }
      expect(rest).toEqual(body);
    }
  });

  it('the Default and Streaming examples keep their developer message as developer', () => {
    const developer = (bodies as Body[]).filter((b) => b.messages[0]?.role === 'developer');
    expect(developer.length).toBeGreaterThanOrEqual(2);
    for (const body of developer) {
      const imported = parseImport(JSON.stringify(body));
      if (!imported.ok) throw new Error(imported.error);
      const conv = imported.value.conversations[0]!;
      expect(buildRequest(conv).body.messages[0]?.role).toBe('developer');
    }
  });
});
