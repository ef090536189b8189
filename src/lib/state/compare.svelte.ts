import {
  DEFAULT_COMPARE_MODELS,
  diffParams,
  MAX_PANES,
  resolveParams,
  sweepLabel,
  type SweepKey,
} from '../model/compare';
import { awaitsAnswer, emptyTools, newId } from '../model/conversation';
import type {
  CompareRecord,
  ComparePane,
  Conversation,
  Message,
  ParamOverrides,
  Params,
  SystemRole,
  ToolsConfig,
} from '../model/types';
import { SCHEMA_VERSION } from '../model/types';
import { ChatSession, type SessionDeps } from './chat-session.svelte';
import type { SessionConfig } from './session-config.svelte';

/** The deps every pane's session shares (endpoint, timeouts, test runner). */
export type PaneDeps = Omit<SessionDeps, 'prefix' | 'keepTurnOnError'>;

function paneConversation(rec: ComparePane): Conversation {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: rec.id,
    title: '',
    createdAt: 0,
    updatedAt: 0,
    systemMessage: '',
    model: rec.model,
    stream: true,
    params: {},
    tools: emptyTools(),
    messages: rec.messages,
    draft: '',
  };
}

/**
 * One column: its own model and request, the shared system message, tools,
 * parameters and history underneath, overridden where the pane says so. It is
 * the config of its own ChatSession, so the parameter and tools editors work
 * on a pane exactly as on a conversation: what they write lands as overrides.
 */
export class Pane implements SessionConfig {
  readonly id: string;
  #model = $state('');
  #overrides = $state.raw<ParamOverrides>({});
  #streamOverride = $state<boolean | undefined>(undefined);
  #ownSystem = $state<string | undefined>(undefined);
  #ownTools = $state.raw<ToolsConfig | undefined>(undefined);
  #linkedHistory = $state(true);
  #label: string | undefined;
  readonly session: ChatSession;
  readonly #shared: ChatSession;
  readonly #params = $derived(resolveParams(this.#sharedParams(), this.#overrides));

  constructor(rec: ComparePane, shared: ChatSession, deps: PaneDeps) {
    this.#shared = shared;
    this.id = rec.id;
    this.#model = rec.model;
    this.#overrides = rec.overrides;
    this.#streamOverride = rec.stream;
    this.#ownSystem = rec.systemMessage;
    this.#ownTools = rec.tools;
    this.#linkedHistory = rec.linkedHistory;
    this.#label = rec.label;
    this.session = new ChatSession(
      paneConversation(rec),
      {
        ...deps,
        prefix: () => (this.#linkedHistory ? this.#shared.messages : []),
        keepTurnOnError: true,
      },
      this,
    );
  }

  #sharedParams(): Params {
    return this.#shared.params;
  }

  get model(): string {
    return this.#model;
  }
  set model(v: string) {
    this.#model = v;
  }
  /** The parameters this pane sets differently from the shared ones. */
  get overrides(): ParamOverrides {
    return this.#overrides;
  }
  /** Set when this pane streams differently from the shared setting. */
  get streamOverride(): boolean | undefined {
    return this.#streamOverride;
  }
  /** Own system message; undefined: the shared one. */
  get ownSystem(): string | undefined {
    return this.#ownSystem;
  }
  /** Own Tools region; undefined: the shared one. */
  get ownTools(): ToolsConfig | undefined {
    return this.#ownTools;
  }
  /** The shared history comes before this pane's own turns. */
  get linkedHistory(): boolean {
    return this.#linkedHistory;
  }
  /** What a sweep set in this pane ("temperature 0.7"). */
  get label(): string | undefined {
    return this.#label;
  }

  get systemMessage(): string {
    return this.#ownSystem ?? this.#shared.systemMessage;
  }
  set systemMessage(v: string) {
    if (this.#ownSystem !== undefined) this.#ownSystem = v;
    else this.#shared.systemMessage = v;
  }
  /** Shared by every pane; unchosen, each pane's own model decides. */
  get systemRole(): SystemRole | undefined {
    return this.#shared.systemRole;
  }
  set systemRole(v: SystemRole | undefined) {
    this.#shared.systemRole = v;
  }
  get params(): Params {
    return this.#params;
  }
  /** Written by the parameter editors: what differs from the shared ones becomes an override. */
  set params(p: Params) {
    this.#overrides = diffParams(this.#shared.params, p);
  }
  get stream(): boolean {
    return this.#streamOverride ?? this.#shared.stream;
  }
  set stream(v: boolean) {
    this.#streamOverride = v === this.#shared.stream ? undefined : v;
  }
  get tools(): ToolsConfig {
    return this.#ownTools ?? this.#shared.tools;
  }
  set tools(v: ToolsConfig) {
    if (this.#ownTools !== undefined) this.#ownTools = v;
    else this.#shared.tools = v;
  }
  /** A pane's config is its record, not the conversation's. */
  load() {}

  track(): readonly unknown[] {
    return [
      this.#model,
      this.#overrides,
      this.#streamOverride,
      this.#ownSystem,
      this.#ownTools,
      this.#linkedHistory,
    ];
  }

  /** Drops one override: the pane follows the shared parameter again. */
  resetOverride(key: keyof Params) {
    const next = { ...this.#overrides };
    delete next[key];
    this.#overrides = next;
  }

  /** Everything follows the shared setup again (its values were taken over by it). */
  followShared() {
    this.#overrides = {};
    this.#streamOverride = undefined;
    this.#ownSystem = undefined;
    this.#ownTools = undefined;
  }

  /** Gives the pane its own system message (a copy of the shared one), or takes it back. */
  setOwnSystem(own: boolean) {
    this.#ownSystem = own ? (this.#ownSystem ?? this.#shared.systemMessage) : undefined;
  }
  setOwnTools(own: boolean) {
    this.#ownTools = own ? (this.#ownTools ?? { ...this.#shared.tools }) : undefined;
  }
  /** The pane takes its own copy of the shared history; later shared edits no longer reach it. */
  unlinkHistory() {
    if (!this.#linkedHistory) return;
    this.session.replaceMessages([...this.#shared.messages, ...this.session.messages]);
    this.#linkedHistory = false;
  }

  /** How many messages of the shared history come before this pane's own. */
  get sharedCount(): number {
    return this.session.history.length - this.session.messages.length;
  }

  /**
   * Takes a copy of another pane's turns (with fresh ids, so the two never
   * share a message), and its way of holding history (linked to the shared one, or
   * its own copy): what that pane saw, this one sees.
   */
  copyTurnsOf(other: Pane) {
    const copy = ($state.snapshot(other.session.messages) as Message[]).map((m) => ({
      ...m,
      id: newId(),
    }));
    this.#linkedHistory = other.linkedHistory;
    this.session.replaceMessages(copy);
  }

  /** Starts afresh from the shared history (it just took over this pane's turns). */
  restartFromShared() {
    this.#linkedHistory = true;
    this.session.replaceMessages([]);
  }

  toRecord(): ComparePane {
    const rec: ComparePane = {
      id: this.id,
      model: this.model,
      overrides: this.overrides,
      linkedHistory: this.linkedHistory,
      messages: [],
    };
    if (this.streamOverride !== undefined) rec.stream = this.streamOverride;
    if (this.ownSystem !== undefined) rec.systemMessage = this.ownSystem;
    if (this.ownTools !== undefined) rec.tools = this.ownTools;
    if (this.label !== undefined) rec.label = this.label;
    // Messages by reference, as ChatSession.toConversation gives them.
    return { ...($state.snapshot(rec) as ComparePane), messages: [...this.session.messages] };
  }
}

export interface SweepSpec {
  model: string;
  key: SweepKey;
  values: number[];
  /** Samples per pane (n); unset: the shared n. */
  n?: number;
}

/** What the last destructive change was, and how to take it back. */
export interface UndoStep {
  message: string;
  /** The pane whose answer went into the shared history, when that was the change. */
  usedPane?: string;
}

/** The compare grid of one conversation: its panes, the shared Send and Stop. */
export class CompareState {
  #active = $state(false);
  #panes = $state.raw<Pane[]>([]);
  #undo = $state.raw<{
    step: UndoStep;
    record: CompareRecord;
    shared: readonly Message[];
  } | null>(null);
  readonly #shared: ChatSession;
  readonly #deps: PaneDeps;

  /** Compare mode is on: the panes are shown and Send goes to each. */
  get active(): boolean {
    return this.#active;
  }
  /** The panes, kept while compare is off. */
  get panes(): readonly Pane[] {
    return this.#panes;
  }

  constructor(shared: ChatSession, deps: PaneDeps) {
    this.#shared = shared;
    this.#deps = deps;
  }

  /** Takes the compare record of a loaded conversation (none: compare off, no panes). */
  load(rec: CompareRecord | undefined) {
    this.stopAll();
    this.#undo = null;
    this.#panes = (rec?.panes ?? []).map((p) => new Pane(p, this.#shared, this.#deps));
    this.#active = rec?.active ?? false;
  }

  /** Every saved field of every pane by reference, without copying (autosave compares these). */
  track(): readonly unknown[] {
    const out: unknown[] = [this.#active, this.#panes];
    // A pane is its session's config: the session's fields include the pane's own.
    for (const pane of this.#panes) out.push(...pane.session.track());
    return out;
  }

  /** For storage; undefined when compare was never used. */
  toRecord(): CompareRecord | undefined {
    const panes = this.#panes.map((p) => p.toRecord());
    if (!this.#active && panes.length === 0) return undefined;
    return { active: this.#active, panes };
  }

  /** "Pane 2", by position. */
  nameOf(pane: Pane): string {
    return `Pane ${this.#panes.indexOf(pane) + 1}`;
  }

  find(id: string): Pane | undefined {
    return this.#panes.find((p) => p.id === id);
  }

  /** Compare on: the panes it had, or two first ones (the conversation's model and another). */
  start() {
    if (this.#panes.length === 0) {
      const first = this.#shared.model.trim() || DEFAULT_COMPARE_MODELS[0];
      const second = DEFAULT_COMPARE_MODELS.find((m) => m !== first) ?? DEFAULT_COMPARE_MODELS[1];
      this.#panes = [this.#newPane(first), this.#newPane(second)];
    }
    this.#active = true;
  }

  /** Compare off; the panes are kept, hidden, for when it comes back on. */
  leave() {
    this.stopAll();
    this.#active = false;
  }

  get canAdd(): boolean {
    return this.#panes.length < MAX_PANES;
  }

  addPane(model?: string): Pane | undefined {
    if (!this.canAdd) return undefined;
    const pane = this.#newPane(model ?? this.#panes.at(-1)?.model ?? this.#shared.model);
    this.#panes = [...this.#panes, pane];
    return pane;
  }

  removePane(id: string) {
    const pane = this.find(id);
    if (!pane) return;
    this.#remember(`Removed ${this.nameOf(pane)} (${pane.model}).`);
    pane.session.stop();
    this.#panes = this.#panes.filter((p) => p !== pane);
  }

  /**
   * How many of the turns other panes answered this one never saw: it was
   * added after them (or its turns were cleared). Zero when it is level.
   */
  missedTurns(pane: Pane): number {
    // Whole histories: a pane with its own copy of the shared turns holds them itself.
    const turns = (p: Pane) => p.session.history.filter((m) => m.role === 'user').length;
    const most = Math.max(0, ...this.#panes.filter((p) => p !== pane).map(turns));
    return Math.max(0, most - turns(pane));
  }

  /** Gives a pane that joined late the turns of another, so it goes on from the same thread. */
  copyTurns(toId: string, fromId: string) {
    const to = this.find(toId);
    const from = this.find(fromId);
    if (!to || !from || to === from || this.busy) return;
    to.copyTurnsOf(from);
  }

  /** One model, one parameter over a list of values: that many panes, replacing these. */
  sweep(spec: SweepSpec) {
    const kept = this.#panes.length;
    this.#remember(`Replaced ${kept} pane${kept === 1 ? '' : 's'} with a sweep of ${spec.key}.`);
    this.stopAll();
    this.#panes = spec.values.slice(0, MAX_PANES).map((value) => {
      const overrides: ParamOverrides = { [spec.key]: value };
      if (spec.n !== undefined) overrides.n = spec.n;
      return this.#newPane(spec.model, overrides, sweepLabel(spec.key, value));
    });
    this.#active = true;
  }

  /** A request runs in some pane. */
  get busy(): boolean {
    return this.#panes.some((p) => p.session.busy);
  }

  /** The panes Send would run: all with a draft, else those waiting for an answer. */
  #targets(draft: string, attached = false): Pane[] {
    if (attached || draft.trim() !== '') return this.#panes;
    return this.#panes.filter((p) => awaitsAnswer(p.session.history));
  }

  /** Why the shared Send cannot run, or null when it can. */
  get sendBlocker(): string | null {
    if (this.#panes.length === 0) return 'Add a pane first.';
    const running = this.#panes.find((p) => p.session.busy);
    if (running) return `${this.nameOf(running)} is still answering: wait, or stop it.`;
    const shared = Object.values(this.#shared.paramIssues)[0];
    if (shared) return `Not sent: ${shared}`;
    const draft = this.#shared.draft;
    const attached = this.#shared.draftImages.length + this.#shared.draftFiles.length > 0;
    const targets = this.#targets(draft, attached);
    if (targets.length === 0) return 'Type a message first.';
    for (const pane of targets) {
      const why = pane.session.blockerFor(draft, attached);
      if (why) return `${this.nameOf(pane)}: ${why}`;
    }
    return null;
  }

  /**
   * Sends the shared draft to every pane at once; each streams, stops and
   * fails on its own. With no draft, the panes waiting for an answer (results
   * typed, a failed turn) are answered.
   */
  async send(): Promise<void> {
    await this.take()?.();
  }

  /**
   * The first half of send(): takes the shared draft (the composer empties
   * at once) and returns the second, which hands it to the panes, to run now
   * or a task later (ChatPane says why); null when Send cannot run.
   */
  take(): (() => Promise<void>) | null {
    if (this.sendBlocker) return null;
    const draft = this.#shared.draft;
    const images = this.#shared.draftImages;
    const files = this.#shared.draftFiles;
    const targets = this.#targets(draft, images.length + files.length > 0);
    this.#shared.draft = '';
    this.#shared.draftImages = [];
    this.#shared.draftFiles = [];
    this.#undo = null;
    return async () => {
      await Promise.all(
        targets.map((pane) => {
          pane.session.draft = draft;
          pane.session.draftImages = images;
          pane.session.draftFiles = files;
          return pane.session.send();
        }),
      );
    };
  }

  stopAll() {
    for (const pane of this.#panes) pane.session.stop();
  }

  /**
   * Makes one pane's thread, up to `messageId`, the shared history. The other
   * linked panes start afresh from it (Undo brings their turns back).
   */
  useAnswer(paneId: string, messageId: string) {
    const pane = this.find(paneId);
    if (!pane || this.busy) return;
    const history = pane.session.history;
    const end = history.findIndex((m) => m.id === messageId);
    if (end < 0) return;
    this.#remember(`${this.nameOf(pane)}'s answer is now the shared history.`, pane.id);
    this.#shared.replaceMessages(history.slice(0, end + 1));
    for (const p of this.#panes) {
      if (p === pane || p.linkedHistory) p.restartFromShared();
    }
  }

  /**
   * Leaves compare mode to go on with one pane alone: its model, parameters,
   * system message and tools become the conversation's.
   */
  continueWith(paneId: string) {
    const pane = this.find(paneId);
    if (!pane) return;
    const shared = this.#shared;
    const { model, params, stream, systemMessage, tools } = pane;
    shared.model = model;
    shared.params = params;
    shared.stream = stream;
    shared.systemMessage = systemMessage;
    shared.tools = tools;
    pane.followShared();
    this.leave();
  }

  get undoStep(): UndoStep | null {
    return this.#undo?.step ?? null;
  }

  undo() {
    const saved = this.#undo;
    if (!saved) return;
    this.load(saved.record);
    this.#shared.replaceMessages(saved.shared);
  }

  dismissUndo() {
    this.#undo = null;
  }

  #remember(message: string, usedPane?: string) {
    const step: UndoStep = usedPane ? { message, usedPane } : { message };
    this.#undo = {
      step,
      record: { active: this.#active, panes: this.#panes.map((p) => p.toRecord()) },
      shared: this.#shared.messages,
    };
  }

  #newPane(model: string, overrides: ParamOverrides = {}, label?: string): Pane {
    const rec: ComparePane = { id: newId(), model, overrides, linkedHistory: true, messages: [] };
    if (label !== undefined) rec.label = label;
    return new Pane(rec, this.#shared, this.#deps);
  }
}
