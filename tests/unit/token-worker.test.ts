// The page's token worker (tokens/index.ts) with the real worker script
// (count.worker.ts): a fake Worker runs that script's `answer` in this thread,
// every message crossing by structured clone as between threads. One worker
// serves every chat pane's live count and the logit bias editor's token text;
// where no worker can start, the page runs the same script itself.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatText } from '../../src/lib/tokens/count';
import { countWithEncoding } from '../../src/lib/tokens/load';

type Listener = ((e: { data: unknown }) => void) | null;

const started = { workers: 0, failToStart: false };

/** A Worker whose script is the real count.worker module. */
class FakeWorker {
  onmessage: Listener = null;
  onerror: (() => void) | null = null;

  constructor(_url: unknown, options: WorkerOptions) {
    expect(options).toEqual({ type: 'module' });
    started.workers++;
    if (started.failToStart) setTimeout(() => this.onerror?.(), 0);
  }

  postMessage(data: unknown) {
    if (started.failToStart) return; // a worker that did not start hears nothing
    const req = structuredClone(data);
    void import('../../src/lib/tokens/count.worker').then(async ({ answer }) => {
      const reply = structuredClone(await answer(req as Parameters<typeof answer>[0]));
      setTimeout(() => this.onmessage?.({ data: reply }), 0);
    });
  }

  terminate() {}
}

beforeEach(() => {
  vi.resetModules(); // a new page: its token worker starts afresh
  started.workers = 0;
  started.failToStart = false;
  vi.stubGlobal('window', globalThis);
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const page = () => import('../../src/lib/tokens');

const chatA: ChatText[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi there, how are you?' },
];
const chatB: ChatText[] = [
  { role: 'user', content: 'Write me a long poem about the sea, with rhymes and a refrain.' },
  { role: 'assistant', content: 'The sea, the sea, it calls to me…' },
];
const draft = 'And now?';
const exact = (chat: ChatText[], encoding: 'o200k_base' | 'cl100k_base' = 'o200k_base') =>
  countWithEncoding(encoding, [...chat, { role: 'user', content: draft }]);

describe('the token worker', () => {
  it('is one for the whole page: every pane’s count and the token text', async () => {
    const { TokenCounter, tokenTexts } = await page();
    const a = new TokenCounter();
    const b = new TokenCounter();
    const [countA, countB, texts] = await Promise.all([
      a.count({ encoding: 'o200k_base', key: 1, history: { chat: chatA }, draft }),
      b.count({ encoding: 'o200k_base', key: 1, history: { chat: chatB }, draft }),
      // gpt-4's vocabulary: 12366 is " Paris"; no vocabulary has an id this large.
      tokenTexts('cl100k_base', [12366, 10_000_000]),
    ]);
    expect(countA).toBe(await exact(chatA));
    expect(countB).toBe(await exact(chatB));
    expect(texts).toEqual([' Paris', null]);
    expect(started.workers).toBe(1);
  });

  it('keeps each pane’s history apart, so a keystroke sends only the draft', async () => {
    const { TokenCounter } = await page();
    const a = new TokenCounter();
    const b = new TokenCounter();
    // Both panes call their history key 1; neither may be counted with the other's.
    await a.count({ encoding: 'o200k_base', key: 1, history: { chat: chatA }, draft: '' });
    await b.count({ encoding: 'o200k_base', key: 1, history: { chat: chatB }, draft: '' });
    expect(await a.count({ encoding: 'o200k_base', key: 1, draft })).toBe(await exact(chatA));
    expect(await b.count({ encoding: 'o200k_base', key: 1, draft })).toBe(await exact(chatB));
  });

  it('forgets a pane’s history when the pane goes', async () => {
    const { TokenCounter } = await page();
    const a = new TokenCounter();
    await a.count({ encoding: 'o200k_base', key: 1, history: { chat: chatA }, draft });
    a.dispose();
    await expect(a.count({ encoding: 'o200k_base', key: 1, draft })).rejects.toThrow(
      /lost the conversation/,
    );
  });

  it('where no worker can be made, the page runs the worker’s script: the same counts', async () => {
    vi.stubGlobal('Worker', undefined);
    const { TokenCounter, tokenTexts } = await page();
    const a = new TokenCounter();
    expect(
      await a.count({ encoding: 'cl100k_base', key: 1, history: { chat: chatB }, draft }),
    ).toBe(await exact(chatB, 'cl100k_base'));
    expect(await tokenTexts('cl100k_base', [12366])).toEqual([' Paris']);
  });

  it('a worker that fails to start fails what waited on it, then the page counts', async () => {
    started.failToStart = true;
    const { TokenCounter } = await page();
    const a = new TokenCounter();
    const question = { encoding: 'o200k_base' as const, key: 1, history: { chat: chatA }, draft };
    await expect(a.count(question)).rejects.toThrow(/token counter stopped/);
    expect(await a.count(question)).toBe(await exact(chatA));
    expect(started.workers).toBe(1);
  });
});
