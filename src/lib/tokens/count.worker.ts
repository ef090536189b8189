// Counts large prompts off the main thread, so typing stays smooth.

import type { ChatText, ToolDefs } from './count';
import { countWithEncoding } from './load';
import type { EncodingName } from './models';

export interface CountRequest {
  id: number;
  encoding: EncodingName;
  chat: ChatText[];
  tools?: ToolDefs;
}

export type CountReply = { id: number; tokens: number } | { id: number; error: string };

// The DOM lib types `self` as a Window; in a worker it is the worker scope.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<CountRequest>) => void) | null;
  postMessage(reply: CountReply): void;
};

scope.onmessage = async (e) => {
  const { id, encoding, chat, tools } = e.data;
  try {
    scope.postMessage({ id, tokens: await countWithEncoding(encoding, chat, tools) });
  } catch (err) {
    scope.postMessage({ id, error: String(err) });
  }
};
