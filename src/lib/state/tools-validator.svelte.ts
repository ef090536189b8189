// The tools validator (a JSON parser with positions plus the JSON Schema and
// strict-mode rules) is its own chunk, loaded on first use (the Tools panel,
// or a conversation with tool definitions), never on the startup path.

import { loadToolsChecker, type ToolsCheck, type ToolsChecker } from '../model/tools';
import type { ToolFormat, ToolsConfig } from '../model/types';

type Validator = ToolsChecker;

let validator = $state.raw<Validator | null>(null);
let loading: Promise<Validator> | null = null;
let failure = $state<string | null>(null);

/** Starts loading the validator (once); resolves when it is there. */
export function loadToolsValidator(): Promise<Validator> {
  loading ??= loadToolsChecker().then(
    (m) => {
      validator = m;
      failure = null;
      return m;
    },
    (err: unknown) => {
      loading = null; // a failed download (offline after a deploy) is tried again
      failure = `The tools checker could not load (${err instanceof Error ? err.message : String(err)}); reload the page.`;
      throw err;
    },
  );
  return loading;
}

/** The validator once it is here (reactive: read it in $derived); starts loading it. */
export function toolsChecker(): Validator | null {
  if (!validator) void loadToolsValidator().catch(() => {});
  return validator;
}

const NONE: ToolsCheck = { value: null, names: [], diagnostics: [] };

/** The check of the tools text; `pending` while the validator loads. */
export interface ToolsStatus {
  check: ToolsCheck;
  /** Why Send must wait, or null. */
  problem: string | null;
  pending: boolean;
}

/**
 * Checks the Tools region. Blank text needs no validator (nothing is sent);
 * otherwise the validator is loaded on first use and the status updates
 * when it arrives. Reactive: read inside $derived or an effect.
 */
export function toolsStatus(json: string, format: ToolFormat, config: ToolsConfig): ToolsStatus {
  if (json.trim() === '') return { check: NONE, problem: null, pending: false };
  const v = validator;
  if (!v) {
    if (failure) return { check: NONE, problem: failure, pending: false };
    void loadToolsValidator().catch(() => {});
    return { check: NONE, problem: 'checking the tools JSON…', pending: true };
  }
  return {
    check: v.checkTools(json, format),
    problem: v.firstToolsProblem(config),
    pending: false,
  };
}
