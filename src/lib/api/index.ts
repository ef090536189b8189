export { runCompletion, backoffMs } from './run';
export type { RunRequest, RunResult, RunOutcome, RetryWait } from './run';
export { listModels } from './models';
export { primaryChoice, emptyAnswer } from './accumulator';
export type { AnswerState, ChoiceState } from './accumulator';
export { loadSdk as preloadSdk } from './client';
export type { ClientConfig } from './client';
export { hostOf } from './errors';
export { isEmptyAnswer, toAnswerMessage, toFinalMessage } from './answer';
