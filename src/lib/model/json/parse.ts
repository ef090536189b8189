// Parsing JSON someone typed or sent, with an error that says where and why.

import { fail, ok, type Result } from '../result';
import type { firstJsonSyntaxError } from './syntax';
import { isObject, type JsonObject } from './values';

/**
 * The one parser that places and words a syntax error (syntax.ts, with
 * jsonc-parser). Nothing on the way to a first answer needs it, so it loads
 * after the page is up (main.ts) rather than with it, or sooner with whatever
 * else needs it (the Tools panel): syntax.ts hands it over when it loads.
 */
let locate: typeof firstJsonSyntaxError | null = null;

export function useLocator(locator: typeof firstJsonSyntaxError): void {
  locate = locator;
}

export async function loadJsonLocator(): Promise<void> {
  await import('./syntax');
}

/**
 * "Extra parameters are not valid JSON (line 3, column 1): Expected a value."
 * `subject` includes its verb. The place and words come from the one parser;
 * only when it cannot place the error (absurd nesting), or has not loaded yet,
 * does the engine's reason stand in, since engines word and place errors
 * differently.
 */
function notValidJson(subject: string, text: string, thrown: unknown): string {
  const error = locate?.(text);
  if (error) {
    return `${subject} not valid JSON (line ${error.line}, column ${error.column}): ${error.message}`;
  }
  const reason = (thrown instanceof Error ? thrown.message : String(thrown))
    .replace(/^JSON\.parse: /, '')
    .replace(/ (?:in JSON )?at (?:position \d+|line \d+ column \d+).*$/, '');
  return `${subject} not valid JSON: ${reason}`;
}

/** The parsed value, or a sentence about `subject` ("The file is") saying where it broke. */
export function parseJson(text: string, subject: string): Result<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    return fail(notValidJson(subject, text, e));
  }
}

/** A JSON object typed by the user (a schema), or why it is not one. */
export function parseJsonObject(text: string, what: string): Result<JsonObject> {
  const parsed = parseJson(text, `${what} is`);
  if (!parsed.ok) return parsed;
  if (!isObject(parsed.value)) return fail(`${what} must be a JSON object {…}.`);
  return ok(parsed.value);
}
