// Ready-made tools for the Tools panel's "Insert example". Data only; the
// panel fetches it with the editor's completions (editor-aids.ts).

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
