import type { ClientConfig } from '../api';
import { toRequestBody, type RequestBody } from '../model/request';
import type { ChatSession } from './chat-session.svelte';

export interface NextRequest {
  url: string;
  /** The headers Parley sets, the key redacted; the SDK adds its own X-Stainless-* ones. */
  headers: [string, string][];
  body: RequestBody;
}

/**
 * The body Send would put on the wire now: the draft (when not blank) as the
 * last user message, built by the same `toRequestBody` the session sends with.
 * The inspector, View code and the "Next request body" export all show this.
 */
export function nextRequestBody(session: ChatSession, draft = session.draft): RequestBody {
  const messages =
    draft.trim() !== ''
      ? [...session.history, { id: 'draft', role: 'user' as const, content: draft }]
      : session.history;
  return toRequestBody(session.requestInput(messages));
}

/** What Send would put on the wire now: where, with which headers (the key redacted), and the body. */
export function nextRequest(
  session: ChatSession,
  config: ClientConfig,
  /** A compare pane sends the shared composer's draft. */
  draft = session.draft,
): NextRequest {
  const body = nextRequestBody(session, draft);
  const headers: [string, string][] = [];
  if (config.apiKey) headers.push(['authorization', 'Bearer [redacted]']);
  headers.push(['content-type', 'application/json']);
  if (config.organization) headers.push(['openai-organization', config.organization]);
  if (config.project) headers.push(['openai-project', config.project]);
  return {
    url: `${config.baseURL.replace(/\/+$/, '')}/chat/completions`,
    headers,
    body,
  };
}
