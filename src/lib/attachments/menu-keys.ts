// Where a key moves the focus in a menu (arrows, Home, End, a first letter),
// as in the WAI-ARIA menu pattern.

/**
 * The index of the item `key` moves to among `items` (the focused one at
 * `current`, -1 when none), or undefined when the key is not a move.
 */
export function menuMove(
  key: string,
  items: readonly HTMLElement[],
  current: number,
): number | undefined {
  const n = items.length;
  if (key === 'ArrowDown') return (current + 1) % n;
  if (key === 'ArrowUp') return current < 0 ? n - 1 : (current - 1 + n) % n;
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  if (key.length === 1 && /\S/.test(key)) {
    // Type-ahead: the next item starting with that letter.
    const letter = key.toLowerCase();
    const order = [...items.slice(current + 1), ...items.slice(0, current + 1)];
    const hit = order.find((el) => el.textContent?.trim().toLowerCase().startsWith(letter));
    return hit ? items.indexOf(hit) : current;
  }
  return undefined;
}
