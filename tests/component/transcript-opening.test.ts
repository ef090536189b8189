// A long conversation opens with its newest messages while the rest are read
// (OpenConversation.readEarlier): the transcript says so at its top, and
// nothing in it can be changed until they are in.
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import Transcript from '../../src/components/Transcript.svelte';
import { ChatSession } from '../../src/lib/state/chat-session.svelte';
import { conversation, message } from '../builders/conversations';

describe('Transcript of a conversation still opening', () => {
  it('says how many earlier messages are coming, and holds every change until they are in', () => {
    const all = Array.from({ length: 100 }, (_, i) =>
      message(`m${i}`, i % 2 ? 'assistant' : 'user', `Message ${i}`),
    );
    const conv = conversation({ messages: all.slice(90) });
    const session = new ChatSession(conv, {
      config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
      idleTimeoutMs: () => 60_000,
    });
    session.awaitEarlier(90);
    render(Transcript, { session });

    expect(screen.getByText('Reading the 90 earlier messages…').getAttribute('role')).toBe(
      'status',
    );
    // (By text and label: role queries over a hundred messages take seconds in jsdom.)
    const buttons = () => [...document.querySelectorAll('button')];
    const edits = () => buttons().filter((b) => b.textContent?.trim() === 'Edit');
    const deletes = () =>
      buttons().filter((b) => b.getAttribute('aria-label')?.startsWith('Delete '));
    expect([edits().length, deletes().length]).toEqual([10, 10]);
    for (const b of [...edits(), ...deletes()]) expect(b).toHaveProperty('disabled', true);
    expect(document.querySelectorAll('article')).toHaveLength(10);

    session.takeEarlier(all);
    flushSync();
    expect(screen.queryByText(/earlier messages/)).toBeNull();
    for (const b of [...edits(), ...deletes()]) expect(b).toHaveProperty('disabled', false);
    expect(document.body.textContent).toContain('Message 0');
  });
});
