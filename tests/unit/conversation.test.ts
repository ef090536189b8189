// Conversations: ids, creation and titles.

import { describe, expect, it } from 'vitest';
import { createConversation, deriveTitle, newId } from '../../src/lib/model/conversation';
import { SCHEMA_VERSION, type Message } from '../../src/lib/model/types';

describe('newId', () => {
  it('returns distinct UUID-shaped ids', () => {
    const a = newId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.toBe(a);
  });
});

describe('createConversation', () => {
  it('fills the defaults', () => {
    const c = createConversation();
    expect(c).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      model: 'gpt-4',
      stream: true,
      params: {},
      messages: [],
      draft: '',
      systemMessage: '',
      title: '',
    });
    expect(c.id).not.toBe('');
    expect(c.createdAt).toBe(c.updatedAt);
  });

  it('takes the given settings without sharing the params object', () => {
    const params = { temperature: 0, stop: ['x'] };
    const c = createConversation({ model: 'o3', systemMessage: 'Hi', stream: false, params });
    expect(c).toMatchObject({ model: 'o3', systemMessage: 'Hi', stream: false });
    expect(c.params).toEqual(params);
    expect(c.params.stop).not.toBe(params.stop);
  });
});

describe('deriveTitle', () => {
  const conv = (...messages: Pick<Message, 'role' | 'content'>[]) => ({
    messages: messages.map((m, i) => ({ id: String(i), ...m })),
  });

  it('uses the first line of the first user message', () => {
    const c = conv(
      { role: 'system', content: 'ignored' },
      { role: 'user', content: '   ' },
      { role: 'user', content: '\n  Plan a   trip to Lisbon \nwith kids' },
      { role: 'user', content: 'later' },
    );
    expect(deriveTitle(c)).toBe('Plan a trip to Lisbon');
  });

  it('shortens long lines to 60 characters with an ellipsis', () => {
    const title = deriveTitle(conv({ role: 'user', content: 'word '.repeat(30) }));
    expect(Array.from(title)).toHaveLength(60);
    expect(title.endsWith('…')).toBe(true);
  });

  it('never cuts an emoji in half', () => {
    const title = deriveTitle(conv({ role: 'user', content: '😀'.repeat(80) }));
    expect(title).toBe('😀'.repeat(59) + '…');
  });

  it('says "New conversation" when there is no user text', () => {
    expect(deriveTitle(conv())).toBe('New conversation');
    expect(deriveTitle(conv({ role: 'assistant', content: 'Hello' }))).toBe('New conversation');
  });
});
