import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshIndexedDb } from '../builders/indexed-db';
import {
  BUILTIN_PRESETS,
  checkPresetName,
  migratePreset,
  presetMatches,
} from '../../src/lib/model/presets';
import { PresetsState, type PresetTarget } from '../../src/lib/state/presets.svelte';
import { createStore } from '../../src/lib/store';

beforeEach(() => {
  freshIndexedDb();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const session = (): PresetTarget => ({
  model: 'gpt-4o',
  systemMessage: 'You are terse.',
  params: { temperature: 0.3, stop: ['END'] },
});

/** A fresh state over the same IndexedDB, as after a reload. */
async function reloaded() {
  const state = new PresetsState(createStore());
  await state.load();
  return state;
}

const names = (s: PresetsState) => s.all.map((p) => p.name);

describe('presets in IndexedDB', () => {
  it('lists the built-ins first when nothing is saved', async () => {
    const state = await reloaded();
    expect(names(state)).toEqual(['Deterministic', 'Creative', 'JSON output']);
  });

  it('saves, survives a reload, renames and deletes', async () => {
    const state = await reloaded();
    const saved = await state.saveAs('  Terse   gpt-4o ', session());
    expect(saved.ok).toBe(true);
    // Saving applies it: the settings are that preset now.
    expect(state.appliedIn('')?.name).toBe('Terse gpt-4o');

    let after = await reloaded();
    expect(names(after)).toEqual(['Deterministic', 'Creative', 'JSON output', 'Terse gpt-4o']);
    const mine = after.all.at(-1)!;
    expect(mine).toMatchObject({
      model: 'gpt-4o',
      systemMessage: 'You are terse.',
      params: { temperature: 0.3, stop: ['END'] },
    });

    expect((await after.rename(mine.id, 'Short answers')).ok).toBe(true);
    after = await reloaded();
    expect(names(after)).toContain('Short answers');
    expect(names(after)).not.toContain('Terse gpt-4o');

    expect((await after.remove(mine.id)).ok).toBe(true);
    after = await reloaded();
    expect(names(after)).toEqual(['Deterministic', 'Creative', 'JSON output']);
  });

  it('a saved preset is a copy: later edits of the session do not change it', async () => {
    const state = await reloaded();
    const source = session();
    await state.saveAs('Copy', source);
    source.params.stop!.push('MORE');
    source.params.temperature = 2;
    const stored = (await reloaded()).all.find((p) => p.name === 'Copy')!;
    expect(stored.params).toEqual({ temperature: 0.3, stop: ['END'] });
  });

  it('built-ins cannot be renamed or deleted', async () => {
    const state = await reloaded();
    const det = BUILTIN_PRESETS[0]!;
    expect(await state.rename(det.id, 'Mine now')).toEqual({
      ok: false,
      error: 'Built-in presets cannot be renamed.',
    });
    expect(await state.remove(det.id)).toEqual({
      ok: false,
      error: 'Built-in presets cannot be deleted.',
    });
    await expect(createStore().deletePreset(det.id)).rejects.toThrow(/cannot be deleted/);
    await expect(createStore().savePreset({ ...det })).rejects.toThrow(/cannot be changed/);
    expect(names(await reloaded())).toEqual(['Deterministic', 'Creative', 'JSON output']);
  });

  it('refuses empty and duplicate names, built-ins included, ignoring case', async () => {
    const state = await reloaded();
    expect(await state.saveAs('   ', session())).toEqual({
      ok: false,
      error: 'Give the preset a name.',
    });
    expect(await state.saveAs('creative', session())).toEqual({
      ok: false,
      error: 'A preset named “Creative” already exists.',
    });
    await state.saveAs('Mine', session());
    const other = await state.saveAs('Other', session());
    expect(await state.saveAs('MINE', session())).toMatchObject({ ok: false });
    // Renaming onto another name is refused; keeping its own name (new case) is fine.
    const id = other.ok ? other.value.id : '';
    expect(await state.rename(id, 'mine')).toMatchObject({ ok: false });
    expect(await state.rename(id, 'OTHER')).toMatchObject({ ok: true });
    expect(names(await reloaded())).toEqual([
      'Deterministic',
      'Creative',
      'JSON output',
      'Mine',
      'OTHER',
    ]);
  });

  it('applies a preset by replacing model, system message and params with a new object', async () => {
    const state = await reloaded();
    const saved = await state.saveAs('Saved', session());
    const target: PresetTarget = { model: 'gpt-4', systemMessage: '', params: { top_p: 0.5 } };
    state.apply(target, saved.ok ? saved.value.id : '');
    expect(target).toEqual(session());
    const before = target.params;
    state.apply(target, BUILTIN_PRESETS[1]!.id);
    // Creative has no model or system message: those stay; params are replaced whole.
    expect(target).toEqual({
      model: 'gpt-4o',
      systemMessage: 'You are terse.',
      params: { temperature: 1.2, top_p: 0.95 },
    });
    expect(target.params).not.toBe(before);
    state.apply(target, 'builtin:json');
    expect(target.params).toEqual({ response_format: { type: 'json_object' } });
    expect(target.systemMessage).toMatch(/JSON/);
  });
});

describe('which preset is applied', () => {
  it('none until one is applied, and only in the scope it was applied in', async () => {
    const state = await reloaded();
    expect(state.appliedIn('conv-1')).toBeUndefined();
    state.apply(session(), 'builtin:creative', 'conv-1');
    expect(state.appliedIn('conv-1')?.name).toBe('Creative');
    expect(state.appliedIn('conv-2')).toBeUndefined();
    const saved = await state.saveAs('Mine', session(), 'conv-2');
    expect(state.appliedIn('conv-2')?.name).toBe('Mine');
    expect(state.appliedIn('conv-1')).toBeUndefined();
    await state.remove(saved.ok ? saved.value.id : '');
    expect(state.appliedIn('conv-2')).toBeUndefined();
  });

  it('settings match a preset while everything it sets is as it set it', () => {
    const creative = BUILTIN_PRESETS[1]!;
    const target = { ...session(), params: { top_p: 0.95, temperature: 1.2 } };
    // A built-in leaves the model and system message alone: those may be anything.
    expect(presetMatches(creative, target)).toBe(true);
    expect(presetMatches(creative, { ...target, params: { temperature: 1.2 } })).toBe(false);
    expect(presetMatches(creative, { ...target, params: { ...target.params, seed: 1 } })).toBe(
      false,
    );
    const mine = { ...creative, builtin: false, model: 'gpt-4o', systemMessage: 'You are terse.' };
    expect(presetMatches(mine, target)).toBe(true);
    expect(presetMatches(mine, { ...target, model: 'gpt-4' })).toBe(false);
    expect(presetMatches(mine, { ...target, systemMessage: '' })).toBe(false);
    const tools = { json: '[]', format: 'tools' as const };
    expect(presetMatches({ ...mine, tools }, { ...target, tools })).toBe(true);
    expect(presetMatches({ ...mine, tools }, { ...target, tools: { ...tools, json: '' } })).toBe(
      false,
    );
  });
});

describe('preset records', () => {
  it('drops malformed records and unknown params', () => {
    expect(migratePreset('x').ok).toBe(false);
    expect(migratePreset({ id: 'builtin:creative', name: 'Fake' }).ok).toBe(false);
    expect(migratePreset({ id: 'a', name: '' }).ok).toBe(false);
    expect(
      migratePreset({
        id: 'a',
        name: 'A',
        model: 'gpt-4',
        params: { temperature: 'hot', seed: 7 },
      }),
    ).toEqual({
      ok: true,
      value: { id: 'a', name: 'A', model: 'gpt-4', params: { seed: 7 }, createdAt: 0 },
    });
  });

  it('names longer than the limit are refused', () => {
    expect(checkPresetName('x'.repeat(61), []).ok).toBe(false);
    expect(checkPresetName('x'.repeat(60), [])).toEqual({ ok: true, value: 'x'.repeat(60) });
  });
});
