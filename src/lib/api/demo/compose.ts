// What the demo says: canned text in three voices (one per demo model, so
// Compare shows a difference), a tool call with arguments made from the
// function's schema, and an answer that uses the tool's result. The same
// conversation always gets the same words.

import type { DemoModel } from '../../model/demo';
import { hashOf, type DemoMessage, type DemoRequest, type DemoTool } from './request';

export type DemoReply =
  { kind: 'text'; text: string } | { kind: 'call'; id: string; name: string; arguments: string };

type Lines = (topic: string, seed: number) => string;

const FAST: Lines[] = [
  (t) => `Short version: “${t}” depends on what you need. Start small, look at the result, adjust.`,
  (t) => `In one line: “${t}” comes down to trade-offs. Pick the simplest option that works.`,
  (t) => `Quick take on “${t}”: try it, measure it, change one thing at a time.`,
];

const SKETCHES = [
  [
    'python',
    'def explore(question):\n    draft = smallest_version(question)\n    return check(draft)',
  ],
  [
    'ts',
    'function explore(question: string) {\n  const draft = smallestVersion(question);\n  return check(draft);\n}',
  ],
  ['bash', 'try_smallest_version "$QUESTION" | tee draft.txt\ncheck draft.txt'],
] as const;

const STEPS = [
  '**Say what you want.** Write the outcome you expect in one sentence.',
  '**Try the smallest version.** A tiny experiment shows more than a long plan.',
  '**Check the result.** Compare it with what you expected.',
  '**Keep a note.** What worked, what did not, and what to try next.',
];

const THOUGHTFUL: Lines[] = [0, 1, 2].map((variant) => (t, seed) => {
  const [lang, code] = SKETCHES[(seed + variant) % SKETCHES.length]!;
  const steps = STEPS.slice(variant % 2, (variant % 2) + 3);
  return [
    `## Thinking about “${t}”`,
    '',
    'A careful (if canned) way to approach it:',
    '',
    ...steps.map((s, i) => `${i + 1}. ${s}`),
    '',
    'The same loop as a sketch:',
    '',
    '```' + lang,
    code,
    '```',
    '',
    '- **Good first step:** the smallest thing you can check today.',
    '- **Watch out for:** answers that sound sure but were never tested.',
    '',
    '> Parley’s demo endpoint: the words are canned; the stream, usage and timing travel as a real server’s would.',
  ].join('\n');
});

// Verse keeps its line breaks in Markdown only as hard breaks (two spaces at the end).
const verse = (...lines: string[]) => lines.join('  \n');

const POET: Lines[] = [
  (t) =>
    verse(
      `You ask me of “${t}”, and so`,
      'I turn it over, high and low;',
      'The answer hides in what you try,',
      'So test it once, and see it fly.',
    ),
  (t) =>
    verse(
      `Of “${t}” I cannot say`,
      'The final word this early day;',
      'But start with something small and plain,',
      'And what you learn will not be vain.',
    ),
  (t) =>
    verse(
      `A question came: “${t}”,`,
      'I weighed it slowly, line by line;',
      'The truth is found by those who test,',
      'So try a bit, then do the rest.',
    ),
];

const VOICES: Record<DemoModel, Lines[]> = {
  'demo-fast': FAST,
  'demo-thoughtful': THOUGHTFUL,
  'demo-poet': POET,
};

/** What a canned answer quotes of the question: its first line, short and plain. */
function topicOf(messages: DemoMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const line = (last?.text ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  const plain = line.replace(/[`*_#<>[\]\\|~]/g, '').trim();
  if (plain === '') return 'this';
  return plain.length > 60 ? plain.slice(0, 59).trimEnd() + '…' : plain;
}

function resultText(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim() || '(nothing)';
  return flat.length > 200 ? flat.slice(0, 199) + '…' : flat;
}

/** The answer once the tool has answered, in the model's voice. */
function afterTool(req: DemoRequest, result: DemoMessage): string {
  const call = req.messages
    .flatMap((m) => m.calls ?? [])
    .reverse()
    .find(([id, name]) => (result.toolCallId ? id === result.toolCallId : name !== ''));
  const name = call?.[1] || 'the tool';
  const value = resultText(result.text);
  switch (req.model) {
    case 'demo-fast':
      return `${name} says: ${value}. That settles it.`;
    case 'demo-poet':
      return verse(`I asked ${name}; it made reply:`, `“${value}” — and so say I.`);
    case 'demo-thoughtful':
      return [
        '## What the tool found',
        '',
        `\`${name}\` answered:`,
        '',
        '```json',
        value,
        '```',
        '',
        `- **In short:** ${value}`,
        '- **Next:** ask a follow-up, or change the result and send again to see another answer.',
      ].join('\n');
  }
}

// ---- Arguments from a JSON Schema ----------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A plausible string for a property, by its name. */
function stringFor(name: string, topic: string, seed: number): string {
  const n = name.toLowerCase();
  if (/city|location|place|town|where/.test(n)) return ['Paris', 'Lisbon', 'Kyoto'][seed % 3]!;
  if (/country/.test(n)) return 'France';
  if (/unit/.test(n)) return 'celsius';
  if (/date|day/.test(n)) return '2025-06-01';
  if (/time/.test(n)) return '09:30';
  if (/zone/.test(n)) return 'Europe/Paris';
  if (/mail/.test(n)) return 'ada@example.com';
  if (/url|link/.test(n)) return 'https://example.com';
  if (/lang/.test(n)) return 'en';
  if (/name|user|person/.test(n)) return 'Ada';
  if (/id$/.test(n)) return `id-${(seed % 900) + 100}`;
  return topic;
}

/** A value that fits `schema` (enum, const, type; nested a few levels). */
function valueFor(schema: unknown, name: string, topic: string, seed: number, depth = 0): unknown {
  if (!isObject(schema) || depth > 4) return stringFor(name, topic, seed);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(options) && options.length) {
    return valueFor(options[0], name, topic, seed, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
      return Math.max(Number(schema.minimum ?? 1), (seed % 9) + 1);
    case 'number':
      return Math.max(Number(schema.minimum ?? 0), ((seed % 90) + 10) / 4);
    case 'boolean':
      return seed % 2 === 0;
    case 'array':
      return [valueFor(schema.items, name.replace(/s$/, ''), topic, seed, depth + 1)];
    case 'null':
      return null;
    case 'object':
    case undefined: {
      if (!isObject(schema.properties))
        return type === 'object' ? {} : stringFor(name, topic, seed);
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties)) {
        out[key] = valueFor(sub, key, topic, hashOf(key) + seed, depth + 1);
      }
      return out;
    }
    default:
      return stringFor(name, topic, seed);
  }
}

function callFor(tool: DemoTool, topic: string, seed: number): DemoReply {
  const args = valueFor(tool.parameters ?? { type: 'object' }, tool.name, topic, seed);
  return {
    kind: 'call',
    id: `call_demo_${seed.toString(36)}`,
    name: tool.name,
    arguments: JSON.stringify(isObject(args) ? args : { value: args }),
  };
}

/** The reply for choice `index`: a call, an answer to a tool's result, or canned text. */
export function composeReply(req: DemoRequest, index: number): DemoReply {
  const seed = hashOf(JSON.stringify(req.messages)) + index;
  const topic = topicOf(req.messages);
  const last = req.messages.at(-1);
  if (last && (last.role === 'tool' || last.role === 'function')) {
    return { kind: 'text', text: afterTool(req, last) };
  }
  const tool = req.tools[0];
  if (tool) return callFor(tool, topic, seed - index);
  const lines = VOICES[req.model];
  return { kind: 'text', text: lines[seed % lines.length]!(topic, seed) };
}
