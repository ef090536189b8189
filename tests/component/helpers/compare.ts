// A shared conversation and its compare grid, driven by a runner the test answers by hand.
import type { RunRequest, RunResult } from '../../../src/lib/api';
import { createConversation } from '../../../src/lib/model/conversation';
import { ChatSession } from '../../../src/lib/state/chat-session.svelte';
import { CompareState } from '../../../src/lib/state/compare.svelte';
import { answerState } from '../../builders/answers';

export const timing = { startedAt: 1000, firstTokenAt: 1400, endedAt: 2400 };

/** A runner the test answers by hand, one pending request per call. */
function manualRun() {
  const calls: { req: RunRequest; resolve: (r: RunResult) => void }[] = [];
  const run = (req: RunRequest) =>
    new Promise<RunResult>((resolve) => {
      calls.push({ req, resolve });
    });
  const callFor = (model: string) => calls.find((c) => c.req.body.model === model)!;
  const bodyOf = (model: string) => callFor(model).req.body;
  const answer = (model: string, content: string) =>
    callFor(model).resolve({
      answer: answerState(content, 'stop', { model }),
      outcome: 'done',
      timing,
    });
  return { run, calls, callFor, bodyOf, answer };
}

/** A conversation (gpt-4 unless `init` says otherwise) and its compare grid, not started. */
export function compareSetup(init: Parameters<typeof createConversation>[0] = {}) {
  const m = manualRun();
  const deps = {
    config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
    idleTimeoutMs: () => 60_000,
    run: m.run,
    schedule: (f: () => void) => f(),
  };
  const shared = new ChatSession(createConversation({ model: 'gpt-4', ...init }), deps);
  const compare = new CompareState(shared, deps);
  return { shared, compare, ...m };
}
