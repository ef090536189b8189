// The Tools region's rules: what switching the wire format, formatting or
// adding a definition does to a session's tools. Loaded with the Tools panel,
// never on the startup path (it brings the tools validator). The actions'
// code (conversion, formatting, in-place edits) is fetched on first use, so
// each returns a promise; the text is read after that wait, never before.

import { loadToolsEditing, type ToolsCheck, type ToolsEditing } from '../model/tools';
import type { ToolChoice, ToolFormat, ToolsConfig } from '../model/types';

/** Whose tools these are: a conversation's session, or a compare pane's. */
export interface ToolsOwner {
  tools: ToolsConfig;
  readonly toolsCheck: ToolsCheck;
}

/** What the last action said: conversion notes, or why it could not run. */
export interface ToolsNote {
  text: string;
  error: boolean;
}

export class ToolsSetup {
  #owner: ToolsOwner;
  #note = $state.raw<ToolsNote | null>(null);

  constructor(owner: ToolsOwner) {
    this.#owner = owner;
  }

  get tools(): ToolsConfig {
    return this.#owner.tools;
  }

  get note(): ToolsNote | null {
    return this.#note;
  }

  /** Names a choice can pick: the defined ones, and a chosen one that is gone (it then blocks Send). */
  get choiceNames(): string[] {
    const names = this.#owner.toolsCheck.names.filter((n, i, all) => all.indexOf(n) === i);
    const choice = this.tools.choice;
    if (typeof choice === 'object' && !names.includes(choice.name)) names.push(choice.name);
    return names;
  }

  setJson(json: string) {
    this.#set({ json });
  }

  setChoice(choice: ToolChoice | undefined) {
    this.#set({ choice });
  }

  setParallel(parallel: boolean | undefined) {
    this.#set({ parallel });
  }

  /** Converts the definitions to the other wire format, or says why it cannot. */
  async switchFormat(to: ToolFormat): Promise<void> {
    const editing = await this.#editing('Not switched');
    const tools = this.tools;
    if (!editing || to === tools.format) return;
    const converted = editing.convertToolsText(tools.json, to);
    if (!converted.ok) {
      this.#note = { text: `Not switched: ${converted.error}`, error: true };
      return;
    }
    const { text, notes } = converted.value;
    const patch: Partial<ToolsConfig> = { format: to, json: text };
    // Legacy functions have no "required" and no parallel_tool_calls.
    if (to === 'functions') {
      if (tools.choice === 'required') patch.choice = undefined;
      patch.parallel = undefined;
    }
    this.#set(patch);
    this.#note = notes.length ? { text: notes.join(' '), error: false } : null;
  }

  /** Pretty-prints the definitions (numbers kept as typed). */
  async format(): Promise<void> {
    const editing = await this.#editing('Not formatted');
    const json = this.tools.json;
    if (!editing || json.trim() === '') return;
    const r = editing.formatJsonText(json);
    if (!r.ok) {
      this.#note = { text: `Not formatted: ${r.error}`, error: true };
      return;
    }
    this.#set({ json: r.value });
    this.#note = null;
  }

  /** Adds one definition (an example, or the New function form's); false when it could not. */
  async append(tool: Record<string, unknown>): Promise<boolean> {
    const editing = await this.#editing('Not added');
    if (!editing) return false;
    const r = editing.appendTool(this.tools.json, this.tools.format, tool);
    if (!r.ok) {
      this.#note = { text: `Not added: ${r.error}`, error: true };
      return false;
    }
    this.#set({ json: r.value.text });
    this.#note = { text: `Added ${r.value.name}.`, error: false };
    return true;
  }

  /** The actions' code, or undefined with a note saying what did not happen and why. */
  async #editing(what: string): Promise<ToolsEditing | undefined> {
    try {
      return await loadToolsEditing();
    } catch {
      this.#note = {
        text: `${what}: this part of Parley could not be loaded. Check the connection and try again.`,
        error: true,
      };
      return undefined;
    }
  }

  #set(patch: Partial<ToolsConfig>) {
    const next: ToolsConfig = { ...this.tools, ...patch };
    for (const key of ['choice', 'parallel'] as const) {
      if (next[key] === undefined) delete next[key];
    }
    this.#owner.tools = next;
  }
}
