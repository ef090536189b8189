// Presets: a named model + system message + parameters the user can apply in
// one go. Pure TypeScript; stored by lib/store, driven by lib/state/presets.

import { migrateParams, readTools } from './read-params';
import { isObject, isString, own, sameJson } from './json';
import type { Result } from './result';
import type { Params, ToolsConfig } from './types';

export interface Preset {
  id: string;
  name: string;
  /** Built-ins ship with Parley: they cannot be renamed or deleted. */
  builtin?: boolean;
  /** Absent on a built-in: applying it keeps the current model. */
  model?: string;
  /** Absent on a built-in that has no opinion: applying it keeps the current one. */
  systemMessage?: string;
  /** Replaces the session's parameters as a whole. */
  params: Params;
  /**
   * The Tools region (definitions text, format, tool_choice, parallel_tool_calls),
   * applied as is. Absent: applying the preset keeps the current tools.
   */
  tools?: ToolsConfig;
  createdAt: number;
}

const PRESET_NAME_MAX = 60;

export const BUILTIN_PRESETS: readonly Preset[] = [
  {
    id: 'builtin:deterministic',
    name: 'Deterministic',
    builtin: true,
    // seed makes sampling repeatable on providers that honour it; temperature 0 does the rest.
    params: { temperature: 0, seed: 42 },
    createdAt: 0,
  },
  {
    id: 'builtin:creative',
    name: 'Creative',
    builtin: true,
    params: { temperature: 1.2, top_p: 0.95 },
    createdAt: 0,
  },
  {
    id: 'builtin:json',
    name: 'JSON output',
    builtin: true,
    // json_object mode is refused unless the messages mention JSON.
    systemMessage: 'Reply with one valid JSON object and nothing else.',
    params: { response_format: { type: 'json_object' } },
    createdAt: 0,
  },
];

/**
 * A name the user typed, trimmed, or why it cannot be used. Names are unique
 * without regard to case, built-ins included; `exceptId` is the preset being renamed.
 */
export function checkPresetName(
  raw: string,
  existing: readonly Pick<Preset, 'id' | 'name'>[],
  exceptId?: string,
): Result<string> {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '') return { ok: false, error: 'Give the preset a name.' };
  if (name.length > PRESET_NAME_MAX) {
    return { ok: false, error: `Keep the name under ${PRESET_NAME_MAX} characters.` };
  }
  const taken = existing.find(
    (p) => p.id !== exceptId && p.name.toLowerCase() === name.toLowerCase(),
  );
  if (taken) return { ok: false, error: `A preset named “${taken.name}” already exists.` };
  return { ok: true, value: name };
}

/** Reads a stored user preset; anything malformed is dropped rather than trusted. */
export function migratePreset(raw: unknown): Result<Preset> {
  if (!isObject(raw)) return { ok: false, error: 'expected a preset object' };
  const get = (k: string) => own(raw, k);
  const id = get('id');
  const name = get('name');
  if (!isString(id) || id === '' || id.startsWith('builtin:')) {
    return { ok: false, error: 'id: expected a user preset id' };
  }
  if (!isString(name) || name.trim() === '') return { ok: false, error: 'name: expected text' };
  const preset: Preset = {
    id,
    name: name.trim(),
    params: migrateParams(get('params')),
    createdAt: typeof get('createdAt') === 'number' ? (get('createdAt') as number) : 0,
  };
  const model = get('model');
  const systemMessage = get('systemMessage');
  if (isString(model)) preset.model = model;
  if (isString(systemMessage)) preset.systemMessage = systemMessage;
  const tools = get('tools');
  try {
    if (tools !== undefined) preset.tools = readTools(tools, 'tools');
  } catch {
    // Malformed tools: the preset keeps its other settings and leaves tools alone.
  }
  return { ok: true, value: preset };
}

/** Built-ins first in their own order, then the user's by name. */
export function sortPresets(user: readonly Preset[]): Preset[] {
  const mine = [...user].sort((a, b) => a.name.localeCompare(b.name));
  return [...BUILTIN_PRESETS, ...mine];
}

/** What a preset is compared with: the settings of a session or a pane. */
interface PresetSettings {
  model: string;
  systemMessage: string;
  params: Params;
  tools?: ToolsConfig;
}

/**
 * The settings are what applying `preset` gives them: everything it sets is
 * as it set it (what it leaves alone, such as a built-in's model, may differ).
 */
export function presetMatches(preset: Preset, settings: PresetSettings): boolean {
  if (preset.model !== undefined && preset.model !== settings.model) return false;
  if (preset.systemMessage !== undefined && preset.systemMessage !== settings.systemMessage) {
    return false;
  }
  if (preset.tools !== undefined && settings.tools !== undefined) {
    if (!sameJson(preset.tools, settings.tools)) return false;
  }
  return sameJson(preset.params, settings.params);
}
