// A readable Markdown transcript of a conversation and its compare panes.

import { systemRoleFor } from '../request';
import { describeOverride } from '../compare-summary';
import { prettyJson } from '../json';
import type { Conversation, Message, Role, ToolCall, Usage } from '../types';

/** A code fence longer than any run of backticks in `text`. */
function fenced(text: string, lang: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

function blockquote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

function dateLine(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function usageLine(usage: Usage | null | undefined): string | undefined {
  if (usage === undefined) return undefined;
  if (usage === null) return 'Usage: not reported by the provider';
  const extra: string[] = [];
  if (usage.cachedPrompt !== undefined) extra.push(`${usage.cachedPrompt} cached`);
  if (usage.reasoning !== undefined) extra.push(`${usage.reasoning} reasoning`);
  const tail = extra.length ? ` (${extra.join(', ')})` : '';
  return `Usage: ${usage.prompt} prompt + ${usage.completion} completion = ${usage.total} tokens${tail}`;
}

const ROLE_HEADINGS: Record<Role, string> = {
  system: 'System',
  developer: 'Developer',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool result',
};

function toolCallBlock(call: ToolCall): string {
  const text =
    call.type === 'function' ? (prettyJson(call.arguments) ?? call.arguments) : call.arguments;
  return `Tool call \`${call.name}\` (${call.id}):\n\n${fenced(text, call.type === 'function' ? 'json' : 'text')}`;
}

function messageMarkdown(m: Message, model: string, level: string): string {
  const parts: string[] = [];
  let heading = ROLE_HEADINGS[m.role];
  if (m.role === 'assistant') heading += ` (${m.model ?? model})`;
  else if (m.role === 'tool') {
    const about = [m.name, m.toolCallId].filter(Boolean).join(', ');
    if (about) heading += ` (${about})`;
  } else if (m.name) heading += ` (${m.name})`;
  parts.push(`${level} ${heading}`);
  if (m.reasoning) parts.push(`Reasoning:\n\n${blockquote(m.reasoning)}`);
  if (m.role === 'tool') parts.push(fenced(m.content, 'text'));
  else if (m.content !== '') parts.push(m.content);
  if (m.refusal) parts.push(`Refusal: ${m.refusal}`);
  for (const call of m.toolCalls ?? []) parts.push(toolCallBlock(call));
  if (m.role !== 'tool' && m.content === '' && !m.refusal && !m.toolCalls?.length) {
    parts.push('_(empty)_');
  }
  if (m.choices && m.choices.length > 1) {
    parts.push(`_Choice ${(m.chosen ?? 0) + 1} of ${m.choices.length} shown._`);
  }
  if (m.status && m.status !== 'done' && m.status !== 'streaming') {
    parts.push(`_Answer ${m.status}${m.error ? `: ${m.error.message}` : ''}_`);
  }
  const usage = usageLine(m.usage);
  if (usage) parts.push(usage);
  return parts.join('\n\n');
}

/**
 * A readable transcript: title, model and date, the system message as a
 * quote, one heading per message, tool calls and results fenced, usage under
 * each answer, then each compare pane. Message text is written verbatim.
 */
export function toMarkdown(conv: Conversation): string {
  const blocks: string[] = [];
  blocks.push(`# ${oneLine(conv.title) || 'Untitled conversation'}`);
  const date = dateLine(conv.createdAt);
  blocks.push(`Model: ${conv.model}${date ? ` · ${date}` : ''}`);
  if (conv.systemMessage.trim() !== '') {
    // The role it goes with, where that is not the plain "system".
    if (systemRoleFor(conv.model, conv.systemRole) === 'developer') {
      blocks.push('_Sent with role developer:_');
    }
    blocks.push(blockquote(conv.systemMessage));
  }
  for (const m of conv.messages) blocks.push(messageMarkdown(m, conv.model, '##'));
  conv.compare?.panes.forEach((pane, i) => {
    blocks.push(`## Pane ${i + 1} — ${pane.model}${pane.label ? ` (${pane.label})` : ''}`);
    const overrides = Object.entries(pane.overrides).map(([k, v]) => describeOverride(k, v));
    if (overrides.length) blocks.push(`Overrides: ${overrides.join(', ')}`);
    if (pane.systemMessage !== undefined && pane.systemMessage.trim() !== '') {
      blocks.push(blockquote(pane.systemMessage));
    }
    if (!pane.linkedHistory) blocks.push('_This pane has its own copy of the history._');
    for (const m of pane.messages) blocks.push(messageMarkdown(m, pane.model, '###'));
  });
  return blocks.join('\n\n') + '\n';
}
