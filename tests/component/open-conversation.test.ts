// The open conversation and its autosave, on their own: what a keystroke costs,
// when a write happens, and what the header's save state says meanwhile.
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConversation } from '../../src/lib/model/conversation';
import { toLibraryEntry } from '../../src/lib/model/library';
import { fail, ok } from '../../src/lib/model/result';
import type { Conversation } from '../../src/lib/model/types';
import { OPENING } from '../../src/lib/state/chat-session.svelte';
import type { LoadedConversation } from '../../src/lib/store';
import { conversation, message } from '../builders/conversations';
import { Notice } from '../../src/lib/state/notice.svelte';
import {
  OpenConversation,
  type ConversationPort,
} from '../../src/lib/state/open-conversation.svelte';

afterEach(() => {
  vi.useRealTimers();
});

/** Storage that keeps what is written, by id, with revisions. */
function memoryPort(stored: Record<string, number> = {}) {
  const saved: Conversation[] = [];
  const revisions = new Map<string, number>(Object.entries(stored));
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

describe('a long conversation opened newest first', () => {
  /** Its newest 40 of 100 messages shown, at revision 1; `land` brings the whole read. */
  function openHead() {
    const all = Array.from({ length: 100 }, (_, i) =>
      message(`m${i}`, i % 2 ? 'assistant' : 'user', `Message ${i}`),
    );
    const conv = conversation({ id: 'long', model: 'gpt-4', messages: all });
    const { port, saved } = memoryPort({ long: 1 });
    const stash = vi.spyOn(port, 'stashPending');
    const notice = new Notice();
    const open = new OpenConversation({ ...conv, messages: all.slice(60) }, 1, {
      store: port,
      deps: {
        config: () => ({ apiKey: '', baseURL: 'https://api.openai.com/v1' }),
        idleTimeoutMs: () => 60_000,
      },
      notice,
      onStored: () => {},
    });
    let land!: (loaded: LoadedConversation) => void;
    open.readEarlier(60, new Promise((resolve) => (land = resolve)));
    const landed = async (loaded: LoadedConversation = ok({ conversation: conv, revision: 1 })) => {
      land(loaded);
      await vi.advanceTimersByTimeAsync(0);
    };
    return { open, conv, saved, port, stash, notice, landed };
  }

  it('holds Send and every change to the messages, and saves nothing, until the rest is in', async () => {
    vi.useFakeTimers();
    const { open, saved, landed } = openHead();
    const session = open.session;
    expect(session.messages.map((m) => m.id).slice(0, 2)).toEqual(['m60', 'm61']);
    expect(session.earlier).toBe(60);
    expect(session.sendBlocker).toBe(OPENING);
    expect(open.compare.sendBlocker).toBe(OPENING);
    session.editMessage('m99', { content: 'Changed' });
    session.deleteMessage('m98');
    expect(session.addMessage('user')).toBeNull();
    expect(session.messages).toHaveLength(40);
    expect(session.messages.at(-1)?.content).toBe('Message 99');

    // What can change meanwhile is typed, and waits to be saved with all the messages.
    session.draft = 'Typed while it opens';
    flushSync();
    let flushed = false;
    void open.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual([]);
    expect(flushed).toBe(false);

    await landed();
    expect(flushed).toBe(true);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.messages).toHaveLength(100);
    expect(saved[0]?.draft).toBe('Typed while it opens');
    expect(session.earlier).toBe(0);
    expect(session.sendBlocker).toBeNull();
    session.deleteMessage('m98');
    expect(session.messages).toHaveLength(99);
  });

  it('all in and nothing changed: nothing is written, and export and fork get every message', async () => {
    vi.useFakeTimers();
    const { open, saved, landed } = openHead();
    let whole: Conversation | undefined;
    void open.whole().then((c) => (whole = c));
    await vi.advanceTimersByTimeAsync(0);
    expect(whole).toBeUndefined();
    await landed();
    expect(whole?.messages).toHaveLength(100);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual([]);
    expect(open.saveState).toBe('saved');
  });

  it('a page hidden while it opens keeps no copy of the part it has', async () => {
    vi.useFakeTimers();
    const { open, saved, stash, landed } = openHead();
    open.session.draft = 'Typed, then the tab closes';
    flushSync();
    open.pageHidden();
    expect(stash).not.toHaveBeenCalled();
    await landed();
    // The save it started lands once the whole is in.
    expect(saved.map((c) => [c.messages.length, c.draft])).toEqual([
      [100, 'Typed, then the tab closes'],
    ]);
  });

  it('a read that fails opens a new conversation, keeps the draft, and says why', async () => {
    vi.useFakeTimers();
    const { open, saved, notice, landed } = openHead();
    open.session.draft = 'Keep me';
    flushSync();
    await landed(fail('1 of its 100 messages are missing from storage.'));
    expect(open.id).not.toBe('long');
    expect(open.session.messages).toEqual([]);
    expect(open.session.draft).toBe('Keep me');
    expect(notice.text).toBe(
      'This conversation could not be read whole: 1 of its 100 messages are missing from storage.',
    );
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved.map((c) => c.id)).not.toContain('long');
  });

  it("another tab's save announced while it opens is taken once the rest is in", async () => {
    vi.useFakeTimers();
    const { open, conv, saved, port, landed } = openHead();
    const theirs = { ...conv, title: 'Renamed there' };
    const loads = vi.fn(async () => ok({ conversation: theirs, revision: 2 }));
    port.loadConversation = loads;
    const entry = toLibraryEntry(theirs);
    const taken = open.remoteChange({ type: 'saved', id: 'long', revision: 2, entry });
    await vi.advanceTimersByTimeAsync(0);
    // Nothing is swapped under the reader (or made a conflict) while the rest is read.
    expect(open.session.title).not.toBe('Renamed there');
    expect(open.session.earlier).toBe(60);
    await landed();
    await taken;
    expect(open.session.title).toBe('Renamed there');
    expect(open.session.messages).toHaveLength(100);
    expect(saved).toEqual([]);
  });

  it('saved by another tab meanwhile: theirs is shown, or, with changes here, the user picks', async () => {
    vi.useFakeTimers();
    const untouched = openHead();
    const theirs = { ...untouched.conv, title: 'Renamed there' };
    await untouched.landed(ok({ conversation: theirs, revision: 2 }));
    expect(untouched.open.session.title).toBe('Renamed there');
    expect(untouched.open.conflict).toBe(false);

    const changed = openHead();
    changed.open.session.draft = 'Mine';
    flushSync();
    await changed.landed(ok({ conversation: theirs, revision: 2 }));
    expect(changed.open.conflict).toBe(true);
    expect(changed.open.session.messages).toHaveLength(100);
    expect(changed.open.session.draft).toBe('Mine');
    await vi.advanceTimersByTimeAsync(5000);
    expect(changed.saved).toEqual([]);
  });
});
