// Counts prompts off the main thread, so typing stays smooth; the vocabulary
// (megabytes) loads here, never on the page.

import { PromptCounter, type PromptCount } from './load';

export type CountRequest = PromptCount & { id: number };

/** `tokens: null`: this worker does not hold that history; send it with the draft. */
export type CountReply = { id: number; tokens: number | null } | { id: number; error: string };

// The DOM lib types `self` as a Window; in a worker it is the worker scope.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<CountRequest>) => void) | null;
  postMessage(reply: CountReply): void;
};

const counter = new PromptCounter();

scope.onmessage = async (e) => {
  const { id, ...req } = e.data;
  try {
    scope.postMessage({ id, tokens: await counter.count(req) });
  } catch (err) {
    scope.postMessage({ id, error: String(err) });
  }
};
