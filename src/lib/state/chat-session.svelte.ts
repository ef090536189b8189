import {
  primaryChoice,
  runCompletion,
  type AnswerState,
  type ClientConfig,
  type RetryWait,
  type RunOutcome,
  type RunRequest,
  type RunResult,
} from '../api';
import { selectChoice } from '../model/choices';
import { emptyTools, newId } from '../model/conversation';
import {
  localCallId,
  regenerableAnswer,
  toolResultsProblem,
  withoutEmptyResults,
  withResultSlots,
} from '../model/tools';
import { withAnswerDetails } from './answer-details';
import { toolsStatus } from './tools-validator.svelte';
import { firstParamProblem } from '../model/params';
import { toRequestBody } from '../model/request';
import type {
  AppError,
  Conversation,
  Message,
  MessageStatus,
  Params,
  Role,
  Timing,
  ToolCall,
  ToolsConfig,
} from '../model/types';
import { SCHEMA_VERSION } from '../model/types';

export interface SessionDeps {
  /** The endpoint and key to use, read at send time. */
  config: () => ClientConfig;
  idleTimeoutMs: () => number;
  /** Injected in tests; the real runner otherwise. */
  run?: (req: RunRequest) => Promise<RunResult>;
  /** Batches streamed updates; one flush per animation frame in the browser. */
  schedule?: (flush: () => void) => void;
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
}

/**
 * Where a session's model, system message and parameters live. A plain
 * conversation holds its own; a compare pane reads the shared ones through its
 * overrides, and writes land as overrides.
 */
export interface SessionConfig {
  model: string;
  systemMessage: string;
  stream: boolean;
  params: Params;
  tools: ToolsConfig;
  /** Takes the values of a loaded conversation (a pane's config ignores them). */
  load(conv: Conversation): void;
}

/** The config a conversation keeps for itself. */
export class OwnConfig implements SessionConfig {
  model = $state('gpt-4');
  systemMessage = $state('');
  stream = $state(true);
  params = $state.raw<Params>({});
  tools = $state.raw<ToolsConfig>(emptyTools());

  load(conv: Conversation) {
    this.model = conv.model;
    this.systemMessage = conv.systemMessage;
    this.stream = conv.stream;
    this.params = conv.params;
    this.tools = conv.tools;
  }
}

/** The turn a transcript waits to have answered: it ends with a user turn or results. */
export function awaitsAnswer(history: readonly Message[]): boolean {
  const last = history.at(-1);
  return last !== undefined && last.role !== 'assistant';
}

const STATUS_BY_OUTCOME: Record<RunOutcome, MessageStatus> = {
  done: 'done',
  stopped: 'stopped',
  stalled: 'stalled',
  incomplete: 'incomplete',
  error: 'error',
};

function defaultSchedule(flush: () => void) {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 16);
}

/** The answer so far, as a stored message. */
export function answerToMessage(base: Message, answer: AnswerState, timing: Timing): Message {
  const c = primaryChoice(answer);
  const msg: Message = {
    ...base,
    content: c.content,
    finishReason: c.finishReason,
    usage: answer.usage,
    timing: { ...timing },
  };
  if (c.refusal) msg.refusal = c.refusal;
  if (c.reasoning) msg.reasoning = c.reasoning;
  if (c.toolCalls.length) msg.toolCalls = c.toolCalls;
  if (answer.model) msg.model = answer.model;
  return msg;
}

/**
 * Gives every tool call an id. Legacy function_call answers (and some
 * servers) send none, yet results are linked to calls by id, and the current
 * tools format needs one on the wire.
 */
function withCallIds(m: Message): Message {
  const fill = (calls: ToolCall[] | undefined) =>
    calls?.some((c) => !c.id)
      ? calls.map((c) => (c.id ? c : { ...c, id: localCallId(newId()) }))
      : calls;
  const toolCalls = fill(m.toolCalls);
  if (toolCalls === m.toolCalls && !m.choices?.some((c) => c.toolCalls?.some((t) => !t.id))) {
    return m;
  }
  const out: Message = { ...m };
  if (toolCalls) out.toolCalls = toolCalls;
  if (m.choices) {
    out.choices = m.choices.map((c, i) => {
      const calls = i === (m.chosen ?? 0) ? toolCalls : fill(c.toolCalls);
      return calls ? { ...c, toolCalls: calls } : c;
    });
  }
  return out;
}

/**
 * One conversation and the request running for it. Several can exist side by
 * side (compare panes), each with its own Stop, errors and retries.
 */
export class ChatSession {
  id = $state('');
  title = $state('');
  createdAt = 0;
  updatedAt = $state(0);
  /**
   * Problems a parameter editor sees that params cannot hold (a schema that is
   * not valid JSON yet), by editor; they block Send like invalid params do.
   */
  paramIssues = $state.raw<Record<string, string>>({});
  draft = $state('');
  /** Replaced whole on every change so unchanged messages keep their identity. */
  messages = $state.raw<Message[]>([]);
  /** The tools text checked (parsed value, names, diagnostics with positions) and what blocks Send. */
  readonly toolsStatus = $derived(toolsStatus(this.tools.json, this.tools.format, this.tools));
  get toolsCheck() {
    return this.toolsStatus.check;
  }

  #busy = $state(false);
  #error = $state.raw<AppError | null>(null);
  #retryWait = $state.raw<RetryWait | null>(null);
  #controller: AbortController | null = null;
  #deps: SessionDeps;
  readonly #config: SessionConfig;

  constructor(conv: Conversation, deps: SessionDeps, config: SessionConfig = new OwnConfig()) {
    this.#deps = deps;
    this.#config = config;
    this.load(conv);
  }

  get model() {
    return this.#config.model;
  }
  set model(v: string) {
    this.#config.model = v;
  }
  get systemMessage() {
    return this.#config.systemMessage;
  }
  set systemMessage(v: string) {
    this.#config.systemMessage = v;
  }
  get stream() {
    return this.#config.stream;
  }
  set stream(v: boolean) {
    this.#config.stream = v;
  }
  get params(): Params {
    return this.#config.params;
  }
  set params(v: Params) {
    this.#config.params = v;
  }
  /** The Tools region: definitions text, wire format, tool_choice, parallel_tool_calls. */
  get tools(): ToolsConfig {
    return this.#config.tools;
  }
  set tools(v: ToolsConfig) {
    this.#config.tools = v;
  }

  /** Everything a request sends before the draft: the prefix, then this session's messages. */
  get history(): Message[] {
    const prefix = this.#deps.prefix?.() ?? [];
    return prefix.length ? [...prefix, ...this.messages] : this.messages;
  }

  /** A request is in flight (or waiting to retry). */
  get busy() {
    return this.#busy;
  }
  /** A failure that produced no answer; shown next to the composer. */
  get error() {
    return this.#error;
  }
  get retryWait() {
    return this.#retryWait;
  }

  load(conv: Conversation) {
    this.stop();
    this.#controller = null;
    this.#busy = false;
    this.#retryWait = null;
    this.id = conv.id;
    this.title = conv.title;
    this.createdAt = conv.createdAt;
    this.updatedAt = conv.updatedAt;
    this.#config.load(conv);
    this.paramIssues = {};
    this.messages = conv.messages;
    this.draft = conv.draft;
    this.#error = null;
  }

  /** A plain snapshot for storage and export. Reading it tracks every field. */
  toConversation(): Conversation {
    return $state.snapshot({
      schemaVersion: SCHEMA_VERSION,
      id: this.id,
      title: this.title,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      systemMessage: this.systemMessage,
      model: this.model,
      stream: this.stream,
      params: this.params,
      tools: this.tools,
      messages: this.messages,
      draft: this.draft,
    }) as Conversation;
  }

  /** Why Send cannot run right now, or null when it can. */
  get sendBlocker(): string | null {
    return this.blockerFor(this.draft);
  }

  /** Why sending `draft` could not run right now, or null when it could. */
  blockerFor(draft: string): string | null {
    if (this.#busy) return 'A request is already running.';
    if (this.model.trim() === '') return 'Choose a model first.';
    const history = this.history;
    if (draft.trim() === '' && history.length === 0) return 'Type a message first.';
    const problem = firstParamProblem(this.params) ?? Object.values(this.paramIssues)[0];
    if (problem) return `Not sent: ${problem}`;
    const toolsProblem = this.toolsStatus.problem;
    if (toolsProblem) return `Not sent: ${toolsProblem}`;
    const results = toolResultsProblem(history);
    if (results) return `Not sent: ${results}`;
    return null;
  }

  /** The answer Regenerate replaces (the last one, if only its empty result boxes follow). */
  get regenerable(): Message | undefined {
    return regenerableAnswer(this.messages);
  }

  /**
   * Sends the draft (if any) and streams the answer. With an empty draft it
   * answers the transcript as it stands, playground style.
   */
  async send(): Promise<void> {
    if (this.sendBlocker) return;
    const text = this.draft;
    let sentDraft: Message | null = null;
    if (text.trim() !== '') {
      sentDraft = { id: newId(), role: 'user', content: text };
      this.messages = [...this.messages, sentDraft];
      this.draft = '';
    }
    await this.#complete(sentDraft);
  }

  /**
   * Replaces the last answer with a new one. When the transcript ends with
   * results (or a user turn), it re-runs that turn: a new answer is added.
   */
  async regenerate(): Promise<void> {
    if (this.#busy) return;
    const last = this.regenerable;
    if (last) this.messages = this.messages.slice(0, this.messages.indexOf(last));
    await this.#complete(null);
  }

  stop() {
    this.#controller?.abort();
  }

  editMessage(id: string, patch: Partial<Pick<Message, 'content' | 'role'>>) {
    this.messages = this.messages.map((m) => (m.id === id ? { ...m, ...patch } : m));
    this.#touch();
  }

  deleteMessage(id: string) {
    this.messages = this.messages.filter((m) => m.id !== id);
    this.#touch();
  }

  /** Adds a message by hand, playground style; returns its id. */
  addMessage(role: Role, content = ''): string {
    const id = newId();
    this.messages = [...this.messages, { id, role, content }];
    this.#touch();
    return id;
  }

  dismissError() {
    this.#error = null;
  }

  /**
   * Makes choice `index` of an n > 1 answer the one a follow-up sends. Its
   * tool calls get result boxes; empty boxes of the previous choice go.
   */
  useChoice(id: string, index: number) {
    const chosen = this.messages.map((m) => (m.id === id ? selectChoice(m, index) : m));
    this.messages = withResultSlots(withoutEmptyResults(chosen, id), id, newId);
    this.#touch();
  }

  /** Adds an empty result box for every call of this answer that has none. */
  addToolResults(assistantId: string) {
    this.messages = withResultSlots(this.messages, assistantId, newId);
    this.#touch();
  }

  #touch() {
    this.updatedAt = Date.now();
  }

  async #complete(sentDraft: Message | null) {
    const controller = new AbortController();
    this.#controller = controller;
    this.#busy = true;
    this.#error = null;
    const body = toRequestBody({
      model: this.model,
      systemMessage: this.systemMessage,
      messages: this.history,
      params: this.params,
      stream: this.stream,
      tools: this.tools,
    });
    const placeholder: Message = {
      id: newId(),
      role: 'assistant',
      content: '',
      status: 'streaming',
      timing: { startedAt: Date.now() },
    };
    this.messages = [...this.messages, placeholder];
    this.#touch();

    let pending: { answer: AnswerState; timing: Timing } | null = null;
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (!pending) return;
      this.#replace(placeholder.id, (m) =>
        withAnswerDetails(answerToMessage(m, pending!.answer, pending!.timing), pending!.answer),
      );
    };
    const schedule = this.#deps.schedule ?? defaultSchedule;
    const run = this.#deps.run ?? runCompletion;

    const result = await run({
      config: this.#deps.config(),
      body,
      idleTimeoutMs: this.#deps.idleTimeoutMs(),
      signal: controller.signal,
      onUpdate: (answer, timing) => {
        pending = { answer, timing };
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      },
      onRetryWait: (wait) => {
        this.#retryWait = wait;
      },
    });

    pending = null;
    if (this.#controller !== controller) return; // load() replaced the conversation meanwhile
    this.#controller = null;
    this.#retryWait = null;
    this.#finish(placeholder, sentDraft, result);
    this.#busy = false;
  }

  #finish(placeholder: Message, sentDraft: Message | null, result: RunResult) {
    const answered = withAnswerDetails(
      answerToMessage(placeholder, result.answer, result.timing),
      result.answer,
    );
    const empty =
      answered.content === '' && !answered.refusal && !answered.toolCalls && !answered.reasoning;
    if (result.outcome === 'error' && empty) {
      // Nothing came back: take the turn back out so the transcript is as it
      // was, put the text back in the composer, and say why next to it.
      this.messages = this.messages.filter((m) => m.id !== placeholder.id);
      if (sentDraft && this.draft === '' && !this.#deps.keepTurnOnError) {
        this.messages = this.messages.filter((m) => m.id !== sentDraft.id);
        this.draft = sentDraft.content;
      }
      this.#error = result.error ?? null;
      this.#touch();
      return;
    }
    if (result.outcome === 'stopped' && empty) {
      this.messages = this.messages.filter((m) => m.id !== placeholder.id);
      this.#touch();
      return;
    }
    const final: Message = withCallIds({
      ...answered,
      status: STATUS_BY_OUTCOME[result.outcome],
    });
    if (result.requestId) final.requestId = result.requestId;
    if (result.error) final.error = result.error;
    if (result.request) final.request = result.request;
    if (result.response) final.response = result.response;
    this.#replace(placeholder.id, () => final);
    // The model asked for tools: one result box per call, ready to type into.
    if (final.toolCalls?.length) this.messages = withResultSlots(this.messages, final.id, newId);
    this.#touch();
  }

  #replace(id: string, update: (m: Message) => Message) {
    const i = this.messages.findIndex((m) => m.id === id);
    if (i < 0) return;
    const next = this.messages.slice();
    next[i] = update(next[i]!);
    this.messages = next;
  }
}
