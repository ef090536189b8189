import { describe, expect, it } from 'vitest';
import { UNTITLED } from '../../src/lib/model/conversation';
import { migrateConversation } from '../../src/lib/model/read-conversation';
import {
  LIBRARY_TEXT_MAX,
  fold,
  forkConversation,
  forkPane,
  groupByDay,
  searchLibrary,
  toLibraryEntry,
  type LibraryEntry,
} from '../../src/lib/model/library';
import { SCHEMA_VERSION, type Conversation } from '../../src/lib/model/types';
import { message } from '../builders/conversations';

function conv(over: Partial<Conversation> = {}): Conversation {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: 'c1',
    title: '',
    createdAt: 1000,
    updatedAt: 2000,
    systemMessage: 'Be brief.',
    model: 'gpt-4o',
    stream: true,
    params: { temperature: 0.5 },
    tools: { json: '', format: 'tools' },
    messages: [],
    draft: '',
    ...over,
  };
}

function entry(id: string, title: string, updatedAt: number, text = ''): LibraryEntry {
  return { id, title, updatedAt, model: 'gpt-4o', text: fold(`${title}\n${text}`) };
}

const ids = (entries: LibraryEntry[]) => entries.map((e) => e.id);

describe('toLibraryEntry', () => {
  it('takes the title, or derives one from the first user message', () => {
    const c = conv({ messages: [message('m1', 'user', 'Plan a trip to Kyoto\nwith kids')] });
    expect(toLibraryEntry({ ...c, title: 'Trip' }).title).toBe('Trip');
    expect(toLibraryEntry(c).title).toBe('Plan a trip to Kyoto');
    expect(toLibraryEntry(conv()).title).toBe(UNTITLED);
  });

  it('keeps id, updatedAt and the model (the panes’ models while comparing)', () => {
    const c = conv({ id: 'x', updatedAt: 42 });
    expect(toLibraryEntry(c)).toMatchObject({ id: 'x', updatedAt: 42, model: 'gpt-4o' });
    const comparing = conv({
      compare: {
        active: true,
        panes: [
          { id: 'p1', model: 'gpt-4', overrides: {}, linkedHistory: true, messages: [] },
          { id: 'p2', model: 'gpt-3.5-turbo', overrides: {}, linkedHistory: true, messages: [] },
        ],
      },
    });
    expect(toLibraryEntry(comparing).model).toBe('gpt-4 vs gpt-3.5-turbo');
  });

  it('indexes the title and every message of the history and the panes, lower-cased', () => {
    const c = conv({
      title: 'Café Notes',
      messages: [message('m1', 'user', 'HELLO there'), message('m2', 'assistant', 'Grüße')],
      compare: {
        active: false,
        panes: [
          {
            id: 'p1',
            model: 'gpt-4',
            overrides: {},
            linkedHistory: true,
            messages: [message('pm1', 'assistant', 'Pane ANSWER')],
          },
        ],
      },
    });
    const { text } = toLibraryEntry(c);
    expect(text).toContain('cafe notes');
    expect(text).toContain('hello there');
    expect(text).toContain('gruße');
    expect(text).toContain('pane answer');
    expect(text).not.toContain('be brief');
  });

  it('caps the text at 200k characters', () => {
    const big = 'x'.repeat(150_000);
    const c = conv({
      messages: [
        message('m1', 'user', big),
        message('m2', 'assistant', big),
        message('m3', 'user', big),
      ],
    });
    expect(toLibraryEntry(c).text.length).toBe(LIBRARY_TEXT_MAX);
    const emoji = conv({ messages: [message('m1', 'user', '😀'.repeat(150_000))] });
    const text = toLibraryEntry(emoji).text;
    expect(text.length).toBeLessThanOrEqual(LIBRARY_TEXT_MAX);
    // Never ends in half an emoji.
    expect(text.at(-1)).not.toMatch(/[\ud800-\udbff]/);
  });
});

describe('fold', () => {
  it('drops case and accents, and is idempotent', () => {
    expect(fold('Café CRÈME Ångström naïve')).toBe('cafe creme angstrom naive');
    expect(fold(fold('Ça va'))).toBe('ca va');
  });

  it('keeps marks that change a letter rather than accent it', () => {
    expect(fold('が')).not.toBe(fold('か'));
  });
});

describe('searchLibrary', () => {
  const entries = [
    entry('old', 'Groceries', 100, 'buy café beans and milk'),
    entry('new', 'Weather in Paris', 300, 'is it raining today'),
    entry('mid', 'Café ideas', 200, 'open a coffee shop'),
    entry('cjk', '東京 trip', 150, 'ラーメン and sushi'),
  ];

  it('returns everything newest first for a blank query', () => {
    expect(ids(searchLibrary(entries, ''))).toEqual(['new', 'mid', 'cjk', 'old']);
    expect(ids(searchLibrary(entries, '   \t '))).toEqual(['new', 'mid', 'cjk', 'old']);
  });

  it('does not reorder the array it is given', () => {
    const copy = [...entries];
    searchLibrary(entries, '');
    searchLibrary(entries, 'cafe');
    expect(entries).toEqual(copy);
  });

  it('ignores case and accents on both sides', () => {
    expect(ids(searchLibrary(entries, 'cafe'))).toEqual(['mid', 'old']);
    expect(ids(searchLibrary(entries, 'CAFÉ'))).toEqual(['mid', 'old']);
    expect(ids(searchLibrary([entry('e', 'Resume', 1)], 'résumé'))).toEqual(['e']);
    // NFC and NFD spellings of the same word match.
    expect(ids(searchLibrary([entry('e', 'cafe\u0301', 1)], 'caf\u00e9'))).toEqual(['e']);
  });

  it('needs every term to match (AND), in title or text', () => {
    expect(ids(searchLibrary(entries, 'cafe milk'))).toEqual(['old']);
    expect(ids(searchLibrary(entries, 'paris raining'))).toEqual(['new']);
    expect(ids(searchLibrary(entries, 'paris milk'))).toEqual([]);
    expect(ids(searchLibrary(entries, 'nothing-like-this'))).toEqual([]);
  });

  it('finds CJK text', () => {
    expect(ids(searchLibrary(entries, '東京'))).toEqual(['cjk']);
    expect(ids(searchLibrary(entries, 'ラーメン'))).toEqual(['cjk']);
  });

  it('ranks title matches before text-only matches, then newest first', () => {
    const list = [
      entry('text-new', 'Shopping', 500, 'remember the kyoto guide'),
      entry('title-old', 'Kyoto guide', 100),
      entry('text-old', 'Misc', 50, 'kyoto'),
      entry('title-new', 'Kyoto in spring', 400),
    ];
    expect(ids(searchLibrary(list, 'kyoto'))).toEqual([
      'title-new',
      'title-old',
      'text-new',
      'text-old',
    ]);
    // More terms in the title rank higher.
    expect(ids(searchLibrary(list, 'kyoto guide'))).toEqual(['title-old', 'text-new']);
  });

  it('works on entries whose text was not folded', () => {
    const raw: LibraryEntry = {
      id: 'r',
      title: 'x',
      updatedAt: 1,
      model: 'm',
      text: 'Crème Brûlée',
    };
    expect(ids(searchLibrary([raw], 'creme brulee'))).toEqual(['r']);
  });
});

describe('groupByDay', () => {
  // Local time throughout: new Date(y, m, d, h). March 2024 spans a DST change in
  // the US (10 March) and ends one in Australia; try TZ=America/New_York.
  const at = (d: number, h: number, min = 0) => new Date(2024, 2, d, h, min).getTime();

  it('groups in local days, newest first, omitting empty groups', () => {
    const now = at(15, 0, 30); // 00:30 on 15 March
    const list = [
      entry('yesterday-late', 'a', at(14, 23, 59)),
      entry('today', 'b', at(15, 0, 1)),
      entry('midnight', 'c', at(15, 0)),
      entry('yesterday-start', 'd', at(14, 0)),
      entry('two-days', 'e', at(13, 23)),
      entry('seven-days', 'f', at(8, 0)),
      entry('eight-days', 'g', at(7, 23, 59)),
      entry('future', 'h', at(16, 12)),
    ];
    expect(groupByDay(list, now)).toEqual([
      { label: 'Today', items: [list[7], list[1], list[2]] },
      { label: 'Yesterday', items: [list[0], list[3]] },
      { label: 'Previous 7 days', items: [list[4], list[5]] },
      { label: 'Older', items: [list[6]] },
    ]);
  });

  it('moves an entry to Yesterday when midnight passes', () => {
    const e = entry('e', 'a', at(15, 23, 50));
    expect(groupByDay([e], at(15, 23, 59))[0]!.label).toBe('Today');
    expect(groupByDay([e], at(16, 0, 1))[0]!.label).toBe('Yesterday');
    expect(groupByDay([e], at(17, 0, 1))[0]!.label).toBe('Previous 7 days');
    expect(groupByDay([e], at(22, 23, 59))[0]!.label).toBe('Previous 7 days');
    expect(groupByDay([e], at(23, 0, 1))[0]!.label).toBe('Older');
  });

  it('leaves out empty groups and handles an empty list', () => {
    expect(groupByDay([], at(15, 12))).toEqual([]);
    const old = entry('o', 'a', at(1, 12));
    expect(groupByDay([old], at(15, 12))).toEqual([{ label: 'Older', items: [old] }]);
  });

  it('uses Date.now() by default', () => {
    const e = entry('e', 'a', Date.now());
    expect(groupByDay([e])).toEqual([{ label: 'Today', items: [e] }]);
  });
});

describe('forkConversation', () => {
  function withPanes(): Conversation {
    return conv({
      id: 'orig',
      title: 'Trip',
      draft: 'unsent',
      messages: [
        message('m1', 'user', 'Plan a trip'),
        {
          ...message('m2', 'assistant', ''),
          toolCalls: [{ id: 'call_1', type: 'function', name: 'search', arguments: '{}' }],
          status: 'done',
          usage: { prompt: 1, completion: 2, total: 3 },
        },
        { ...message('m3', 'tool', 'results'), toolCallId: 'call_1' },
        message('m4', 'assistant', 'Here is a plan'),
      ],
      compare: {
        active: true,
        panes: [
          {
            id: 'p1',
            model: 'gpt-4',
            overrides: { temperature: null },
            linkedHistory: true,
            messages: [message('pm1', 'user', 'More'), message('pm2', 'assistant', 'Sure')],
          },
          { id: 'p2', model: 'gpt-3.5-turbo', overrides: {}, linkedHistory: false, messages: [] },
        ],
      },
    });
  }

  it('copies everything with new conversation, message and pane ids', () => {
    const orig = withPanes();
    const fork = forkConversation(orig, undefined, 5000);
    expect(fork.id).not.toBe('orig');
    expect(fork.title).toBe('Trip (fork)');
    expect(fork.createdAt).toBe(5000);
    expect(fork.updatedAt).toBe(5000);
    expect(fork.draft).toBe('');
    expect(fork.messages.map((m) => m.content)).toEqual(orig.messages.map((m) => m.content));
    const oldIds = new Set([
      ...orig.messages.map((m) => m.id),
      ...orig.compare!.panes.flatMap((p) => [p.id, ...p.messages.map((m) => m.id)]),
    ]);
    const newIds = [
      ...fork.messages.map((m) => m.id),
      ...fork.compare!.panes.flatMap((p) => [p.id, ...p.messages.map((m) => m.id)]),
    ];
    expect(newIds).toHaveLength(oldIds.size);
    expect(new Set(newIds).size).toBe(newIds.length);
    for (const id of newIds) expect(oldIds.has(id)).toBe(false);
    // Tool call ids link calls to results; they stay.
    expect(fork.messages[1]!.toolCalls![0]!.id).toBe('call_1');
    expect(fork.messages[2]!.toolCallId).toBe('call_1');
    expect(fork.compare!.panes.map((p) => p.model)).toEqual(['gpt-4', 'gpt-3.5-turbo']);
    expect(fork.compare!.panes[0]!.overrides).toEqual({ temperature: null });
    expect(fork.systemMessage).toBe(orig.systemMessage);
    expect(fork.params).toEqual(orig.params);
  });

  it('leaves the original untouched and shares no objects with it', () => {
    const orig = withPanes();
    const before = structuredClone(orig);
    const fork = forkConversation(orig);
    expect(orig).toEqual(before);
    fork.params.temperature = 2;
    fork.messages[1]!.toolCalls![0]!.name = 'changed';
    fork.compare!.panes[0]!.overrides.top_p = 0.1;
    expect(orig).toEqual(before);
  });

  it('cuts the shared history after the fork point and drops the panes', () => {
    const fork = forkConversation(withPanes(), 'm2', 5000);
    expect(fork.messages.map((m) => m.content)).toEqual(['Plan a trip', '']);
    expect(fork.messages[1]!.toolCalls).toHaveLength(1);
    expect(fork.messages.map((m) => m.id)).not.toContain('m2');
    expect(fork.compare).toBeUndefined();
    const first = forkConversation(withPanes(), 'm1');
    expect(first.messages.map((m) => m.content)).toEqual(['Plan a trip']);
    const last = forkConversation(withPanes(), 'm4');
    expect(last.messages).toHaveLength(4);
    expect(last.compare).toBeUndefined();
  });

  it('copies the whole conversation when the fork point is not in the shared history', () => {
    for (const id of ['nope', 'pm1']) {
      const fork = forkConversation(withPanes(), id);
      expect(fork.messages).toHaveLength(4);
      expect(fork.compare!.panes[0]!.messages).toHaveLength(2);
    }
  });

  it('titles a blank-titled fork from its first user message', () => {
    const c = conv({ messages: [message('m1', 'user', 'What is 2+2?')] });
    expect(forkConversation(c).title).toBe('What is 2+2? (fork)');
    expect(forkConversation(conv()).title).toBe(`${UNTITLED} (fork)`);
  });

  it('marks an answer still streaming as interrupted (nothing will finish the copy)', () => {
    const c = conv({ messages: [{ ...message('m1', 'assistant', 'part'), status: 'streaming' }] });
    expect(forkConversation(c).messages[0]!.status).toBe('interrupted');
  });

  it('passes migrateConversation unchanged', () => {
    for (const fork of [
      forkConversation(withPanes()),
      forkConversation(withPanes(), 'm3'),
      forkConversation(conv()),
    ]) {
      expect(migrateConversation(fork)).toEqual({ ok: true, value: fork });
    }
  });
});

describe('forkPane', () => {
  const shared = [
    message('s1', 'user', 'shared question'),
    message('s2', 'assistant', 'shared answer'),
  ];
  const source = conv({
    title: 'Race',
    messages: shared,
    compare: {
      active: true,
      panes: [
        {
          id: 'p1',
          model: 'gpt-4',
          overrides: { temperature: 0 },
          linkedHistory: true,
          messages: [message('a1', 'user', 'follow-up'), message('a2', 'assistant', 'gpt-4 says')],
        },
        {
          id: 'p2',
          model: 'gpt-3.5-turbo',
          overrides: {},
          systemMessage: 'Pane 2 system',
          linkedHistory: false,
          messages: [message('b1', 'user', 'own copy'), message('b2', 'assistant', '3.5 says')],
        },
      ],
    },
  });

  it('takes a linked pane: the shared turns then its own, its model and overrides', () => {
    const fork = forkPane(source, 'p1', 'a1', 5000);
    expect(fork.compare).toBeUndefined();
    expect(fork.model).toBe('gpt-4');
    expect(fork.params).toEqual({ temperature: 0 });
    expect(fork.systemMessage).toBe('Be brief.');
    expect(fork.messages.map((m) => m.content)).toEqual([
      'shared question',
      'shared answer',
      'follow-up',
    ]);
    expect(fork.title).toBe('Race · gpt-4 (fork)');
    expect(fork.id).not.toBe(source.id);
    expect(fork.createdAt).toBe(5000);
    expect(migrateConversation(fork).ok).toBe(true);
  });

  it('takes an unlinked pane: its own history and system message', () => {
    const fork = forkPane(source, 'p2', 'b2');
    expect(fork.model).toBe('gpt-3.5-turbo');
    expect(fork.params).toEqual({ temperature: 0.5 });
    expect(fork.systemMessage).toBe('Pane 2 system');
    expect(fork.messages.map((m) => m.content)).toEqual(['own copy', '3.5 says']);
  });

  it('an unknown pane forks the whole conversation', () => {
    const fork = forkPane(source, 'nope', 'a1');
    expect(fork.compare?.panes).toHaveLength(2);
    expect(fork.messages).toHaveLength(2);
  });
});
