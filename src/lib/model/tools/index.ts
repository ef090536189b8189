// Tool definitions and tool calls: checking definitions with exact positions
// (for the editor's lint and the reason Send is disabled), conversion between
// the `tools` and legacy `functions` formats, templates, a form-to-definition
// builder, completions for the editor, calls and their results, and a token
// estimate. The only way into this folder.

export type { ParamField, ParamType } from './form';
export {
  answeredCalls,
  callSlots,
  localCallId,
  readArguments,
  regenerableAnswer,
  toolResultsProblem,
  withoutEmptyResults,
  withResultSlots,
  type CallSlot,
} from './results';
export { estimateToolTokens } from './tokens';
export type { ToolsCheck } from './check';
export type { ToolDiagnostic } from './positions';

/**
 * The checker (checkTools, firstToolsProblem): a parser with positions plus
 * the JSON Schema and strict-mode rules. Fetched on first use, so the page's
 * first load (which imports this folder for tool calls) never waits for it.
 */
export function loadToolsChecker(): Promise<typeof import('./check')> {
  return import('./check');
}

export type ToolsChecker = Awaited<ReturnType<typeof loadToolsChecker>>;

/** The Tools panel's examples and completions (editor-aids.ts), fetched with the panel. */
export function loadToolsEditorAids(): Promise<typeof import('./editor-aids')> {
  return import('./editor-aids');
}

/** The panel's actions (editing.ts): convert, format, append a definition. */
export function loadToolsEditing(): Promise<typeof import('./editing')> {
  return import('./editing');
}

export type ToolsEditing = Awaited<ReturnType<typeof loadToolsEditing>>;

export type ToolsEditorAids = Awaited<ReturnType<typeof loadToolsEditorAids>>;
