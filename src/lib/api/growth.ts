// What a value gained since it was last sent across to another thread. The
// stream worker posts an answer every few reads; posting the whole answer each
// time would copy its text (and its log probabilities, thousands of objects)
// again and again. An answer only grows: text is appended to, lists are
// added to, a few small fields change. So what crosses is the growth, and the
// page puts it on the answer it already has.
//
// Generic over plain data (what structured clone carries): strings, arrays,
// plain objects and primitives.

import { hasPrefix } from '../model/prefix';

export type Growth =
  /** A string: the text appended to it. */
  | { s: string }
  /** An array: elements that changed, by index, and those added at its end. */
  | { a: unknown[]; i: [number, Growth][] }
  /** A plain object: its fields that changed. */
  | { o: Record<string, Growth> }
  /** A field that is gone. */
  | { d: 1 }
  /** Anything else: the new value. */
  | { v: unknown };

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** How `next` differs from `prev`, undefined when it does not. */
export function growthOf(prev: unknown, next: unknown): Growth | undefined {
  if (prev === next) return undefined;
  if (typeof prev === 'string' && typeof next === 'string') {
    return next.length > prev.length && hasPrefix(next, prev)
      ? { s: next.slice(prev.length) }
      : { v: next };
  }
  if (Array.isArray(prev) && Array.isArray(next) && next.length >= prev.length) {
    const changed: [number, Growth][] = [];
    for (let k = 0; k < prev.length; k++) {
      const g = growthOf(prev[k], next[k]);
      if (g) changed.push([k, g]);
    }
    if (changed.length === 0 && next.length === prev.length) return undefined;
    return { a: next.slice(prev.length), i: changed };
  }
  if (isPlain(prev) && isPlain(next)) {
    const o: Record<string, Growth> = {};
    let any = false;
    for (const key of Object.keys(next)) {
      const g = key in prev ? growthOf(prev[key], next[key]) : { v: next[key] };
      if (g) {
        o[key] = g;
        any = true;
      }
    }
    for (const key of Object.keys(prev)) {
      if (key in next) continue;
      o[key] = { d: 1 };
      any = true;
    }
    return any ? { o } : undefined;
  }
  if (Number.isNaN(prev) && Number.isNaN(next)) return undefined;
  return { v: next };
}

/** `prev` with `growth` put on it: a new value, `prev` untouched. */
export function grown<T>(prev: T, growth: Growth | undefined): T {
  return growth ? (apply(prev, growth) as T) : prev;
}

function apply(prev: unknown, g: Growth): unknown {
  if ('s' in g) return (prev as string) + g.s;
  if ('a' in g) {
    const out = (prev as unknown[]).concat(g.a);
    for (const [k, eg] of g.i) out[k] = apply(out[k], eg);
    return out;
  }
  if ('o' in g) {
    const out: Record<string, unknown> = { ...(prev as Record<string, unknown>) };
    for (const [key, fg] of Object.entries(g.o)) {
      if ('d' in fg) delete out[key];
      else out[key] = apply(out[key], fg);
    }
    return out;
  }
  if ('d' in g) return undefined;
  return g.v;
}
