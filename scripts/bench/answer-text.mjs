// Deterministic Markdown for the bench: streamed answers cut into tokens, and the
// messages of long stored conversations. Prose, lists, headings, inline code and fenced
// code blocks, so the Markdown and highlighting stack does the work a real answer asks of it.

const WORDS = (
  'the a model answer request stream token server browser page frame render parse ' +
  'message conversation history context window budget latency cache worker thread task ' +
  'value list block paragraph heading code function result error retry timeout status ' +
  'because when while after before every each only still never always often quickly ' +
  'measure compare check keep send read write open close start stop build test ship'
).split(' ');

const CODE = [
  ['ts', 'export function total(items: Item[]): number {'],
  ['ts', '  return items.reduce((sum, item) => sum + item.price * item.count, 0);'],
  ['ts', '}'],
  ['python', 'def fetch_all(client, ids):'],
  ['python', '    return [client.get(f"/items/{i}") for i in ids if i is not None]'],
  ['js', 'const res = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });'],
  ['js', 'if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);'],
  ['bash', 'curl -sS "$BASE/chat/completions" -H "Content-Type: application/json" -d @body.json'],
];

/** A small seeded generator (mulberry32): the same seed gives the same text. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One block of Markdown as tokens (pieces of about one word, as models send them). */
function block(rand, i, withCode) {
  const word = () => WORDS[Math.floor(rand() * WORDS.length)];
  const sentence = (n) => {
    const words = Array.from({ length: n }, word);
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    if (rand() < 0.3) words[2] = `\`${words[2]}\``;
    if (rand() < 0.2) words[4] = `**${words[4]}**`;
    return words.map((w, k) => (k === 0 ? w : ` ${w}`)).concat('.');
  };
  const kind = withCode && i % 4 === 3 ? 'code' : ['para', 'para', 'list', 'heading'][i % 4];
  if (kind === 'heading') return ['##', ...sentence(4).map((t, k) => (k ? t : ` ${t}`)), '\n\n'];
  if (kind === 'list') {
    return Array.from({ length: 3 }, () => ['-', ' ', ...sentence(6), '\n'])
      .flat()
      .concat('\n');
  }
  if (kind === 'code') {
    const start = Math.floor(rand() * (CODE.length - 3));
    const lines = CODE.slice(start, start + 3);
    const pieces = (line) => line.match(/.{1,4}/gs) ?? [];
    return ['```', lines[0][0], '\n', ...lines.flatMap(([, l]) => [...pieces(l), '\n']), '```\n\n'];
  }
  return [...sentence(8 + Math.floor(rand() * 10)), ' ', ...sentence(10), '\n\n'];
}

/**
 * Exactly `count` tokens of Markdown, the last one ` <marker>` in a paragraph of its own,
 * so a page can tell that the final token has arrived by finding the marker's text.
 * @param {{ count: number, marker: string, seed?: number, code?: boolean }} options
 * @returns {string[]}
 */
export function answerTokens({ count, marker, seed = 1, code = true }) {
  const rand = random(seed);
  const tail = ['\n\n', 'Done:', ` ${marker}`];
  const budget = Math.max(0, count - tail.length);
  const tokens = [];
  for (let i = 0; ; i++) {
    const next = block(rand, i, code);
    if (tokens.length + next.length > budget) break;
    tokens.push(...next);
  }
  // Whatever is left is plain words: never an unclosed code fence before the marker.
  while (tokens.length < budget) tokens.push(` ${WORDS[tokens.length % WORDS.length]}`);
  return [...tokens, ...tail].slice(-Math.max(count, 1));
}

/** Markdown text of about `words` words, the same for the same seed. */
export function markdownText({ words, seed, code }) {
  const rand = random(seed);
  const tokens = [];
  for (let i = 0; tokens.length < words; i++) tokens.push(...block(rand, i + seed, code));
  return tokens.join('').trim();
}
