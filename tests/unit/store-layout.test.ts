// How conversations sit in storage: a save writes only what changed (the
// small conversation record, plus the messages that are new or replaced),
// and what an older Parley stored whole still opens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshIndexedDb } from '../builders/indexed-db';
import { conversation, message } from '../builders/conversations';
import { createKv, idbBackend, Store, type KvBackend } from '../../src/lib/store';
import type { Conversation } from '../../src/lib/model/types';

beforeEach(() => freshIndexedDb());
afterEach(() => vi.unstubAllGlobals());

/** IndexedDB, with every key each save puts or deletes written down. */
function recordingBackend() {
  const idb = idbBackend();
  const puts: string[] = [];
  const dels: string[] = [];
  const backend: KvBackend = {
    ...idb,
    updateMany: (key, fn) =>
      idb.updateMany!(key, (old) => {
        const writes = fn(old);
        puts.push(...(writes?.puts.map(([k]) => k) ?? []));
        dels.push(...(writes?.dels ?? []));
        return writes;
      }),
  };
  const clear = () => {
    puts.length = 0;
    dels.length = 0;
  };
  return { idb, backend, puts, dels, clear };
}

function longConversation(pairs: number): Conversation {
  const messages = Array.from({ length: pairs }, (_, i) => [
    message(`u${i}`, 'user', `Question ${i}`),
    message(`a${i}`, 'assistant', `Answer ${i} `.repeat(50)),
  ]).flat();
  return conversation({ id: 'long', title: 'Long', messages });
}

describe('saving writes only what changed', () => {
  it('a keystroke in the draft rewrites the conversation record only', async () => {
    const rec = recordingBackend();
    const store = new Store(createKv({ backend: rec.backend }));
    const conv = longConversation(500);
    const first = await store.saveConversation(conv);
    expect(first).toEqual({ ok: true, value: 1 });
    expect(rec.puts).toHaveLength(1 + 1000 + 1); // record, messages, search text

    rec.clear();
    // The app replaces what changes and keeps the rest: same message objects.
    await store.saveConversation({ ...conv, draft: 'H', messages: [...conv.messages] }, 1);
    expect(rec.puts).toEqual(['conv:long']);
    expect(rec.dels).toEqual([]);
    const stored = await rec.idb.get('conv:long');
    // The record holds ids, not the messages' text.
    expect(JSON.stringify(stored).length).toBeLessThan(20_000);
  });

  it("the draft's files are written when they change, not with every keystroke", async () => {
    const rec = recordingBackend();
    const store = new Store(createKv({ backend: rec.backend }));
    const conv = longConversation(1);
    const big = 'A'.repeat(400_000);
    const draftFiles = [
      { kind: 'file' as const, name: 'r.pdf', data: `data:application/pdf;base64,${big}` },
    ];
    const draftImages = [{ url: 'data:image/png;base64,iVBORw0KGgo=', name: 'a.png' }];
    await store.saveConversation({ ...conv, draftFiles, draftImages });
    expect(rec.puts).toContain('draft:long');
    expect(JSON.stringify(await rec.idb.get('conv:long')).length).toBeLessThan(5_000);

    rec.clear();
    // Typing: the same lists (the app replaces them to change them).
    await store.saveConversation({ ...conv, draft: 'Read this', draftFiles, draftImages }, 1);
    expect(rec.puts).toEqual(['conv:long']);

    const loaded = await new Store(createKv({ backend: rec.backend })).loadConversation('long');
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.value.conversation.draftFiles).toEqual(draftFiles);
    expect(loaded.value.conversation.draftImages).toEqual(draftImages);
    expect(loaded.value.conversation.draft).toBe('Read this');

    // Sent: the draft has no files left, and neither has storage.
    rec.clear();
    await store.saveConversation({ ...conv, messages: [...conv.messages] }, 2);
    expect(rec.dels).toEqual(['draft:long']);
    expect(await rec.idb.get('draft:long')).toBeUndefined();
  });

  it('a new or replaced message is written alone; a removed one is deleted', async () => {
    const rec = recordingBackend();
    const store = new Store(createKv({ backend: rec.backend }));
    const conv = longConversation(3);
    await store.saveConversation(conv);
    rec.clear();

    const messages = [...conv.messages];
    messages[1] = { ...messages[1]!, content: 'Edited answer' };
    messages.splice(4, 2); // the last exchange goes
    messages.push(message('u9', 'user', 'A new question'));
    await store.saveConversation({ ...conv, messages }, 1);
    expect(rec.puts.sort()).toEqual(['conv:long', 'msg:long:a0', 'msg:long:u9', 'text:long']);
    expect(rec.dels.sort()).toEqual(['msg:long:a2', 'msg:long:u2']);

    const loaded = await new Store(createKv({ backend: rec.backend })).loadConversation('long');
    expect(loaded.ok && loaded.value.conversation.messages.map((m) => m.content)).toEqual([
      'Question 0',
      'Edited answer',
      'Question 1',
      `Answer 1 `.repeat(50),
      'A new question',
    ]);
  });

  it('after a reload, only what changes since is written again', async () => {
    const rec = recordingBackend();
    await new Store(createKv({ backend: rec.backend })).saveConversation(longConversation(20));
    rec.clear();
    const reopened = new Store(createKv({ backend: rec.backend }));
    const loaded = await reopened.loadConversation('long');
    if (!loaded.ok) throw new Error(loaded.error);
    const { conversation: conv, revision } = loaded.value;
    await reopened.saveConversation({ ...conv, draft: 'more' }, revision);
    expect(rec.puts).toEqual(['conv:long']);
  });

  it('when another tab saved in between, everything is written again', async () => {
    const rec = recordingBackend();
    const tabA = new Store(createKv({ backend: rec.backend }));
    const tabB = new Store(createKv({ backend: rec.backend }));
    const conv = longConversation(2);
    await tabA.saveConversation(conv);
    const inB = await tabB.loadConversation('long');
    if (!inB.ok) throw new Error(inB.error);
    const bMessages = inB.value.conversation.messages.map((m) => ({
      ...m,
      content: `B: ${m.content}`,
    }));
    await tabB.saveConversation({ ...inB.value.conversation, messages: bMessages }, 1);
    rec.clear();

    // Tab A saves its own (a copy it adopts, with no revision to check): its
    // memory of what it wrote is out of date, so nothing of B's is left behind.
    await tabA.saveConversation({ ...conv, draft: 'A' });
    expect(rec.puts).toHaveLength(1 + 4 + 1);
    const loaded = await tabB.loadConversation('long');
    expect(loaded.ok && loaded.value.conversation).toEqual({ ...conv, draft: 'A' });
  });

  it('compare panes keep their messages in records of their own', async () => {
    const rec = recordingBackend();
    const store = new Store(createKv({ backend: rec.backend }));
    const pane = (id: string, model: string) => ({
      id,
      model,
      overrides: {},
      linkedHistory: true,
      messages: [message(`${id}-a`, 'assistant', `From ${model}`)],
    });
    const conv = conversation({
      id: 'cmp',
      messages: [message('u1', 'user', 'Hi')],
      compare: { active: true, panes: [pane('p1', 'gpt-4'), pane('p2', 'gpt-3.5-turbo')] },
    });
    await store.saveConversation(conv);
    expect(rec.puts).toContain('msg:cmp:p2-a');
    const loaded = await new Store(createKv({ backend: rec.backend })).loadConversation('cmp');
    expect(loaded.ok && loaded.value.conversation).toEqual(conv);
    const list = await store.listConversations();
    expect(list.items[0]).toMatchObject({ id: 'cmp', model: 'gpt-4 vs gpt-3.5-turbo' });
    expect(list.items[0]?.text).toContain('from gpt-3.5-turbo');
  });
});

describe('reading', () => {
  it('opens and lists a conversation an older Parley stored whole, and splits it on its next save', async () => {
    const rec = recordingBackend();
    const conv = longConversation(2);
    await rec.idb.set('conv:long', { ...conv, revision: 4 });
    const store = new Store(createKv({ backend: rec.backend }));

    expect((await store.listConversations()).items).toMatchObject([{ id: 'long', title: 'Long' }]);
    const loaded = await store.loadConversation('long');
    expect(loaded).toEqual({ ok: true, value: { conversation: conv, revision: 4 } });

    await store.saveConversation({ ...conv, draft: 'x' }, 4);
    expect(rec.puts).toHaveLength(1 + 4 + 1);
    const record = (await rec.idb.get('conv:long')) as { messages: unknown[] };
    expect(record.messages).toEqual(['u0', 'a0', 'u1', 'a1']);
  });

  it('lists without reading a message, or the keys of all records, and finds words of any message', async () => {
    const idb = idbBackend();
    const read: string[] = [];
    const backend: KvBackend = {
      ...idb,
      get: (key) => (read.push(key), idb.get(key)),
      getMany: (keys) => (read.push(...keys), idb.getMany!(keys)),
      getPrefix: (prefix) => (read.push(`${prefix}*`), idb.getPrefix!(prefix)),
      keys: () => (read.push('(every key)'), idb.keys()),
    };
    const store = new Store(createKv({ backend }));
    await store.saveConversation(longConversation(50));
    read.length = 0;
    const list = await store.listConversations();
    // Two range reads: the conversations' own records and their search texts.
    expect(read.sort()).toEqual(['conv:*', 'text:*']);
    expect(list.items[0]).toMatchObject({ id: 'long', title: 'Long' });
    expect(list.items[0]?.text).toContain('question 49');
  });

  it('opens a long conversation with one range read, not a read per message', async () => {
    const idb = idbBackend();
    const read: string[] = [];
    const prefixes: string[] = [];
    const backend: KvBackend = {
      ...idb,
      get: (key) => (read.push(key), idb.get(key)),
      getMany: (keys) => (read.push(...keys), idb.getMany!(keys)),
      getPrefix: (prefix) => (prefixes.push(prefix), idb.getPrefix!(prefix)),
    };
    const conv = longConversation(200);
    await new Store(createKv({ backend })).saveConversation(conv);
    // Another conversation whose id starts the same must not leak in.
    await new Store(createKv({ backend })).saveConversation({
      ...longConversation(1),
      id: 'long2',
    });
    read.length = 0;
    const loaded = await new Store(createKv({ backend })).loadConversation('long');
    expect(loaded.ok && loaded.value.conversation).toEqual(conv);
    expect(read.filter((k) => k.startsWith('msg:'))).toEqual([]);
    expect(prefixes).toEqual(['msg:long:']);
  });

  it('reads a prefix through what could not be written and what was deleted', async () => {
    const idb = idbBackend();
    await idb.set('msg:c:1', 'one');
    await idb.set('msg:c:2', 'two');
    await idb.set('msg:d:1', 'other');
    const kv = createKv({ backend: { ...idb, getPrefix: undefined } });
    expect(await kv.getPrefix('msg:c:')).toEqual(
      new Map([
        ['msg:c:1', 'one'],
        ['msg:c:2', 'two'],
      ]),
    );
    const failing = createKv({
      backend: { ...idb, set: () => Promise.reject(new Error('disk full')) },
    });
    expect(await failing.get('msg:c:2')).toBe('two'); // the database opens
    await failing.set('msg:c:3', 'three'); // the write fails: kept in memory
    await failing.del('msg:c:1');
    expect(await failing.getPrefix('msg:c:')).toEqual(
      new Map([
        ['msg:c:2', 'two'],
        ['msg:c:3', 'three'],
      ]),
    );
  });

  it('says which conversation lost messages instead of opening it half', async () => {
    const rec = recordingBackend();
    const store = new Store(createKv({ backend: rec.backend }));
    await store.saveConversation(longConversation(2));
    await rec.idb.del('msg:long:a1');
    const loaded = await new Store(createKv({ backend: rec.backend })).loadConversation('long');
    expect(loaded).toEqual({ ok: false, error: '1 of its 4 messages are missing from storage.' });
  });

  it('a conversation whose message ids repeat is kept whole', async () => {
    const rec = recordingBackend();
    const store = new Store(createKv({ backend: rec.backend }));
    const conv = conversation({
      id: 'dup',
      messages: [message('m', 'user', 'one'), message('m', 'assistant', 'two')],
    });
    await store.saveConversation(conv);
    expect(rec.puts).toEqual(['conv:dup']);
    const loaded = await store.loadConversation('dup');
    expect(loaded.ok && loaded.value.conversation).toEqual(conv);
  });

  it('a delete removes the messages and the search text too', async () => {
    const rec = recordingBackend();
    const store = new Store(createKv({ backend: rec.backend }));
    await store.saveConversation(longConversation(2));
    await store.deleteConversation('long');
    expect(await rec.idb.keys()).toEqual([]);
  });
});

describe('opening a long conversation newest first', () => {
  /** IndexedDB, with every read written down in the order it was asked for. */
  function readingBackend() {
    const idb = idbBackend();
    const log: string[] = [];
    const backend: KvBackend = {
      ...idb,
      get: (key) => (log.push(`get ${key}`), idb.get(key)),
      getMany: (keys) => (log.push(`getMany ${keys.length}`), idb.getMany!(keys)),
      getPrefix: (prefix) => (log.push(`range ${prefix}`), idb.getPrefix!(prefix)),
    };
    return { idb, backend, log };
  }

  it('reads its newest 40 messages first, then the rest, and remembers only the whole', async () => {
    const rec = recordingBackend();
    const { backend, log } = readingBackend();
    const conv = { ...longConversation(200), draft: 'Half typed', systemMessage: 'Be brief.' };
    await new Store(createKv({ backend: rec.backend })).saveConversation(conv);
    log.length = 0;
    const store = new Store(
      createKv({ backend: { ...backend, updateMany: rec.backend.updateMany } }),
    );
    const opening = await store.openConversation('long');

    expect(opening.head?.earlier).toBe(360);
    expect(opening.head?.revision).toBe(1);
    // Everything but the messages is there, and the newest 40 of those.
    expect(opening.head?.conversation).toEqual({ ...conv, messages: conv.messages.slice(-40) });
    // The 40 are asked for before all 400: IndexedDB answers in order.
    const many = log.indexOf('getMany 40');
    expect(many).toBeGreaterThan(log.indexOf('get conv:long'));
    expect(many).toBeLessThan(log.indexOf('range msg:long:'));

    const whole = await opening.whole;
    if (!whole.ok) throw new Error(whole.error);
    expect(whole.value).toEqual({ conversation: conv, revision: 1 });
    // The whole is what the next save compares with: one changed message is written alone.
    rec.clear();
    const read = whole.value.conversation;
    const messages = [...read.messages];
    messages[3] = { ...messages[3]!, content: 'Edited' };
    await store.saveConversation({ ...read, messages }, 1);
    expect(rec.puts.sort()).toEqual(['conv:long', 'msg:long:a1', 'text:long']);
    expect(rec.dels).toEqual([]);
  });

  it('reads a short conversation, or one with compare panes, whole at once', async () => {
    const { backend } = readingBackend();
    const store = new Store(createKv({ backend }));
    const short = { ...longConversation(40), id: 'short' };
    const compared = conversation({
      id: 'cmp',
      messages: longConversation(100).messages,
      compare: {
        active: true,
        panes: [{ id: 'p1', model: 'gpt-4', overrides: {}, linkedHistory: true, messages: [] }],
      },
    });
    for (const c of [short, compared]) {
      await store.saveConversation(c);
      const opening = await new Store(createKv({ backend })).openConversation(c.id);
      expect(opening.head).toBeUndefined();
      const whole = await opening.whole;
      expect(whole.ok && whole.value.conversation).toEqual(c);
    }
  });

  it('says what is missing: a newest message (no head), or an earlier one (the whole)', async () => {
    const rec = recordingBackend();
    await new Store(createKv({ backend: rec.backend })).saveConversation(longConversation(100));
    await rec.idb.del('msg:long:u3');
    const early = await new Store(createKv({ backend: rec.backend })).openConversation('long');
    expect(early.head?.conversation.messages).toHaveLength(40);
    expect(await early.whole).toEqual({
      ok: false,
      error: '1 of its 200 messages are missing from storage.',
    });

    await rec.idb.del('msg:long:a99');
    const late = await new Store(createKv({ backend: rec.backend })).openConversation('long');
    expect(late.head).toBeUndefined();
    expect(await late.whole).toMatchObject({ ok: false });
  });
});
