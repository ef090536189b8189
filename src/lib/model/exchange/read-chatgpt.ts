// ChatGPT's data export, `conversations.json`: the current branch of each
// conversation, text messages only.

import { newId } from '../conversation';
import {
  isFiniteNumber,
  isObject,
  isString,
  own,
  pathOf,
  ShapeError,
  type JsonObject as Obj,
} from '../json';
import type { Conversation, Message, Role } from '../types';
import { readConversations } from './read-parley';

interface OpenAiCounts {
  skipped: number;
  otherBranches: number;
}

const CHATGPT_ROLES = new Set(['user', 'assistant', 'system']);

function secondsToMs(v: unknown): number | undefined {
  return isFiniteNumber(v) ? Math.round(v * 1000) : undefined;
}

function readOpenAiConversation(raw: unknown, path: string, now: number, counts: OpenAiCounts) {
  if (!isObject(raw)) throw new ShapeError(`${path || 'conversation'}: expected an object`);
  const mapping = own(raw, 'mapping');
  if (!isObject(mapping)) throw new ShapeError(`${pathOf(path, 'mapping')}: expected an object`);
  const current = own(raw, 'current_node');
  if (!isString(current) || !Object.hasOwn(mapping, current)) {
    throw new ShapeError(`${pathOf(path, 'current_node')}: expected the id of a node in mapping`);
  }

  // Walk from the current node back to the root: that is the thread on screen.
  const chain: Obj[] = [];
  const seen = new Set<string>();
  let id: unknown = current;
  while (isString(id) && Object.hasOwn(mapping, id)) {
    const nodePath = `${pathOf(path, 'mapping')}[${JSON.stringify(id)}]`;
    if (seen.has(id)) throw new ShapeError(`${nodePath}: the parent chain loops back here`);
    seen.add(id);
    const node = mapping[id];
    if (!isObject(node)) throw new ShapeError(`${nodePath}: expected an object`);
    chain.push(node);
    id = own(node, 'parent');
  }
  chain.reverse();
  for (const [key, node] of Object.entries(mapping)) {
    if (!seen.has(key) && isObject(node) && isObject(own(node, 'message'))) counts.otherBranches++;
  }

  const messages: Message[] = [];
  let systemMessage = '';
  for (const node of chain) {
    const msg = own(node, 'message');
    if (msg === undefined || msg === null) continue;
    if (!isObject(msg)) {
      counts.skipped++;
      continue;
    }
    const author = own(msg, 'author');
    const role = isObject(author) ? own(author, 'role') : undefined;
    const content = own(msg, 'content');
    const metadata = own(msg, 'metadata');
    const hidden =
      isObject(metadata) && own(metadata, 'is_visually_hidden_from_conversation') === true;
    const type = isObject(content) ? own(content, 'content_type') : undefined;
    const parts = isObject(content) ? own(content, 'parts') : undefined;
    const recipient = own(msg, 'recipient');
    const text =
      (type === 'text' || type === 'multimodal_text') && Array.isArray(parts)
        ? parts.filter(isString).join('\n')
        : '';
    if (
      hidden ||
      !isString(role) ||
      !CHATGPT_ROLES.has(role) ||
      (recipient !== undefined && recipient !== 'all') ||
      text.trim() === ''
    ) {
      counts.skipped++;
      continue;
    }
    if (role === 'system' && messages.length === 0 && systemMessage === '') {
      systemMessage = text;
      continue;
    }
    const m: Message = {
      id: isString(own(msg, 'id')) ? (own(msg, 'id') as string) : newId(),
      role: role as Role,
      content: text,
    };
    const slug = isObject(metadata) ? own(metadata, 'model_slug') : undefined;
    if (role === 'assistant' && isString(slug)) m.model = slug;
    messages.push(m);
  }

  const createdAt = secondsToMs(own(raw, 'create_time'));
  const updatedAt = secondsToMs(own(raw, 'update_time'));
  const title = own(raw, 'title');
  const model = own(raw, 'default_model_slug');
  const convId = own(raw, 'conversation_id') ?? own(raw, 'id');
  return {
    schemaVersion: 1,
    id: isString(convId) && convId !== '' ? convId : newId(),
    title: isString(title) ? title : '',
    createdAt: createdAt ?? updatedAt ?? now,
    updatedAt: updatedAt ?? createdAt ?? now,
    systemMessage,
    model: isString(model) && model !== '' ? model : 'gpt-4',
    stream: true,
    params: {},
    tools: { json: '', format: 'tools' },
    messages,
    draft: '',
  } satisfies Conversation;
}

export function readOpenAiExport(
  list: unknown[],
  now: number,
  warnings: string[],
  single: boolean,
) {
  const counts: OpenAiCounts = { skipped: 0, otherBranches: 0 };
  const records = list.map((raw, i) =>
    readOpenAiConversation(raw, single ? '' : `[${i}]`, now, counts),
  );
  if (counts.skipped) {
    warnings.push(
      `Skipped ${counts.skipped} message${counts.skipped === 1 ? '' : 's'} that were empty, hidden or not text (images, code, tool output).`,
    );
  }
  if (counts.otherBranches) {
    warnings.push(
      `Imported the current branch of each conversation; ${counts.otherBranches} message${counts.otherBranches === 1 ? '' : 's'} on other branches (edits, regenerations) were left out.`,
    );
  }
  return readConversations(records, (i) => (single ? '' : `[${i}]`));
}
