// "View code": the same request as curl, Python and Node. Each snippet embeds
// the body so that it parses back to exactly the JSON the inspector shows; the
// key is never written into a snippet, only read from OPENAI_API_KEY.

import { DEFAULT_BASE_URL } from './settings';

export interface SnippetTarget {
  baseURL: string;
  organization?: string;
  project?: string;
}

export type SnippetLanguage = 'curl' | 'python' | 'node';

const trimSlash = (url: string) => url.trim().replace(/\/+$/, '');

/** The base URL to spell out, or null when it is the SDKs' default. */
function customBaseURL(target: SnippetTarget): string | null {
  const url = trimSlash(target.baseURL);
  return url === '' || url === trimSlash(DEFAULT_BASE_URL) ? null : url;
}

const isStream = (body: unknown) =>
  typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;

/** A POSIX shell word: single quotes, each ' written as '\''. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function curlSnippet(body: unknown, target: SnippetTarget): string {
  const url = `${trimSlash(target.baseURL) || trimSlash(DEFAULT_BASE_URL)}/chat/completions`;
  const lines = [`curl ${shellQuote(url)}`];
  if (isStream(body)) lines.push('  --no-buffer');
  lines.push(`  -H 'Content-Type: application/json'`);
  lines.push(`  -H "Authorization: Bearer $OPENAI_API_KEY"`);
  if (target.organization)
    lines.push(`  -H ${shellQuote(`OpenAI-Organization: ${target.organization}`)}`);
  if (target.project) lines.push(`  -H ${shellQuote(`OpenAI-Project: ${target.project}`)}`);
  // A quoted heredoc passes the JSON through untouched: no $, ` or ' is special in it,
  // and a JSON text never has a line that is just JSON.
  lines.push(`  --data-binary @- <<'JSON'`);
  return `${lines.join(' \\\n')}\n${JSON.stringify(body, null, 2)}\nJSON\n`;
}

/**
 * A Python literal for a JSON value. JSON string syntax is valid Python string
 * syntax (\uXXXX included), so strings and numbers keep their JSON spelling.
 */
function toPythonLiteral(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent + 4);
  const end = ' '.repeat(indent);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => `${pad}${toPythonLiteral(v, indent + 4)},`);
    return `[\n${items.join('\n')}\n${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    if (entries.length === 0) return '{}';
    const items = entries.map(
      ([k, v]) => `${pad}${JSON.stringify(k)}: ${toPythonLiteral(v, indent + 4)},`,
    );
    return `{\n${items.join('\n')}\n${end}}`;
  }
  return 'None';
}

export function pythonSnippet(body: unknown, target: SnippetTarget): string {
  const options: string[] = [];
  const base = customBaseURL(target);
  if (base) options.push(`    base_url=${JSON.stringify(base)},`);
  if (target.organization) options.push(`    organization=${JSON.stringify(target.organization)},`);
  if (target.project) options.push(`    project=${JSON.stringify(target.project)},`);
  const client = options.length ? `OpenAI(\n${options.join('\n')}\n)` : 'OpenAI()';
  const call = isStream(body)
    ? [
        'stream = client.chat.completions.create(**body)',
        'for chunk in stream:',
        '    if chunk.choices:',
        '        print(chunk.choices[0].delta.content or "", end="", flush=True)',
        'print()',
      ]
    : [
        'completion = client.chat.completions.create(**body)',
        'print(completion.choices[0].message.content)',
      ];
  return [
    'from openai import OpenAI',
    '',
    '# The key is read from the OPENAI_API_KEY environment variable.',
    `client = ${client}`,
    '',
    `body = ${toPythonLiteral(body)}`,
    '',
    ...call,
    '',
  ].join('\n');
}

export function nodeSnippet(body: unknown, target: SnippetTarget): string {
  const options: string[] = [];
  const base = customBaseURL(target);
  if (base) options.push(`  baseURL: ${JSON.stringify(base)},`);
  if (target.organization) options.push(`  organization: ${JSON.stringify(target.organization)},`);
  if (target.project) options.push(`  project: ${JSON.stringify(target.project)},`);
  const client = options.length ? `new OpenAI({\n${options.join('\n')}\n})` : 'new OpenAI()';
  const call = isStream(body)
    ? [
        'const stream = await client.chat.completions.create(body);',
        'for await (const chunk of stream) {',
        "  process.stdout.write(chunk.choices[0]?.delta?.content ?? '');",
        '}',
      ]
    : [
        'const completion = await client.chat.completions.create(body);',
        'console.log(completion.choices[0]?.message.content);',
      ];
  return [
    "import OpenAI from 'openai';",
    '',
    '// The key is read from the OPENAI_API_KEY environment variable.',
    `const client = ${client};`,
    '',
    `const body = ${JSON.stringify(body, null, 2)};`,
    '',
    ...call,
    '',
  ].join('\n');
}

export function snippet(lang: SnippetLanguage, body: unknown, target: SnippetTarget): string {
  if (lang === 'curl') return curlSnippet(body, target);
  if (lang === 'python') return pythonSnippet(body, target);
  return nodeSnippet(body, target);
}
