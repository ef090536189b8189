// One compare pane: its own model and what it overrides of the shared setup,
// over a ChatSession of its own (compare.svelte.ts holds the grid of them).
import { diffParams, resolveParams } from '../model/compare';
import { emptyTools, newId } from '../model/conversation';
import type {
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
