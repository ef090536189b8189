// Long conversations as Parley export files (README "The file format"), imported through
// the app's own Import control: the file format is versioned and migrated, so seeding
// keeps working when the way Parley stores conversations changes.
import { markdownText } from './answer-text.mjs';

const START = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * A file with one conversation of `messages` messages (user and assistant in turn).
 * The newest message is a short answer ending in `marker`, so it fits the screen and a
 * page can tell when it is painted.
 * @param {{ id: string, messages: number, code: boolean, marker: string, title: string }} options
 */
export function conversationFile({ id, messages, code, marker, title }) {
  const list = Array.from({ length: messages }, (_, i) => {
    const at = START + i * 30_000;
    if (i % 2 === 0) {
      return {
        id: `bench-m${i}`,
        role: 'user',
        content: markdownText({ words: 24, seed: i + 1, code: false }),
      };
    }
    const last = i === messages - 1;
    const content = last
      ? `That is all of it. ${marker}`
      : markdownText({ words: code ? 140 : 160, seed: i + 1, code });
    const completion = Math.round(content.length / 4);
    return {
      id: `bench-m${i}`,
      role: 'assistant',
      content,
      status: 'done',
      finishReason: 'stop',
      usage: { prompt: 40 + i * 60, completion, total: 40 + i * 60 + completion },
      model: 'gpt-4o',
      timing: { startedAt: at, firstTokenAt: at + 400, endedAt: at + 400 + completion * 20 },
    };
  });
  const conversation = {
    schemaVersion: 1,
    id,
    title,
    createdAt: START,
    updatedAt: START + messages * 30_000,
    systemMessage: 'You are a helpful assistant.',
    model: 'gpt-4o',
    stream: true,
    params: {},
    tools: { json: '', format: 'tools' },
    messages: list,
    draft: '',
  };
  return JSON.stringify({
    format: 'parley.conversations',
    version: 1,
    exportedAt: new Date(START + messages * 30_000).toISOString(),
    conversations: [conversation],
  });
}

/** The stored conversations the long-conversation scenarios open (and type into). */
export const CONVERSATIONS = {
  500: {
    id: 'bench-500-pairs',
    title: 'Bench: 500 pairs',
    label: '500 pairs',
    messages: 1000,
    code: false,
    marker: 'Zq500pairsNewest',
  },
  2000: {
    id: 'bench-2000-code',
    title: 'Bench: 2,000 messages with code',
    label: '2,000 messages with code',
    messages: 2000,
    code: true,
    marker: 'Zq2000codeNewest',
  },
};
