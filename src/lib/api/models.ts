import { createClient, type ClientConfig, type FetchLike } from './client';
import { toAppError } from './errors';
import { hostOf } from './host';
import { fail, ok, type Result } from '../model/result';
import type { AppError } from '../model/types';

/** The model ids, sorted, or why the list could not be had. */
export type ModelListResult = Result<string[], AppError>;

/** GET {baseURL}/models, as sorted ids. */
export async function listModels(
  config: ClientConfig,
  fetchImpl?: FetchLike,
): Promise<ModelListResult> {
  try {
    const client = await createClient(config, fetchImpl);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return ok([...new Set(ids)].sort());
  } catch (err) {
    return fail(toAppError(err, hostOf(config.baseURL)));
  }
}
