// The API layer's door. What the first paint needs is here; what a request
// needs (the runner, the SDK) loads later, through loadRunner and preloadSdk.
import type { AppError } from '../model/types';
export type { RunRequest, RunResult, RetryWait } from './run';
export type { AnswerState } from './accumulator';
export type { ModelListResult } from './models';
export type { ClientConfig } from './client';
export { hostOf } from './host';
export { loadSdk as preloadSdk } from './client';

type Runner = typeof import('./runner');
let runner: Runner | undefined;
let loading: Promise<Runner> | undefined;

/** The runner module; loads once, right after the first paint or on the first request. */
export function loadRunner(): Promise<Runner> {
  loading ??= import('./runner').then((m) => {
    m.warmStreamWorker(); // streamed answers are read there: started before the first one
    return (runner = m);
  });
  return loading;
}

/** Why a request could not start: the runner's code did not load (`err`). */
export function runnerUnavailable(err: unknown): AppError {
  return {
    kind: 'network',
    message:
      navigator.onLine === false
        ? 'You are offline, and the code that sends requests was not downloaded yet. Your message is kept; send it again once you are back online.'
        : `The code that sends requests could not load (${String(err)}). Check the connection and reload the page; your message is kept.`,
    retryable: true,
  };
}

/** The runner module when it has loaded, so a request starts without waiting a tick. */
export function loadedRunner(): Runner | undefined {
  return runner;
}
