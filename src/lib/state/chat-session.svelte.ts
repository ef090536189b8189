import {
  loadedRunner,
  loadRunner,
  runnerUnavailable,
  type AnswerState,
  type RetryWait,
  type RunResult,
} from '../api';
import { selectChoice } from '../model/choices';
import { newId } from '../model/conversation';
import {
  regenerableAnswer,
  toolResultsProblem,
  withoutEmptyResults,
  withResultSlots,
} from '../model/tools';
import { toolsStatus } from './tools-validator.svelte';
import { firstParamProblem } from '../model/params';
import { systemRoleFor, toRequestBody } from '../model/request';
import type {
  AppError,
  Conversation,
  FilePart,
  ImagePart,
  Message,
  Params,
  SystemRole,
  Role,
  Timing,
  ToolsConfig,
} from '../model/types';
import { SCHEMA_VERSION } from '../model/types';
import { Draft } from './draft.svelte';
import type { SessionDeps } from './session-deps';
import { OwnConfig, type SessionConfig } from './session-config.svelte';
import { streamingUpdates } from './update-cadence';

/** The wait before an automatic retry, as the retry notice shows it. */
export type { RetryWait };
export type { SessionDeps } from './session-deps';

/** Why nothing can be sent or changed while a long conversation's earlier messages are read. */
export const OPENING = 'Opening the conversation…';

/** The text an answer has so far, all choices: what a draw lays out. */
const textLength = (answer: AnswerState) =>
  answer.choices.reduce((n, c) => n + c.content.length + c.refusal.length + c.reasoning.length, 0);

/**
 * One conversation and the request running for it. Several can exist side by
 * side (compare panes), each with its own Stop, errors and retries.
 */
export class ChatSession {
  #id = $state('');
  #title = $state('');
  #createdAt = 0;
  #updatedAt = $state(0);
  /**
   * Problems a parameter editor sees that params cannot hold (a schema that is
   * not valid JSON yet), by editor; they block Send like invalid params do.
   */
  #paramIssues = $state.raw<Record<string, string>>({});
  readonly #draft = new Draft();
  /** Replaced whole on every change so unchanged messages keep their identity. */
  #messages = $state.raw<Message[]>([]);
  /** How many messages before these are still being read (see `earlier`). */
  #earlier = $state(0);
  #busy = $state(false);
  #error = $state.raw<AppError | null>(null);
  #retryWait = $state.raw<RetryWait | null>(null);
  #controller: AbortController | null = null;
  #deps: SessionDeps;
  readonly #config: SessionConfig;
  /** The tools text checked (parsed value, names, diagnostics with positions) and what blocks Send. */
  readonly toolsStatus = $derived(toolsStatus(this.tools.json, this.tools.format, this.tools));

  constructor(conv: Conversation, deps: SessionDeps, config: SessionConfig = new OwnConfig()) {
    this.#deps = deps;
    this.#config = config;
    this.load(conv);
  }

  get id() {
    return this.#id;
  }
  /** The title the user gave ('' : made from the first user message). */
  get title() {
    return this.#title;
  }
  set title(v: string) {
    this.#title = v;
  }
  get createdAt() {
    return this.#createdAt;
  }
  get updatedAt() {
    return this.#updatedAt;
  }
  get draft() {
    return this.#draft.text;
  }
  set draft(v: string) {
    this.#draft.text = v;
  }
  /** Images attached to the draft, sent with it after its text. */
  get draftImages(): readonly ImagePart[] {
    return this.#draft.images;
  }
  set draftImages(v: readonly ImagePart[]) {
    this.#draft.images = v;
  }
  /** Audio and PDFs attached to the draft, sent after its images. */
  get draftFiles(): readonly FilePart[] {
    return this.#draft.files;
  }
  set draftFiles(v: readonly FilePart[]) {
    this.#draft.files = v;
  }
  get messages(): readonly Message[] {
    return this.#messages;
  }
  /**
   * How many messages before `messages` are still being read (a long
   * conversation opens with its newest). Until they are in, nothing is sent
   * and no message is changed: what arrives replaces `messages`.
   */
  get earlier(): number {
    return this.#earlier;
  }
  get paramIssues(): Readonly<Record<string, string>> {
    return this.#paramIssues;
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
  /** The role chosen for the system message; undefined: the model's. */
  get systemRole(): SystemRole | undefined {
    return this.#config.systemRole;
  }
  set systemRole(v: SystemRole | undefined) {
    this.#config.systemRole = v;
  }
  /** The role the system message goes with now: the one chosen, else the model's. */
  get sentSystemRole(): SystemRole {
    return systemRoleFor(this.model, this.systemRole);
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
  get toolsCheck() {
    return this.toolsStatus.check;
  }

  /** Everything a request sends before the draft: the prefix, then this session's messages. */
  get history(): readonly Message[] {
    const prefix = this.#deps.prefix?.() ?? [];
    return prefix.length ? [...prefix, ...this.#messages] : this.#messages;
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

  /** Ends a wait before an automatic retry: the retry starts now. */
  retryNow() {
    this.#retryWait?.retryNow();
  }

  load(conv: Conversation) {
    this.stop();
    this.#controller = null;
    this.#busy = false;
    this.#retryWait = null;
    this.#id = conv.id;
    this.#title = conv.title;
    this.#createdAt = conv.createdAt;
    this.#updatedAt = conv.updatedAt;
    this.#config.load(conv);
    this.#paramIssues = {};
    this.#messages = conv.messages;
    this.#earlier = 0;
    this.#draft.load(conv);
    this.#error = null;
  }

  /** The messages shown are the newest: `earlier` more are being read (`takeEarlier`). */
  awaitEarlier(earlier: number) {
    this.#earlier = earlier;
  }

  /** All the messages, read at last: `messages` were their newest. */
  takeEarlier(all: readonly Message[]) {
    this.#messages = [...all];
    this.#earlier = 0;
  }

  /** This conversation goes on under a new id (kept as a copy of what another tab saved). */
  rekey(id: string, title: string) {
    this.#id = id;
    this.#title = title;
  }

  /** Every saved field by reference, without copying: autosave compares these. */
  track(): readonly unknown[] {
    const own = [this.#id, this.#title, this.#updatedAt, this.#messages, ...this.#draft.track()];
    return [...own, ...this.#config.track()];
  }

  /** A plain copy for storage and export. */
  toConversation(): Conversation {
    const setup = $state.snapshot({
      schemaVersion: SCHEMA_VERSION,
      id: this.#id,
      title: this.#title,
      createdAt: this.#createdAt,
      updatedAt: this.#updatedAt,
      systemMessage: this.systemMessage,
      ...(this.systemRole ? { systemRole: this.systemRole } : {}),
      model: this.model,
      stream: this.stream,
      params: this.params,
      tools: this.tools,
    });
    // The messages (and the draft's files) are not copied: each is replaced to
    // change, never edited in place, so storage can tell a changed one by its identity.
    return { ...setup, messages: [...this.#messages], ...this.#draft.fields() };
  }

  /** Records (or clears, with null) what a parameter editor found wrong; it blocks Send. */
  setParamIssue(editor: string, issue: string | null) {
    if ((this.#paramIssues[editor] ?? null) === issue) return;
    const next = { ...this.#paramIssues };
    if (issue) next[editor] = issue;
    else delete next[editor];
    this.#paramIssues = next;
  }

  /** Why Send cannot run right now, or null when it can. */
  get sendBlocker(): string | null {
    return this.blockerFor(this.#draft.text, this.#draft.attached);
  }

  /** Why sending `draft` (with attachments or not) could not run right now, or null when it could. */
  blockerFor(draft: string, attached = false): string | null {
    if (this.#earlier > 0) return OPENING;
    if (this.#busy) return 'A request is already running.';
    if (this.model.trim() === '') return 'Choose a model first.';
    if (draft.trim() === '' && !attached && this.history.length === 0)
      return 'Type a message first.';
    return this.#setupBlocker;
  }

  // What blocks Send whatever the draft says: worked out when the setup or
  // the history changes, not on every keystroke (it reads every message).
  #setupBlocker = $derived.by(() => {
    const problem = firstParamProblem(this.params) ?? Object.values(this.#paramIssues)[0];
    if (problem) return `Not sent: ${problem}`;
    const toolsProblem = this.toolsStatus.problem;
    if (toolsProblem) return `Not sent: ${toolsProblem}`;
    const results = toolResultsProblem(this.history);
    return results ? `Not sent: ${results}` : null;
  });

  /** The answer Regenerate replaces (the last one, if only its empty result boxes follow). */
  get regenerable(): Message | undefined {
    return regenerableAnswer(this.#messages);
  }

  /**
   * Sends the draft (if any) and streams the answer. With an empty draft it
   * answers the transcript as it stands, playground style.
   */
  async send(): Promise<void> {
    if (this.sendBlocker) return;
    const may = this.#keyMayGo();
    if (may !== true && !(await may)) return;
    const sentDraft = this.#draft.take();
    if (sentDraft) this.#messages = [...this.#messages, sentDraft];
    await this.#complete(sentDraft);
  }

  /**
   * Replaces the last answer with a new one. When the transcript ends with
   * results (or a user turn), it re-runs that turn: a new answer is added.
   */
  async regenerate(): Promise<void> {
    if (this.#busy || this.#earlier > 0) return;
    const may = this.#keyMayGo();
    if (may !== true && !(await may)) return;
    const last = this.regenerable;
    if (last) this.#messages = this.#messages.slice(0, this.#messages.indexOf(last));
    await this.#complete(null);
  }

  stop() {
    this.#controller?.abort();
  }

  /** Synchronous unless the user is asked (see SessionDeps.confirmKey). */
  #keyMayGo(): boolean | Promise<boolean> {
    return this.#deps.confirmKey?.() ?? true;
  }

  /** The whole transcript at once (compare: shared history taken over, or cleared). */
  replaceMessages(messages: readonly Message[]) {
    this.#edit(() => [...messages]);
  }

  editMessage(id: string, patch: Partial<Pick<Message, 'content' | 'role'>>) {
    this.#edit((list) => list.map((m) => (m.id === id ? { ...m, ...patch } : m)));
  }

  deleteMessage(id: string) {
    this.#edit((list) => list.filter((m) => m.id !== id));
  }

  /** Adds a message by hand, playground style; returns its id (null: not now, see `earlier`). */
  addMessage(role: Role, content = ''): string | null {
    const id = newId();
    return this.#edit((list) => [...list, { id, role, content }]) ? id : null;
  }

  dismissError() {
    this.#error = null;
  }

  /**
   * Makes choice `index` of an n > 1 answer the one a follow-up sends. Its
   * tool calls get result boxes; empty boxes of the previous choice go.
   */
  useChoice(id: string, index: number) {
    this.#edit((list) => {
      const chosen = list.map((m) => (m.id === id ? selectChoice(m, index) : m));
      return withResultSlots(withoutEmptyResults(chosen, id), id, newId);
    });
  }

  /** Adds an empty result box for every call of this answer that has none. */
  addToolResults(assistantId: string) {
    this.#edit((list) => withResultSlots(list, assistantId, newId));
  }

  /**
   * A change the user makes to the messages; refused (false) while earlier
   * ones are still being read: their arrival would undo it.
   */
  #edit(next: (messages: readonly Message[]) => Message[]): boolean {
    if (this.#earlier > 0) return false;
    this.#messages = next(this.#messages);
    this.#touch();
    return true;
  }

  #touch() {
    this.#updatedAt = Date.now();
  }

  /**
   * What the next request is built from: this session's setup and `messages`
   * (its history, by default). Send and the "next request" views use it alike.
   */
  requestInput(messages: readonly Message[] = this.history) {
    return {
      model: this.model,
      systemMessage: this.systemMessage,
      systemRole: this.systemRole,
      messages,
      params: this.params,
      stream: this.stream,
      tools: this.tools,
    };
  }

  async #complete(sentDraft: Message | null) {
    const controller = new AbortController();
    this.#controller = controller;
    this.#busy = true;
    this.#error = null;
    const body = toRequestBody(this.requestInput());
    const placeholder: Message = {
      id: newId(),
      role: 'assistant',
      content: '',
      status: 'streaming',
      timing: { startedAt: Date.now() },
    };
    this.#messages = [...this.#messages, placeholder];
    this.#touch();
    const api = loadedRunner() ?? (await this.#loadRunner(controller, placeholder, sentDraft));
    if (!api) return;

    // Updates arrive per chunk; the transcript takes one per frame at most,
    // and while streaming one per UPDATE_MS (update-cadence.ts says why).
    let pending: { answer: AnswerState; timing: Timing } | null = null;
    let scheduled = false;
    let drawnChars = 0;
    const flush = () => {
      scheduled = false;
      const p = pending;
      if (!p) return;
      drawnChars = textLength(p.answer);
      this.#replace(placeholder.id, (m) => api.toAnswerMessage(m, p.answer, p.timing));
    };
    const schedule = this.#deps.schedule ?? streamingUpdates.schedule;
    const run = this.#deps.run ?? api.runCompletion;

    const result = await run({
      config: this.#deps.config(),
      body,
      idleTimeoutMs: this.#deps.idleTimeoutMs(),
      signal: controller.signal,
      onUpdate: (answer, timing) => {
        pending = { answer, timing };
        if (!scheduled) {
          scheduled = true;
          schedule(flush, textLength(answer) - drawnChars);
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
    const final = api.toFinalMessage(placeholder, result);
    this.#finish(placeholder, sentDraft, final, api.isEmptyAnswer(final), result);
    this.#busy = false;
  }

  /** The runner module, or null (and the turn undone, with why) when it cannot load. */
  async #loadRunner(controller: AbortController, placeholder: Message, sentDraft: Message | null) {
    try {
      const api = await loadRunner();
      return this.#controller === controller ? api : null; // load() replaced the conversation meanwhile
    } catch (err) {
      if (this.#controller !== controller) return null;
      this.#controller = null;
      this.#busy = false;
      const error = runnerUnavailable(err);
      this.#finish(placeholder, sentDraft, placeholder, true, { outcome: 'error', error });
      return null;
    }
  }

  #finish(
    placeholder: Message,
    sentDraft: Message | null,
    final: Message,
    empty: boolean,
    result: Pick<RunResult, 'outcome' | 'error'>,
  ) {
    if (result.outcome === 'error' && empty) {
      // Nothing came back: take the turn back out so the transcript is as it
      // was, put the text back in the composer, and say why next to it.
      this.#messages = this.#messages.filter((m) => m.id !== placeholder.id);
      const untouched = this.#draft.text === '' && !this.#draft.attached;
      if (sentDraft && untouched && !this.#deps.keepTurnOnError) {
        this.#messages = this.#messages.filter((m) => m.id !== sentDraft.id);
        this.#draft.restore(sentDraft);
      }
      this.#error = result.error ?? null;
      this.#touch();
      return;
    }
    if (result.outcome === 'stopped' && empty) {
      this.#messages = this.#messages.filter((m) => m.id !== placeholder.id);
      this.#touch();
      return;
    }
    this.#replace(placeholder.id, () => final);
    // The model asked for tools: one result box per call, ready to type into.
    if (final.toolCalls?.length) this.#messages = withResultSlots(this.#messages, final.id, newId);
    this.#touch();
  }

  #replace(id: string, update: (m: Message) => Message) {
    const i = this.#messages.findIndex((m) => m.id === id);
    if (i < 0) return;
    const next = this.#messages.slice();
    next[i] = update(next[i]!);
    this.#messages = next;
  }
}
