// Whether a text begins with another, for texts that grow by appending.
//
// A streamed answer's text is built piece by piece (`text += delta`), and V8
// keeps such a string as a rope of its pieces. `startsWith` on a rope walks it
// character by character and leaves it a rope, every call: asked once per
// post of a 10,000-token answer, it was most of the stream worker's time
// (~30 ms on a small machine, growing with the square of the answer's length).
// `slice` turns the rope into one flat string once (later calls reuse it), and
// comparing two flat strings is a memory compare: the same answer, ~1 ms.

/** `text.startsWith(prefix)`, in time linear in `prefix` even when `text` is a rope. */
export function hasPrefix(text: string, prefix: string): boolean {
  return text.length >= prefix.length && text.slice(0, prefix.length) === prefix;
}

/** `text.endsWith(suffix)`, in the same way. */
export function hasSuffix(text: string, suffix: string): boolean {
  return text.length >= suffix.length && text.slice(text.length - suffix.length) === suffix;
}
