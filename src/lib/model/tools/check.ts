// Checking the Tools text: every problem at its place (the editor's lint) and
// the first blocking one in words (the reason Send is disabled).

import { parseJson } from '../json';
import type { ToolChoice, ToolFormat, ToolsConfig } from '../types';
import { isBlank } from './names';
import { Reporter, type ToolDiagnostic } from './positions';
import { checkArray, checkRootNotArray } from './shape';
import { parseText } from './syntax';

export interface ToolsCheck {
  /** The parsed array when the text is syntactically valid JSON and an array (even if shape errors exist); null when blank, invalid or not an array. */
  value: unknown[] | null;
  /** Names of the defined functions/tools in order (for tool_choice menus), from whatever parsed; only names that follow the name rule, each once. */
  names: string[];
  /** Sorted by `from`. Syntax errors only when the JSON does not parse (then no shape diagnostics). */
  diagnostics: ToolDiagnostic[];
}

export function checkTools(text: string, format: ToolFormat): ToolsCheck {
  if (isBlank(text)) return { value: null, names: [], diagnostics: [] };
  const { root, syntax } = parseText(text);
  if (!root) return { value: null, names: [], diagnostics: syntax };

  const r = new Reporter(text);
  if (root.type !== 'array') {
    checkRootNotArray(r, root, format);
    return { value: null, names: [], diagnostics: syntax.length > 0 ? syntax : r.sorted() };
  }
  // Names come from whatever parsed, even around syntax errors; shape diagnostics
  // only count when the text is valid JSON.
  const names = checkArray(r, root, format);
  if (syntax.length > 0) return { value: null, names, diagnostics: syntax };

  // JSON.parse rather than the tree: it keeps keys like "__proto__" as plain data.
  const parsed = parseJson(text, 'Tools JSON is');
  if (!parsed.ok) {
    const fallback = new Reporter(text);
    fallback.head(root, 'error', parsed.error, '');
    return { value: null, names, diagnostics: fallback.sorted() };
  }
  const value = parsed.value;
  return { value: Array.isArray(value) ? value : null, names, diagnostics: r.sorted() };
}

/** The first blocking problem of the tools config, in words with its place, or null. Used as the reason Send is disabled. */
export function firstToolsProblem(config: ToolsConfig): string | null {
  const check = checkTools(config.json, config.format);
  const error = check.diagnostics.find((d) => d.severity === 'error');
  if (error) return `Tools JSON line ${error.line}, column ${error.column}: ${error.message}`;
  // Nothing is sent without definitions, so choice problems do not matter then.
  if (!check.value || check.value.length === 0) return null;
  return choiceProblem(config.choice, config.format, check.names);
}

function choiceProblem(
  choice: ToolChoice | undefined,
  format: ToolFormat,
  names: string[],
): string | null {
  if (choice === undefined) return null;
  if (typeof choice === 'object') {
    return names.includes(choice.name)
      ? null
      : `Tool choice names "${choice.name}", which is not defined in Tools JSON.`;
  }
  if (choice === 'required' && format === 'functions') {
    return '"required" is not available with legacy functions; choose auto, none or a function.';
  }
  return null;
}
