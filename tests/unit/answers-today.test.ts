// What answers of today carry besides text: URL citations (web search
// annotations), read from a whole answer and from a stream, each kept once and
// stored with the answer; and the usage details (cached, reasoning, audio).
import { describe, expect, it } from 'vitest';
import { answerFromCompletion, emptyAnswer, primaryChoice } from '../../src/lib/api/accumulator';
import { accumulateChunk } from '../builders/answers';
import { toAnswerMessage } from '../../src/lib/api/answer';
import { createConversation } from '../../src/lib/model/conversation';
import { migrateConversation } from '../../src/lib/model/read-conversation';

const citation = (url: string, title: string, start = 0, end = 10) => ({
  type: 'url_citation',
  url_citation: { url, title, start_index: start, end_index: end },
});

describe('URL citations', () => {
  it('come from a whole answer, with their place in the text', () => {
    const answer = answerFromCompletion({
      id: 'c',
      model: 'gpt-4o-search-preview',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: {
            role: 'assistant',
            content: 'Otters hold hands while sleeping.',
            annotations: [citation('https://example.org/otters', 'Sea otters', 0, 33)],
          },
        },
      ],
    });
    expect(primaryChoice(answer).citations).toEqual([
      { url: 'https://example.org/otters', title: 'Sea otters', start: 0, end: 33 },
    ]);
  });

  it('add up over a stream, each once; other annotation types and junk are skipped', () => {
    const chunk = (annotations: unknown[]) => ({
      choices: [{ index: 0, delta: { content: 'x', annotations } }],
    });
    let answer = emptyAnswer();
    answer = accumulateChunk(answer, chunk([citation('https://a.example/', 'A')]) as never);
    answer = accumulateChunk(
      answer,
      chunk([
        citation('https://a.example/', 'A'),
        citation('https://b.example/', 'B', 3, 4),
        { type: 'file_citation', file_citation: { file_id: 'f' } },
        { type: 'url_citation', url_citation: { url: 42 } },
        null,
      ]) as never,
    );
    expect(primaryChoice(answer).citations.map((c) => c.url)).toEqual([
      'https://a.example/',
      'https://b.example/',
    ]);
  });

  it('are kept with the answer and read back from storage', () => {
    const answer = answerFromCompletion({
      choices: [
        {
          index: 0,
          message: { content: 'Hi', annotations: [citation('https://a.example/', 'A')] },
        },
      ],
    });
    const message = toAnswerMessage({ id: 'a', role: 'assistant', content: '' }, answer, {
      startedAt: 0,
    });
    expect(message.citations).toEqual([
      { url: 'https://a.example/', title: 'A', start: 0, end: 10 },
    ]);
    const read = migrateConversation(
      JSON.parse(JSON.stringify({ ...createConversation(), messages: [message] })),
    );
    expect(read.ok && read.value.messages[0]?.citations).toEqual(message.citations);
  });
});

describe('usage details', () => {
  it('cached, reasoning and audio counts, as reported; zero audio is no audio', () => {
    const usage = (details: object) =>
      answerFromCompletion({
        choices: [],
        usage: { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140, ...details },
      }).usage;
    expect(
      usage({
        prompt_tokens_details: { cached_tokens: 64, audio_tokens: 12 },
        completion_tokens_details: { reasoning_tokens: 30, audio_tokens: 8 },
      }),
    ).toEqual({
      prompt: 100,
      completion: 40,
      total: 140,
      cachedPrompt: 64,
      reasoning: 30,
      audioPrompt: 12,
      audioCompletion: 8,
    });
    expect(
      usage({
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { audio_tokens: 0 },
      }),
    ).toEqual({ prompt: 100, completion: 40, total: 140, cachedPrompt: 0 });
  });
});
