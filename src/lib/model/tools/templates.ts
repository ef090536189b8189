// Ready-made tools, and adding a tool to the definitions without disturbing
// what the user typed.

import { isObject, withItemAppended, type JsonObject as Json } from '../json';
import { fail, ok, type Result } from '../result';
import type { ToolFormat } from '../types';
import { convertTools, parseArrayText } from './convert';
import { isBlank, NAME_MAX } from './names';

export interface ToolTemplate {
  id: 'weather' | 'calculator' | 'search';
  label: string;
  /** In the current `tools` format. */
  tool: Record<string, unknown>;
}

// Strict-valid: every property required, optional ones nullable, no extra keys.
export const TOOL_TEMPLATES: readonly ToolTemplate[] = [
  {
    id: 'weather',
    label: 'Weather lookup',
    tool: {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Get the current weather for a location.',
        parameters: {
          type: 'object',
          properties: {
            location: {
              type: 'string',
              description: 'City and country, e.g. "Paris, France".',
            },
            unit: {
              type: ['string', 'null'],
              enum: ['celsius', 'fahrenheit', null],
              description: 'Temperature unit, or null for the local default.',
            },
          },
          required: ['location', 'unit'],
          additionalProperties: false,
        },
        strict: true,
      },
    },
  },
  {
    id: 'calculator',
    label: 'Calculator',
    tool: {
      type: 'function',
      function: {
        name: 'calculate',
        description: 'Evaluate an arithmetic expression and return the exact result.',
        parameters: {
          type: 'object',
          properties: {
            expression: {
              type: 'string',
              description: 'The expression to evaluate, e.g. "(2 + 3) * 4 / 7".',
            },
          },
          required: ['expression'],
          additionalProperties: false,
        },
        strict: true,
      },
    },
  },
  {
    id: 'search',
    label: 'Web search',
    tool: {
      type: 'function',
      function: {
        name: 'web_search',
        description: 'Search the web and return the most relevant results with titles and links.',
        parameters: {
          type: 'object',
          properties: {
            query: {
              type: 'string',
              description: 'What to search for, in plain words.',
            },
            max_results: {
              type: ['integer', 'null'],
              minimum: 1,
              maximum: 10,
              description: 'How many results to return (1 to 10), or null for the default of 5.',
            },
          },
          required: ['query', 'max_results'],
          additionalProperties: false,
        },
        strict: true,
      },
    },
  },
];

/** Every name defined in the array, in either format. */
function namesIn(value: unknown[]): Set<string> {
  const names = new Set<string>();
  for (const item of value) {
    if (!isObject(item)) continue;
    for (const holder of [item, item.function, item.custom]) {
      if (isObject(holder) && typeof holder.name === 'string') names.add(holder.name);
    }
  }
  return names;
}

/** `name`, or `name_2`, `name_3`… (cut to stay within 64 characters) when taken. */
function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = name.slice(0, NAME_MAX - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Appends a tool (given in `tools` format; converted when `format` is 'functions') to the array in `text` and returns the new pretty-printed text. Blank text becomes a one-item array. When the text is not a valid array, fails with a message (never destroys the user's text). If the name is taken, suffix _2, _3… */
export function appendTool(
  text: string,
  format: ToolFormat,
  tool: Record<string, unknown>,
): Result<{ text: string; name: string }> {
  const base = isBlank(text) ? '[]' : text;
  const parsed = parseArrayText(base);
  if (!parsed.ok) return fail(`Cannot add the tool: ${parsed.error}`);

  // A deep copy, so the template (or caller's object) is never changed.
  const copy = JSON.parse(JSON.stringify(tool)) as Json;
  const holder = isObject(copy.function)
    ? copy.function
    : isObject(copy.custom)
      ? copy.custom
      : copy;
  let name = typeof holder.name === 'string' ? holder.name : '';
  if (name !== '') {
    name = freeName(name, namesIn(parsed.value));
    holder.name = name;
  }
  const item = format === 'functions' ? convertTools([copy], 'functions').value[0] : copy;

  return ok({ text: withItemAppended(base, item), name });
}
