// The open conversation and its autosave, on their own: what a keystroke costs,
// when a write happens, and what the header's save state says meanwhile.
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConversation } from '../../src/lib/model/conversation';
import { fail, ok } from '../../src/lib/model/result';
import type { Conversation } from '../../src/lib/model/types';
import { Notice } from '../../src/lib/state/notice.svelte';
import {
  OpenConversation,
  type ConversationPort,
} from '../../src/lib/state/open-conversation.svelte';

afterEach(() => {
  vi.useRealTimers();
});

/** Storage that keeps what is written, by id, with revisions. */
function memoryPort() {
  const saved: Conversation[] = [];
  const revisions = new Map<string, number>();
  const port: ConversationPort = {
    async saveConversation(conv, expected) {
      const now = revisions.get(conv.id) ?? 0;
      if (expected !== undefined && expected !== now) return fail({ conflictWith: now });
      revisions.set(conv.id, now + 1);
      saved.push(structuredClone(conv));
      return ok(now + 1);
    },
    loadConversation: async () => ({ ok: false, error: 'not found' }),
    setCurrentId: async () => {},
    stashCurrentId: () => {},
    stashPending: () => true,
    clearPending: () => {},
  };
  return { port, saved };
}

function openOne(revision = 0) {
  const { port, saved } = memoryPort();
  const stored: Conversation[] = [];
  const open = new OpenConversation(createConversation({ model: 'gpt-4' }), revision, {
    store: port,
    deps: {
      config: () => ({ apiKey: '', baseURL: 'https://api.openai.com/v1' }),
      idleTimeoutMs: () => 60_000,
    },
    notice: new Notice(),
    onStored: (c) => stored.push(c),
  });
  return { open, saved, stored };
}

describe('autosave', () => {
  it('copies the conversation once per save, not once per keystroke', async () => {
    vi.useFakeTimers();
    const { open, saved } = openOne();
    const copies = vi.spyOn(open.session, 'toConversation');
    const text = 'A long message typed one key at a time';
    for (let i = 1; i <= text.length; i++) {
      open.session.draft = text.slice(0, i);
      flushSync(); // every keystroke reaches the autosave
    }
    expect(open.saveState).toBe('saving');
    expect(copies).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500); // past the debounce
    expect(saved.map((c) => c.draft)).toEqual([text]);
    expect(copies).toHaveBeenCalledOnce();
    expect(open.saveState).toBe('saved');
  });

  it('a long stream of changes is still saved at least every two seconds', async () => {
    vi.useFakeTimers();
    const { open, saved } = openOne();
    for (let i = 0; i < 30; i++) {
      open.session.draft = `frame ${i}`;
      flushSync();
      await vi.advanceTimersByTimeAsync(100); // a change every 100 ms, never a pause
    }
    expect(saved.length).toBeGreaterThanOrEqual(1);
    expect(saved.length).toBeLessThanOrEqual(2);
  });

  it('a change taken back before the save writes nothing', async () => {
    vi.useFakeTimers();
    const { open, saved } = openOne(3);
    open.session.draft = 'oops';
    flushSync();
    expect(open.saveState).toBe('saving');
    open.session.draft = '';
    flushSync();
    expect(open.saveState).toBe('saved');
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual([]);
  });

  it('showing another conversation is not a change: nothing is written and it reads as saved', async () => {
    vi.useFakeTimers();
    const { open, saved } = openOne();
    const other = { ...createConversation({ model: 'gpt-4o' }), title: 'Stored one' };
    await open.show(other, 5);
    flushSync();
    expect(open.saveState).toBe('saved');
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual([]);
  });

  it('a new conversation is not stored until something is typed', async () => {
    vi.useFakeTimers();
    const { open, saved, stored } = openOne();
    expect(open.saveState).toBe('new');
    await open.flush();
    expect(saved).toEqual([]);
    open.session.systemMessage = 'Be brief.';
    flushSync();
    await vi.advanceTimersByTimeAsync(500);
    expect(saved.map((c) => c.systemMessage)).toEqual(['Be brief.']);
    expect(stored.map((c) => c.id)).toEqual([open.id]);
  });
});
