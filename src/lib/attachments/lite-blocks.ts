// A long transcript in blocks of messages. A block away from the reader is
// drawn as light stand-ins (each message's text in a plain <article>), made
// here directly in the DOM: no component per message, so opening a long
// conversation costs little more than its text.
import type { Attachment } from 'svelte/attachments';
import { ROLE_NAMES } from '../model/format';
import { sameItems } from '../model/same-items';
import type { Message } from '../model/types';

/** Messages per block: nearness is watched per block, not per message. */
export const BLOCK_SIZE = 20;

export interface Block {
  key: string;
  /** Index of the block's first message in the transcript. */
  from: number;
  messages: readonly Message[];
}

/**
 * `messages` cut into blocks. A block whose messages are the same objects as
 * in `previous` is the same Block object, so nothing of it is drawn again
 * (a streaming answer changes the last block only). `first`: the index of
 * `messages[0]` in the whole conversation (one still opening shows its newest
 * only: ChatSession.earlier). Blocks are cut and keyed by that index, so the
 * newest keep their keys, and what is drawn of them, when the rest arrives.
 */
export function blocksOf(
  messages: readonly Message[],
  previous: readonly Block[] = [],
  first = 0,
): Block[] {
  const out: Block[] = [];
  for (let from = 0; from < messages.length;) {
    const n = Math.floor((first + from) / BLOCK_SIZE);
    const to = Math.min(messages.length, (n + 1) * BLOCK_SIZE - first);
    const slice = messages.slice(from, to);
    const before = previous[out.length];
    const same = before?.key === `b${n}` && before.from === from;
    out.push(
      same && sameItems(before.messages, slice) ? before : { key: `b${n}`, from, messages: slice },
    );
    from = to;
  }
  return out;
}

/** What a stand-in shows: the text, else the refusal, else the tool calls. */
export function liteText(m: Message): string {
  return (
    m.content || m.refusal || m.toolCalls?.map((c) => `${c.name}(${c.arguments})`).join('\n') || ''
  );
}

/** Fills the element with one text-only <article> per message (text, never HTML). */
export function liteBlock(messages: readonly Message[]): Attachment<HTMLElement> {
  return (el) => {
    const doc = el.ownerDocument;
    el.replaceChildren(
      ...messages.map((m) => {
        const article = doc.createElement('article');
        const role = ROLE_NAMES[m.role] ?? m.role;
        article.className = `lite ${m.role}`;
        article.setAttribute('aria-label', `${ROLE_NAMES[m.role] ?? 'Unknown'} message`);
        article.setAttribute('data-role', role);
        article.textContent = liteText(m);
        return article;
      }),
    );
    return () => el.replaceChildren();
  };
}
