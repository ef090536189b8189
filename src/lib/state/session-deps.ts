// What a chat session is given by whoever makes it: the endpoint and key at
// send time, the runner (a fake one in tests), and how a compare pane's
// session differs from a conversation's own.

import type { ClientConfig, RunRequest, RunResult } from '../api';
import type { Message } from '../model/types';

export interface SessionDeps {
  /** The endpoint and key to use, read at send time. */
  config: () => ClientConfig;
  idleTimeoutMs: () => number;
  /** Injected in tests; the real runner otherwise. */
  run?: (req: RunRequest) => Promise<RunResult>;
  /**
   * Batches streamed updates; one flush per animation frame in the browser.
   * `grownBy`: characters the answer gained since it was last drawn.
   */
  schedule?: (flush: () => void, grownBy: number) => void;
  /**
   * History sent before this session's own messages (a compare pane's shared
   * turns). It is read at send time and never stored here.
   */
  prefix?: () => readonly Message[];
  /**
   * When a request fails with nothing back, keep the user's turn in the
   * transcript (a compare pane: the shared composer has moved on) instead of
   * putting it back in the draft.
   */
  keepTurnOnError?: boolean;
  /**
   * Before a request: true when the key may go where it would (at once, or
   * once the user agreed); false keeps everything as it was, draft included.
   */
  confirmKey?: () => boolean | Promise<boolean>;
}
