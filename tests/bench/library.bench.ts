import { bench, describe } from 'vitest';
import { createConversation } from '../../src/lib/model/conversation';
import { parseImport, toExportFile } from '../../src/lib/model/exchange';
import { searchLibrary, toLibraryEntry } from '../../src/lib/model/library';
import { decodeShare, encodeShare } from '../../src/lib/model/share';
import type { Conversation } from '../../src/lib/model/types';

// A library of 500 conversations of 20 turns each, as a heavy user accumulates.
const words = 'the quick brown fox jumps over a lazy dog while otters play near café rivers'.split(
  ' ',
);
const sentence = (seed: number, n: number) =>
  Array.from({ length: n }, (_, i) => words[(seed * 7 + i * 3) % words.length]).join(' ');

function conversation(i: number): Conversation {
  const conv = createConversation({ model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini' });
  conv.title = `Conversation ${i}`;
  conv.updatedAt = 1_700_000_000_000 + i * 60_000;
  conv.messages = Array.from({ length: 40 }, (_, k) => ({
    id: `m${k}`,
    role: k % 2 ? ('assistant' as const) : ('user' as const),
    content: sentence(i + k, k % 2 ? 120 : 20),
  }));
  return conv;
}

const library = Array.from({ length: 500 }, (_, i) => conversation(i));
const entries = library.map(toLibraryEntry);
const file = toExportFile(library, 0);
const one = library[0]!;

describe('the Conversations list (500 conversations)', () => {
  bench('build the list entries (startup)', () => {
    library.map(toLibraryEntry);
  });
  bench('search message text, one keystroke', () => {
    searchLibrary(entries, 'otters play');
  });
});

describe(`export and import (500 conversations, ${(file.length / 1e6).toFixed(1)} MB)`, () => {
  bench('export all', () => {
    toExportFile(library, 0);
  });
  bench('import (validate everything)', () => {
    parseImport(file);
  });
});

describe('share link (one 40-message conversation)', () => {
  bench('encode then decode', async () => {
    const link = await encodeShare(one);
    if (link.ok) await decodeShare(link.value.fragment);
  });
});
