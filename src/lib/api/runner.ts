// The request-time half of the API layer: running a completion, turning the
// answer into a message, listing models. It loads on the first request (the
// page asks for it right after the first paint), never on the startup path.
export { runCompletion } from './run';
export { isEmptyAnswer, toAnswerMessage, toFinalMessage } from './answer';
export { listModels } from './models';
export { warmStreamWorker } from './worker-stream';
