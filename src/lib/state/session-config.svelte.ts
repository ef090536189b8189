import { emptyTools } from '../model/conversation';
import type { Conversation, Params, SystemRole, ToolsConfig } from '../model/types';

/**
 * Where a session's model, system message and parameters live. A plain
 * conversation holds its own; a compare pane reads the shared ones through its
 * overrides, and writes land as overrides.
 */
export interface SessionConfig {
  model: string;
  systemMessage: string;
  /** The role chosen for the system message; undefined: the model's (systemRoleFor). */
  systemRole: SystemRole | undefined;
  stream: boolean;
  params: Params;
  tools: ToolsConfig;
  /** Takes the values of a loaded conversation (a pane's config ignores them). */
  load(conv: Conversation): void;
  /** Every saved field by reference, without copying (autosave compares these). */
  track(): readonly unknown[];
}

/** The config a conversation keeps for itself. */
export class OwnConfig implements SessionConfig {
  #model = $state('gpt-4');
  #systemMessage = $state('');
  #systemRole = $state<SystemRole | undefined>(undefined);
  #stream = $state(true);
  #params = $state.raw<Params>({});
  #tools = $state.raw<ToolsConfig>(emptyTools());

  get model() {
    return this.#model;
  }
  set model(v: string) {
    this.#model = v;
  }
  get systemMessage() {
    return this.#systemMessage;
  }
  set systemMessage(v: string) {
    this.#systemMessage = v;
  }
  get systemRole() {
    return this.#systemRole;
  }
  set systemRole(v: SystemRole | undefined) {
    this.#systemRole = v;
  }
  get stream() {
    return this.#stream;
  }
  set stream(v: boolean) {
    this.#stream = v;
  }
  /** Replaced whole on every change, so everything derived sees it. */
  get params(): Params {
    return this.#params;
  }
  set params(v: Params) {
    this.#params = v;
  }
  get tools(): ToolsConfig {
    return this.#tools;
  }
  set tools(v: ToolsConfig) {
    this.#tools = v;
  }

  load(conv: Conversation) {
    this.#model = conv.model;
    this.#systemMessage = conv.systemMessage;
    this.#systemRole = conv.systemRole;
    this.#stream = conv.stream;
    this.#params = conv.params;
    this.#tools = conv.tools;
  }

  track(): readonly unknown[] {
    return [
      this.#model,
      this.#systemMessage,
      this.#systemRole,
      this.#stream,
      this.#params,
      this.#tools,
    ];
  }
}
