// The one result type of the model layer: a value, or why there is none.
// `error` is a sentence for the user unless a caller needs more (field errors,
// an AppError); extra facts about a success travel inside `value`.

export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
