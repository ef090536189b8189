// The key is replaced in every artefact's text: as it is, escaped in JSON, and
// however it was pasted (white space, zero-width characters around it).
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare } from '../../src/lib/model/share';
import { REDACTED, scrubGrowing, scrubSecrets } from '../../src/lib/model/secrets';
import { conversation, message } from '../builders/conversations';

const KEY = 'sk-CANARY-0123456789abcdef';

describe('scrubSecrets', () => {
  it('replaces every occurrence, raw and inside JSON strings', () => {
    const text = `key ${KEY} and again ${KEY}; ${JSON.stringify({ a: KEY })}`;
    const out = scrubSecrets(text, [KEY]);
    expect(out).not.toContain(KEY);
    expect(out.split(REDACTED)).toHaveLength(4);
  });

  it('finds a key saved with a trailing newline or a zero-width space', () => {
    expect(scrubSecrets(`x ${KEY} y`, [`${KEY}\n`])).toBe(`x ${REDACTED} y`);
    expect(scrubSecrets(`x ${KEY} y`, [`\u200b${KEY}\u200b`])).toBe(`x ${REDACTED} y`);
  });

  it('leaves text alone for no key or a too short one', () => {
    expect(scrubSecrets('a short one', ['short'])).toBe('a short one');
    expect(scrubSecrets('anything', [])).toBe('anything');
  });
});

describe('share links', () => {
  it('never carry the key, wherever in the conversation it is', async () => {
    const conv = conversation({
      id: 'c',
      systemMessage: `Use ${KEY}`,
      messages: [message('u', 'user', `my key is ${KEY}`), message('a', 'assistant', KEY)],
    });
    const made = await encodeShare(conv, 40, [KEY]);
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    const back = await decodeShare(made.value.fragment);
    expect(back.ok).toBe(true);
    expect(JSON.stringify(back)).not.toContain(KEY);
    expect(JSON.stringify(back)).toContain(REDACTED);
  });
});

describe('scrubGrowing', () => {
  it('finds a key completed across updates, checking only what is new', () => {
    let text = '';
    let checked = 0;
    for (const piece of ['The key is sk-CAN', 'ARY-0123456789', 'abcdef, right?']) {
      text = scrubGrowing(text + piece, KEY, checked);
      checked = text.length;
    }
    expect(text).toBe(`The key is ${REDACTED}, right?`);
  });
});
