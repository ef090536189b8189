import { flushSync } from 'svelte';
import { bench, describe } from 'vitest';
import { ok } from '../../src/lib/model/result';
import type { Message } from '../../src/lib/model/types';
import { Notice } from '../../src/lib/state/notice.svelte';
import { OpenConversation } from '../../src/lib/state/open-conversation.svelte';
import { conversation } from '../builders/conversations';

// What autosave costs per keystroke in a long conversation (500 question/answer
// pairs), next to what one save costs: a keystroke must not scale with the
// conversation, only a save may.
const messages: Message[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `m${i}`,
  role: i % 2 ? 'assistant' : 'user',
  content: `${i % 2 ? 'An answer' : 'A question'} number ${i}. `.repeat(i % 2 ? 40 : 4),
}));

const open = new OpenConversation(conversation({ messages }), 1, {
  store: {
    saveConversation: async () => ok(2),
    loadConversation: async () => ({ ok: false, error: 'none' }),
    setCurrentId: async () => {},
    stashCurrentId: () => {},
    stashPending: () => true,
    clearPending: () => {},
  },
  deps: { config: () => ({ apiKey: '', baseURL: 'http://127.0.0.1/v1' }), idleTimeoutMs: () => 0 },
  notice: new Notice(),
  onStored: () => {},
});

let n = 0;
describe('autosave in a 500-pair conversation', () => {
  bench('one keystroke in the draft (the change is noticed, nothing copied)', () => {
    open.session.draft = `typing ${n++}`;
    flushSync();
  });
  bench('one save (copy + JSON of the whole conversation)', async () => {
    JSON.stringify(await open.whole());
  });
});
