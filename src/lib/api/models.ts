import { createClient, type ClientConfig, type FetchLike } from './client';
import { hostOf, toAppError } from './errors';
import type { AppError } from '../model/types';

export type ModelListResult = { ok: true; ids: string[] } | { ok: false; error: AppError };

/** GET {baseURL}/models, as sorted ids. */
export async function listModels(
  config: ClientConfig,
  fetchImpl?: FetchLike,
): Promise<ModelListResult> {
  try {
    const client = await createClient(config, fetchImpl);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return { ok: true, ids: [...new Set(ids)].sort() };
  } catch (err) {
    return { ok: false, error: toAppError(err, hostOf(config.baseURL)) };
  }
}
