// The syntax tree of the Tools text (from the JSON toolkit, so every position is
// exact) and small readers over its nodes.

import { parseJsonTree, type JsonNode as Node } from '../json/syntax';
import type { ToolDiagnostic } from './positions';

interface Member {
  key: string;
  keyNode: Node;
  value: Node;
}

/** The members of an object node in order (properties cut short by a syntax error are skipped). */
export function members(obj: Node): Member[] {
  const out: Member[] = [];
  if (obj.type !== 'object') return out;
  for (const prop of obj.children ?? []) {
    const [keyNode, value] = prop.children ?? [];
    if (keyNode && value && typeof keyNode.value === 'string') {
      out.push({ key: keyNode.value, keyNode, value });
    }
  }
  return out;
}

/** The member named `key`; the last one wins on duplicates, as in JSON.parse. */
export function member(obj: Node, key: string): Member | undefined {
  let found: Member | undefined;
  for (const m of members(obj)) if (m.key === key) found = m;
  return found;
}

export function elements(arr: Node): Node[] {
  return arr.type === 'array' ? (arr.children ?? []) : [];
}

export function isString(node: Node): boolean {
  return node.type === 'string';
}

export function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** "a string", "an array", … for messages. */
export function kindOfNode(node: Node): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return node.value ? 'true' : 'false';
    default:
      return 'null';
  }
}

interface Parsed {
  root: Node | undefined;
  /** Syntax diagnostics, already in words; empty when the text parses. */
  syntax: ToolDiagnostic[];
}

export function parseText(text: string): Parsed {
  const { root, errors } = parseJsonTree(text);
  const syntax = errors.map((e): ToolDiagnostic => ({ ...e, severity: 'error', path: '' }));
  return { root, syntax };
}
