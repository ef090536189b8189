// The compare grid of one conversation: its panes (compare-pane.svelte.ts), the
// shared Send and Stop, sweeps, and the undo of the last destructive change.
import { DEFAULT_COMPARE_MODELS, MAX_PANES, sweepLabel, type SweepKey } from '../model/compare';
import { awaitsAnswer, newId } from '../model/conversation';
import type { CompareRecord, ComparePane, Message, ParamOverrides } from '../model/types';
import { OPENING, type ChatSession } from './chat-session.svelte';
import { Pane, type PaneDeps } from './compare-pane.svelte';

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
    if (this.#shared.earlier > 0) return OPENING;
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
