// Tool calls and the results the user plays back for them. A call is answered
// by a `tool` message whose toolCallId is the call's id, in the run of tool
// messages right after the assistant message that made the call (where the
// API wants them). Pure functions over the transcript.

import { parseJson, prettyJson } from '../json';
import { fail, ok, type Result } from '../result';
import type { Message, ToolCall } from '../types';

/** A tool call and where its result is (if anywhere). */
export interface CallSlot {
  call: ToolCall;
  /** The tool message answering it, when there is one. */
  result?: Message;
}

/** The run of tool messages right after message `index`. */
function resultRun(messages: readonly Message[], index: number): Message[] {
  const run: Message[] = [];
  for (let i = index + 1; i < messages.length && messages[i]!.role === 'tool'; i++) {
    run.push(messages[i]!);
  }
  return run;
}

/** Each call of the assistant message at `index` with its result. */
export function callSlots(messages: readonly Message[], index: number): CallSlot[] {
  const m = messages[index];
  if (!m || m.role !== 'assistant' || !m.toolCalls?.length) return [];
  const run = resultRun(messages, index);
  return m.toolCalls.map((call) => {
    const result = run.find((r) => r.toolCallId === call.id);
    return result ? { call, result } : { call };
  });
}

/** For each tool message, the call it answers (undefined when it answers none). */
export function answeredCalls(messages: readonly Message[]): Map<string, ToolCall | undefined> {
  const out = new Map<string, ToolCall | undefined>();
  let calls: readonly ToolCall[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      out.set(
        m.id,
        calls.find((c) => c.id === m.toolCallId),
      );
    } else {
      calls = m.role === 'assistant' ? (m.toolCalls ?? []) : [];
    }
  }
  return out;
}

/**
 * Why the transcript cannot be sent as it stands because of tool calls: a call
 * with no result (the API refuses that), or a result left empty. Null when
 * every call has a result.
 */
export function toolResultsProblem(messages: readonly Message[]): string | null {
  for (let i = 0; i < messages.length; i++) {
    for (const { call, result } of callSlots(messages, i)) {
      const name = call.name || 'the function';
      if (!result) {
        return `tool call ${name} (${call.id}) has no result; add one, or delete that answer.`;
      }
      if (result.content.trim() === '') {
        return `type a result for ${name} first (every tool call needs one before the conversation goes on).`;
      }
    }
  }
  return null;
}

/**
 * Adds an empty result message for every call of `assistantId` that has none,
 * after the results already there. `makeId` gives the new messages' ids.
 */
export function withResultSlots(
  messages: readonly Message[],
  assistantId: string,
  makeId: () => string,
): Message[] {
  const index = messages.findIndex((m) => m.id === assistantId);
  const missing = callSlots(messages, index).filter((s) => !s.result);
  if (missing.length === 0) return messages.slice();
  const at = index + 1 + resultRun(messages, index).length;
  const added: Message[] = missing.map(({ call }) => ({
    id: makeId(),
    role: 'tool',
    content: '',
    toolCallId: call.id,
    name: call.name,
  }));
  return [...messages.slice(0, at), ...added, ...messages.slice(at)];
}

/** Removes the empty result messages right after `assistantId` (nothing typed is lost). */
export function withoutEmptyResults(messages: readonly Message[], assistantId: string): Message[] {
  const index = messages.findIndex((m) => m.id === assistantId);
  if (index < 0) return messages.slice();
  const empty = new Set(
    resultRun(messages, index)
      .filter((r) => r.content === '')
      .map((r) => r.id),
  );
  return messages.filter((m) => !empty.has(m.id));
}

/**
 * The answer Regenerate would replace: the last assistant message, when
 * nothing follows it but its own still-empty result boxes.
 */
export function regenerableAnswer(messages: readonly Message[]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant') return m;
    if (m.role !== 'tool' || m.content !== '') return undefined;
  }
  return undefined;
}

/** A call id for an answer whose call came without one (legacy function_call). */
export function localCallId(random: string): string {
  return `call_${random.replace(/-/g, '').slice(0, 24)}`;
}

/**
 * A call's arguments for display: pretty-printed when they are JSON, or why
 * not (a cut-off answer leaves invalid JSON, which is shown as it came).
 * Custom tools take free text, shown as is.
 */
export function readArguments(call: ToolCall): Result<string> {
  if (call.type === 'custom') return ok(call.arguments);
  if (call.arguments.trim() === '') return ok('(no arguments)');
  const parsed = parseJson(call.arguments, "The model's arguments are");
  if (!parsed.ok) return fail(`${parsed.error} Shown as they came.`);
  return ok(prettyJson(call.arguments) ?? call.arguments);
}
