// "View code": every snippet must carry exactly the body the inspector shows,
// and never the key. Where the tools are installed the snippets are also run:
// the curl one through bash (with curl replaced by `cat`), the Python literal
// through python3's ast.literal_eval.

import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  curlSnippet,
  nodeSnippet,
  pythonSnippet,
  type SnippetTarget,
} from '../../src/lib/model/snippets';

const has = (cmd: string) => {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const HAS_BASH = has('bash');
const HAS_PYTHON = has('python3');
if (!HAS_BASH) console.warn('snippets.test.ts: bash not found, curl snippets only parsed');
if (!HAS_PYTHON) console.warn('snippets.test.ts: python3 not found, Python literals only parsed');

const KEY = 'sk-live-DO-NOT-LEAK-9876';
const OPENAI = { baseURL: 'https://api.openai.com/v1' };

const BODIES: Record<string, object> = {
  plain: { model: 'gpt-4', messages: [{ role: 'user', content: 'Hi' }] },
  'quotes, apostrophes and shell metacharacters': {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: `It's "quoted" — 'single' and "double"; $HOME \`whoami\` \\ !` },
      { role: 'user', content: "'; rm -rf ~; echo '\nJSON\nEOF\n<<'JSON'" },
    ],
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  },
  'unicode and escapes': {
    model: 'gpt-4o-mini',
    messages: [
      {
        role: 'user',
        content: 'naïve café ☀️ こんにちは 👋🏽 \u2028 \u0000 tab\there C:\\path\\n lone \ud800',
      },
    ],
    stop: ['\n\n', 'True', 'None', 'null'],
    seed: 9007199254740991,
    top_p: 1e-7,
    presence_penalty: -0.5,
  },
  'nested response_format and tools': {
    model: 'gpt-4o-2024-08-06',
    messages: [
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'answer',
        strict: true,
        schema: {
          type: 'object',
          properties: {
            ok: { type: 'boolean', default: false },
            items: { type: 'array', items: {} },
          },
          required: ['ok'],
          additionalProperties: false,
        },
      },
    },
    logprobs: true,
    top_logprobs: 3,
    n: 2,
  },
};

/** The body of a curl snippet, read back. */
function curlJson(code: string): unknown {
  const m = /<<'JSON'\n([\s\S]*)\nJSON\n$/.exec(code);
  if (!m) throw new Error(`no heredoc in:\n${code}`);
  return JSON.parse(m[1]!);
}

/** Runs the curl snippet in bash with a fake curl: its stdin and its arguments. */
function runCurl(code: string): { stdin: string; args: string[] } {
  const run = spawnSync(
    'bash',
    ['--norc', '--noprofile', '-c', `curl() { printf '%s\\0' "$@" >&2; cat; }\n${code}`],
    {
      env: { OPENAI_API_KEY: KEY, PATH: process.env.PATH },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`bash failed: ${run.stderr}`);
  return { stdin: run.stdout, args: run.stderr.split('\0').slice(0, -1) };
}

/** A Python literal of JSON data, turned back into JSON (True/False/None outside strings). */
function pythonLiteralToJson(literal: string): string {
  return literal
    .replace(/"(?:[^"\\]|\\.)*"|\bTrue\b|\bFalse\b|\bNone\b/g, (t) =>
      t === 'True' ? 'true' : t === 'False' ? 'false' : t === 'None' ? 'null' : t,
    )
    .replace(/,(\s*[}\]])/g, '$1');
}

function pythonLiteral(code: string): string {
  const m = /\nbody = ([\s\S]*?)\n\n/.exec(code);
  if (!m) throw new Error(`no body in:\n${code}`);
  return m[1]!;
}

function nodeLiteral(code: string): string {
  const m = /\nconst body = ([\s\S]*?);\n\n/.exec(code);
  if (!m) throw new Error(`no body in:\n${code}`);
  return m[1]!;
}

describe.each(Object.entries(BODIES))('the %s body', (_name, body) => {
  it('curl: the heredoc is the body, and bash passes it to curl unchanged', () => {
    const code = curlSnippet(body, OPENAI);
    expect(curlJson(code)).toEqual(body);
    if (!HAS_BASH) return;
    const { stdin, args } = runCurl(code);
    expect(JSON.parse(stdin)).toEqual(body);
    expect(args).toContain(`Authorization: Bearer ${KEY}`);
    expect(args[0]).toBe('https://api.openai.com/v1/chat/completions');
  });

  it('Python: the body literal evaluates to the body', () => {
    const code = pythonSnippet(body, OPENAI);
    const literal = pythonLiteral(code);
    expect(JSON.parse(pythonLiteralToJson(literal))).toEqual(body);
    expect(code).toContain('client.chat.completions.create(**body)');
    if (!HAS_PYTHON) return;
    const json = execFileSync(
      'python3',
      ['-c', 'import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))'],
      { input: literal, encoding: 'utf8' },
    );
    expect(JSON.parse(json)).toEqual(body);
  });

  it('Node: the body literal is the body, as JSON and as JavaScript', () => {
    const code = nodeSnippet(body, OPENAI);
    const literal = nodeLiteral(code);
    expect(JSON.parse(literal)).toEqual(body);
    expect(new Function(`return ${literal};`)()).toEqual(body);
    expect(code).toContain("import OpenAI from 'openai';");
  });
});

describe('the client setup', () => {
  const body = BODIES.plain!;
  const all = (target: SnippetTarget) => [
    curlSnippet(body, target),
    pythonSnippet(body, target),
    nodeSnippet(body, target),
  ];

  it('never writes the key, and reads it from OPENAI_API_KEY', () => {
    const target = { ...OPENAI, apiKey: KEY, organization: 'org-1', project: 'proj_1' };
    for (const code of all(target)) {
      expect(code).not.toContain(KEY);
      expect(code).toContain('OPENAI_API_KEY');
    }
  });

  it('leaves out the default base URL, organization and project when not set', () => {
    const [curl, py, node] = all({ baseURL: 'https://api.openai.com/v1/' });
    expect(py).toContain('client = OpenAI()');
    expect(py).not.toMatch(/base_url|organization|project/);
    expect(node).toContain('const client = new OpenAI();');
    expect(node).not.toMatch(/baseURL|organization|project/);
    expect(curl).not.toMatch(/OpenAI-Organization|OpenAI-Project/);
  });

  it('spells out another base URL, the organization and the project', () => {
    const target = {
      baseURL: 'http://127.0.0.1:11434/v1/',
      organization: "org-o'brien",
      project: 'proj_2',
    };
    const [curl, py, node] = all(target);
    expect(py).toContain('base_url="http://127.0.0.1:11434/v1"');
    expect(py).toContain(`organization="org-o'brien"`);
    expect(py).toContain('project="proj_2"');
    expect(node).toContain('baseURL: "http://127.0.0.1:11434/v1"');
    expect(node).toContain(`organization: "org-o'brien"`);
    expect(node).toContain('project: "proj_2"');
    expect(curl).toContain("'http://127.0.0.1:11434/v1/chat/completions'");
    if (!HAS_BASH) return;
    const { args } = runCurl(curl!);
    expect(args).toContain("OpenAI-Organization: org-o'brien");
    expect(args).toContain('OpenAI-Project: proj_2');
  });

  it('streams only when the body asks for it', () => {
    const streamed = { ...body, stream: true };
    expect(pythonSnippet(streamed, OPENAI)).toContain('for chunk in stream:');
    expect(pythonSnippet(body, OPENAI)).not.toContain('for chunk in stream:');
    expect(nodeSnippet(streamed, OPENAI)).toContain('for await (const chunk of stream)');
    expect(curlSnippet(streamed, OPENAI)).toContain('--no-buffer');
    expect(curlSnippet(body, OPENAI)).not.toContain('--no-buffer');
  });
});
