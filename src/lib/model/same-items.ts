// Values are replaced whole when they change (never edited in place), so two
// lists of them are the same when they hold the same objects, in order.

/** Same length, and `Object.is` item by item. */
export function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
