// OpenAI's published spec, read where it is (../shared, beside the repo; never
// copied in). Tests that need it skip, saying so once, when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

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

type Schema = { $ref?: string; allOf?: Schema[]; properties?: Record<string, Schema> } & Record<
  string,
  unknown
>;

/** The spec's component schemas, parsed. */
export function specSchemas(spec: string): Record<string, Schema> {
  const doc = parseYaml(spec) as { components: { schemas: Record<string, Schema> } };
  return doc.components.schemas;
}

/** Every property of a schema, including those it takes from others through allOf. */
export function schemaProperties(
  schemas: Record<string, Schema>,
  name: string,
): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const schema = schemas[name];
  if (!schema) throw new Error(`No schema ${name} in the spec`);
  for (const part of schema.allOf ?? [schema]) {
    if (part.$ref) Object.assign(out, schemaProperties(schemas, part.$ref.split('/').pop()!));
    else Object.assign(out, part.properties ?? {});
  }
  return out;
}

/** The enum values a property allows (through $ref, anyOf and array items), if it has some. */
export function enumOf(schemas: Record<string, Schema>, prop: Schema): unknown[] | undefined {
  if (Array.isArray(prop.enum)) return prop.enum as unknown[];
  if (prop.$ref) return enumOf(schemas, schemas[prop.$ref.split('/').pop()!]!);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = prop[key];
    if (Array.isArray(options)) {
      for (const option of options as Schema[]) {
        const found = enumOf(schemas, option);
        if (found) return found;
      }
    }
  }
  if (prop.items) return enumOf(schemas, prop.items as Schema);
  return undefined;
}
