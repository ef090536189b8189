// Reading untrusted records field by field, with the path of the first field
// that is wrong: "messages[3].usage.total: expected a non-negative integer".

import {
  isBoolean,
  isCount,
  isFiniteNumber,
  isObject,
  isString,
  isStringOrNull,
  own,
  type JsonObject,
} from './values';

/** Thrown by readers at the first wrong field; the reader's caller turns it into a result. */
export class ShapeError extends Error {}

/** "conversations[2]" + "mapping" -> "conversations[2].mapping"; "" + "mapping" -> "mapping". */
export function pathOf(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * The fields of one object at `path`. Reads only own properties: an inherited
 * `id` (or anything else on a tampered prototype) is treated as absent.
 */
export class Fields {
  constructor(
    readonly o: JsonObject,
    readonly path: string,
  ) {}

  static of(v: unknown, path: string): Fields {
    if (!isObject(v)) throw new ShapeError(`${path}: expected an object`);
    return new Fields(v, path);
  }

  at(key: string): string {
    return pathOf(this.path, key);
  }

  get(key: string): unknown {
    return own(this.o, key);
  }

  fail(key: string, expected: string): never {
    throw new ShapeError(`${this.at(key)}: expected ${expected}`);
  }

  /** Returns undefined when absent; throws when present with the wrong type. */
  optional<T>(key: string, accept: (v: unknown) => v is T, expected: string): T | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (!accept(v)) this.fail(key, expected);
    return v;
  }

  str(key: string, fallback?: string): string {
    const v = this.optional(key, isString, 'a string') ?? fallback;
    return v ?? this.fail(key, 'a string');
  }

  optStr(key: string): string | undefined {
    return this.optional(key, isString, 'a string');
  }

  num(key: string, fallback?: number): number {
    const v = this.optional(key, isFiniteNumber, 'a finite number') ?? fallback;
    return v ?? this.fail(key, 'a finite number');
  }

  optNum(key: string): number | undefined {
    return this.optional(key, isFiniteNumber, 'a finite number');
  }

  count(key: string): number {
    return this.optCount(key) ?? this.fail(key, 'a non-negative integer');
  }

  optCount(key: string): number | undefined {
    return this.optional(key, isCount, 'a non-negative integer');
  }

  bool(key: string, fallback: boolean): boolean {
    return this.optional(key, isBoolean, 'true or false') ?? fallback;
  }

  optBool(key: string): boolean | undefined {
    return this.optional(key, isBoolean, 'true or false');
  }

  oneOf<T extends string>(key: string, allowed: Record<T, true>): T | undefined {
    const isAllowed = (v: unknown): v is T => typeof v === 'string' && Object.hasOwn(allowed, v);
    return this.optional(key, isAllowed, `one of ${Object.keys(allowed).join(', ')}`);
  }

  /** string | null, or undefined when absent. */
  nullableStr(key: string): string | null | undefined {
    return this.optional(key, isStringOrNull, 'a string or null');
  }

  /**
   * An array read item by item; absent gives undefined. `max` caps its length:
   * a hostile record (a 4 KB share link can inflate to 100,000 choices) fails
   * with a sentence instead of freezing the page that draws it.
   */
  list<T>(
    key: string,
    read: (item: unknown, path: string) => T,
    max = Number.POSITIVE_INFINITY,
  ): T[] | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(key, 'an array');
    if (v.length > max) {
      throw new ShapeError(
        `${this.at(key)}: holds ${v.length} items, more than the ${max} any answer can have`,
      );
    }
    return v.map((item, i) => read(item, `${this.at(key)}[${i}]`));
  }
}
