// The user's presets, one record per key, and the user's own price table.
// Built-in presets and built-in prices live in lib/model and are never stored.

import { readPriceTable, type Price } from '../model/pricing';
import { migratePreset, type Preset } from '../model/presets';
import type { Kv } from './kv';

const PREFIX = 'preset:';
const PRICES_KEY = 'prices';
const presetKey = (id: string) => PREFIX + id;

/** The user's presets (built-ins excluded), in no particular order; unreadable records are skipped. */
export async function listPresets(kv: Kv): Promise<Preset[]> {
  const stored = await kv.getPrefix(PREFIX);
  return [...stored.values()].flatMap((raw) => {
    const r = migratePreset(raw);
    return r.ok ? [r.value] : [];
  });
}

/** `preset` must be a plain snapshot; built-ins are refused. */
export async function savePreset(kv: Kv, preset: Preset): Promise<void> {
  if (preset.builtin || preset.id.startsWith('builtin:')) {
    throw new Error(`The built-in preset “${preset.name}” cannot be changed.`);
  }
  await kv.set(presetKey(preset.id), preset);
}

export async function deletePreset(kv: Kv, id: string): Promise<void> {
  if (id.startsWith('builtin:')) throw new Error('Built-in presets cannot be deleted.');
  await kv.del(presetKey(id));
}

/** The user's prices, keyed by model id prefix (built-ins not included). */
export async function loadPrices(kv: Kv): Promise<Record<string, Price>> {
  return readPriceTable(await kv.get(PRICES_KEY));
}

export async function savePrices(kv: Kv, prices: Record<string, Price>): Promise<void> {
  await kv.set(PRICES_KEY, readPriceTable(prices));
}
