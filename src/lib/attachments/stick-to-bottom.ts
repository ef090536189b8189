// A scroll box that follows what grows at its end (a streaming answer) while
// the reader is at the end, and leaves them alone once they scroll up.
import type { Attachment } from 'svelte/attachments';

/** How close to the end still counts as "at the end" (a line of text). */
const SLACK_PX = 24;

/** On a scroll box whose content is one child: keeps the end in view while it grows. */
export const stickToBottom: Attachment<HTMLElement> = (node) => {
  // No ResizeObserver (jsdom): the box simply does not follow.
  if (typeof ResizeObserver === 'undefined') return;
  let atEnd = true;
  const onScroll = () => {
    atEnd = node.scrollHeight - node.scrollTop - node.clientHeight <= SLACK_PX;
  };
  const follow = new ResizeObserver(() => {
    if (atEnd) node.scrollTop = node.scrollHeight;
  });
  for (const child of node.children) follow.observe(child);
  node.addEventListener('scroll', onScroll, { passive: true });
  return () => {
    follow.disconnect();
    node.removeEventListener('scroll', onScroll);
  };
};
