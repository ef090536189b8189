// Where a tools diagnostic is: character offsets, 1-based line and column, and
// the JSON path of the node it is about (`[0].function.parameters.type`).

import { LineIndex, type JsonNode as Node } from '../json';

export interface ToolDiagnostic {
  /** Character offsets in the text; `to > from` whenever the text allows it. */
  from: number;
  to: number;
  severity: 'error' | 'warning';
  /** One actionable sentence. */
  message: string;
  /** JSON path of the offending node, like `[0].function.parameters.type` ('' for the root). */
  path: string;
  /** 1-based line and column of `from`. */
  line: number;
  column: number;
}

export type Severity = ToolDiagnostic['severity'];

export /** Long names and values cut for messages. */
function shorten(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function keyPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** Collects diagnostics for one text. */
export class Reporter {
  readonly out: ToolDiagnostic[] = [];
  private readonly lines: LineIndex;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  add(from: number, to: number, severity: Severity, message: string, path: string) {
    const { line, column } = this.lines.at(from);
    this.out.push({ from, to, severity, message, path, line, column });
  }

  /** The whole node (a value, or a key string). */
  node(node: Node, severity: Severity, message: string, path: string) {
    this.add(node.offset, node.offset + Math.max(node.length, 1), severity, message, path);
  }

  /**
   * The start of an object or array, for "missing key" problems: from its opening
   * brace to the end of its first line (the whole node when it fits on one line).
   */
  head(node: Node, severity: Severity, message: string, path: string) {
    const end = node.offset + node.length;
    const newline = this.text.indexOf('\n', node.offset);
    let to = newline >= 0 && newline < end ? newline : end;
    while (to > node.offset + 1 && /\s/.test(this.text[to - 1] ?? '')) to--;
    this.add(node.offset, Math.max(to, node.offset + 1), severity, message, path);
  }

  sorted(): ToolDiagnostic[] {
    return [...this.out].sort((a, b) => a.from - b.from || a.to - b.to);
  }
}
