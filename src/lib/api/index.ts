export { runCompletion } from './run';
export type { RunRequest, RunResult, RetryWait } from './run';
export { listModels } from './models';
export { emptyAnswer } from './accumulator';
export type { AnswerState } from './accumulator';
export { loadSdk as preloadSdk } from './client';
export type { ClientConfig } from './client';
export { hostOf } from './errors';
export { isEmptyAnswer, toAnswerMessage, toFinalMessage } from './answer';
