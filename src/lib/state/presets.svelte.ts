import { createContext } from 'svelte';
import { newId } from '../model/conversation';
import { checkPresetName, sortPresets, type Preset } from '../model/presets';
import type { Result } from '../model/result';
import type { Params, ToolsConfig } from '../model/types';
import type { Store } from '../store';

/** What a preset reads from and writes to: a chat session, or a compare pane. */
export interface PresetTarget {
  model: string;
  systemMessage: string;
  params: Params;
  /** Absent on a target without a Tools region. */
  tools?: ToolsConfig;
}

/** Deep copy of plain data, so a preset and a session never share a `stop` array. */
function copy<T>(value: T): T {
  return structuredClone($state.snapshot(value)) as T;
}

/**
 * The preset list (built-ins plus the user's), which one was applied where,
 * and what was last done. "Where" is a scope the caller names (the open
 * conversation's id), so a preset applied to one conversation is not shown
 * as applied to the next.
 */
export class PresetsState {
  #store: Store;
  #user = $state.raw<Preset[]>([]);
  #applied = $state.raw<{ id: string; scope: string } | null>(null);

  constructor(store: Store) {
    this.#store = store;
  }

  async load() {
    this.#user = await this.#store.listPresets();
  }

  /** Built-ins first, then the user's by name. */
  get all(): Preset[] {
    return sortPresets(this.#user);
  }

  /** The preset last applied (or saved) in `scope`, while it exists; none until one is. */
  appliedIn(scope: string): Preset | undefined {
    const applied = this.#applied;
    if (!applied || applied.scope !== scope) return undefined;
    return this.all.find((p) => p.id === applied.id);
  }

  /** Replaces model, system message, parameters and (when the preset has them) tools with the preset's. */
  apply(target: PresetTarget, id: string, scope = ''): Result<Preset> {
    const preset = this.all.find((p) => p.id === id);
    if (!preset) return { ok: false, error: 'That preset no longer exists.' };
    this.#applied = { id, scope };
    if (preset.model !== undefined) target.model = preset.model;
    if (preset.systemMessage !== undefined) target.systemMessage = preset.systemMessage;
    target.params = copy(preset.params);
    if (preset.tools !== undefined && target.tools !== undefined) target.tools = copy(preset.tools);
    return { ok: true, value: preset };
  }

  /** Saves what `source` holds now under a new name: `source` then has it applied. */
  async saveAs(name: string, source: PresetTarget, scope = ''): Promise<Result<Preset>> {
    const checked = checkPresetName(name, this.all);
    if (!checked.ok) return checked;
    const preset: Preset = {
      id: newId(),
      name: checked.value,
      model: source.model,
      systemMessage: source.systemMessage,
      params: copy(source.params),
      createdAt: Date.now(),
    };
    // Tools are part of a setup only when there are some.
    if (source.tools && source.tools.json.trim() !== '') preset.tools = copy(source.tools);
    await this.#store.savePreset(preset);
    this.#user = [...this.#user, preset];
    this.#applied = { id: preset.id, scope };
    return { ok: true, value: preset };
  }

  async rename(id: string, name: string): Promise<Result<Preset>> {
    const preset = this.#user.find((p) => p.id === id);
    if (!preset) return { ok: false, error: 'Built-in presets cannot be renamed.' };
    const checked = checkPresetName(name, this.all, id);
    if (!checked.ok) return checked;
    const renamed = { ...copy(preset), name: checked.value };
    await this.#store.savePreset(renamed);
    this.#user = this.#user.map((p) => (p.id === id ? renamed : p));
    return { ok: true, value: renamed };
  }

  async remove(id: string): Promise<Result<Preset>> {
    const preset = this.#user.find((p) => p.id === id);
    if (!preset) return { ok: false, error: 'Built-in presets cannot be deleted.' };
    await this.#store.deletePreset(id);
    this.#user = this.#user.filter((p) => p.id !== id);
    if (this.#applied?.id === id) this.#applied = null;
    return { ok: true, value: preset };
  }
}

export const [getPresets, setPresets] = createContext<PresetsState>();
