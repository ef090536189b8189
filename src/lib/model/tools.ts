// Tool definitions: validation with exact positions (for the editor's lint and the
// reason Send is disabled), conversion between the `tools` and legacy `functions`
// formats, templates, a form-to-definition builder and a token estimate.
//
// Pure functions over text and plain JSON values. Positions come from jsonc-parser's
// syntax tree, so every diagnostic points at the exact key or value it is about.

import {
  firstJsonSyntaxError,
  isObject,
  LineIndex,
  parseJson,
  parseJsonTree,
  prettyJson,
  withItemAppended,
  type JsonNode as Node,
  type JsonObject as Json,
} from './json';
import type { ToolChoice, ToolFormat, ToolsConfig } from './types';

// ---------------------------------------------------------------------------
// Public types

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

export interface ToolsCheck {
  /** The parsed array when the text is syntactically valid JSON and an array (even if shape errors exist); null when blank, invalid or not an array. */
  value: unknown[] | null;
  /** Names of the defined functions/tools in order (for tool_choice menus), from whatever parsed; only names that follow the name rule, each once. */
  names: string[];
  /** Sorted by `from`. Syntax errors only when the JSON does not parse (then no shape diagnostics). */
  diagnostics: ToolDiagnostic[];
}

// ---------------------------------------------------------------------------
// Constants

/** The API's rule for function and custom tool names. */
const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;
const NAME_CHARS_RE = /^[a-zA-Z0-9_-]*$/;
const NAME_MAX = 64;

const SCHEMA_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

const NUMBER_KEYWORDS = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
]);
const COUNT_KEYWORDS = new Set([
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
]);

/** Keywords accepted by Structured Outputs (`strict: true`); anything else is rejected. */
const STRICT_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'description',
  'title',
  '$ref',
  '$defs',
  'definitions',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);

// ---------------------------------------------------------------------------
// Small helpers over plain values

type Severity = ToolDiagnostic['severity'];

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function shorten(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

// ---------------------------------------------------------------------------
// Positions

/** Collects diagnostics for one text. */
class Reporter {
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

// ---------------------------------------------------------------------------
// Syntax tree helpers

interface Member {
  key: string;
  keyNode: Node;
  value: Node;
}

/** The members of an object node in order (properties cut short by a syntax error are skipped). */
function members(obj: Node): Member[] {
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
function member(obj: Node, key: string): Member | undefined {
  let found: Member | undefined;
  for (const m of members(obj)) if (m.key === key) found = m;
  return found;
}

function elements(arr: Node): Node[] {
  return arr.type === 'array' ? (arr.children ?? []) : [];
}

function isString(node: Node): boolean {
  return node.type === 'string';
}

function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** "a string", "an array", … for messages. */
function kindOf(node: Node): string {
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

function parseText(text: string): Parsed {
  const { root, errors } = parseJsonTree(text);
  const syntax = errors.map((e): ToolDiagnostic => ({ ...e, severity: 'error', path: '' }));
  return { root, syntax };
}

// ---------------------------------------------------------------------------
// Shape checks

interface CheckContext {
  r: Reporter;
  format: ToolFormat;
  names: string[];
  /** Name -> path of the item that defined it first. */
  seen: Map<string, string>;
}

/** Warns about every key of `obj` not in `allowed`. */
function unknownKeys(
  ctx: CheckContext,
  obj: Node,
  path: string,
  allowed: readonly string[],
  skip: readonly string[] = [],
) {
  for (const m of members(obj)) {
    if (allowed.includes(m.key) || skip.includes(m.key)) continue;
    ctx.r.node(
      m.keyNode,
      'warning',
      `Unknown key "${m.key}" (the API may reject it).`,
      keyPath(path, m.key),
    );
  }
}

/** Warns once per repeated key anywhere in the tree. */
function duplicateKeys(r: Reporter, node: Node, path: string) {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const m of members(node)) {
      if (seen.has(m.key)) {
        r.node(
          m.keyNode,
          'warning',
          `Duplicate key "${m.key}": only the last one counts.`,
          keyPath(path, m.key),
        );
      }
      seen.add(m.key);
      duplicateKeys(r, m.value, keyPath(path, m.key));
    }
  } else if (node.type === 'array') {
    elements(node).forEach((el, i) => duplicateKeys(r, el, indexPath(path, i)));
  }
}

/**
 * Checks `name` in a function (or custom tool) object, records it for tool_choice
 * menus and flags repeats across the array.
 */
function checkName(ctx: CheckContext, obj: Node, path: string, itemPath: string, label: string) {
  const m = member(obj, 'name');
  if (!m) {
    ctx.r.head(obj, 'error', `Missing "name": every ${label.toLowerCase()} needs a name.`, path);
    return;
  }
  const namePath = keyPath(path, 'name');
  const name = stringValue(m.value);
  if (name === undefined) {
    ctx.r.node(m.value, 'error', `"name" must be a string, not ${kindOf(m.value)}.`, namePath);
    return;
  }
  // Only usable names go to the tool_choice menu (this also keeps out the debris of
  // an unterminated string while the user is typing).
  if (NAME_RE.test(name) && !ctx.names.includes(name)) ctx.names.push(name);

  if (!NAME_RE.test(name)) {
    let message: string;
    if (name === '') message = `${label} name must not be empty.`;
    else if (NAME_CHARS_RE.test(name))
      message = `${label} name is ${name.length} characters long; the limit is ${NAME_MAX}.`;
    else
      message = `${label} name "${shorten(name)}" may only contain a-z, A-Z, 0-9, _ and - (1 to ${NAME_MAX} characters).`;
    ctx.r.node(m.value, 'error', message, namePath);
  }

  const first = ctx.seen.get(name);
  if (first !== undefined) {
    ctx.r.node(
      m.value,
      'error',
      `Duplicate name "${shorten(name)}" (also at ${first}) — every tool needs its own name.`,
      namePath,
    );
  } else {
    ctx.seen.set(name, itemPath);
  }
}

function checkOptionalString(ctx: CheckContext, obj: Node, path: string, key: string) {
  const m = member(obj, key);
  if (m && !isString(m.value)) {
    ctx.r.node(
      m.value,
      'error',
      `"${key}" must be a string, not ${kindOf(m.value)}.`,
      keyPath(path, key),
    );
  }
}

/** A function object: `{name, description?, parameters?, strict?}`. */
function checkFunction(ctx: CheckContext, fn: Node, path: string, itemPath: string) {
  checkName(ctx, fn, path, itemPath, 'Function');
  checkOptionalString(ctx, fn, path, 'description');

  let strict = false;
  const strictM = member(fn, 'strict');
  if (strictM) {
    const strictPath = keyPath(path, 'strict');
    if (ctx.format === 'functions') {
      ctx.r.node(
        strictM.keyNode,
        'warning',
        '"strict" is not part of legacy functions (the API may reject it); switch the format to tools to use strict mode.',
        strictPath,
      );
    } else if (strictM.value.type === 'boolean') {
      strict = strictM.value.value === true;
    } else if (strictM.value.type !== 'null') {
      ctx.r.node(strictM.value, 'error', '"strict" must be true or false.', strictPath);
    }
  }

  const params = member(fn, 'parameters');
  if (params) checkParameters(ctx.r, params.value, keyPath(path, 'parameters'), strict);

  unknownKeys(ctx, fn, path, ['name', 'description', 'parameters', 'strict']);
}

/** A custom tool object: `{name, description?, format?}`. */
function checkCustom(ctx: CheckContext, custom: Node, path: string, itemPath: string) {
  checkName(ctx, custom, path, itemPath, 'Tool');
  checkOptionalString(ctx, custom, path, 'description');
  unknownKeys(ctx, custom, path, ['name', 'description', 'format']);

  const fmtM = member(custom, 'format');
  if (!fmtM) return;
  const fmt = fmtM.value;
  const fmtPath = keyPath(path, 'format');
  if (fmt.type !== 'object') {
    ctx.r.node(
      fmt,
      'error',
      '"format" must be an object: {"type": "text"} or {"type": "grammar", "grammar": {…}}.',
      fmtPath,
    );
    return;
  }
  const typeM = member(fmt, 'type');
  if (!typeM) {
    ctx.r.head(fmt, 'error', 'Missing "type" in format: use "text" or "grammar".', fmtPath);
    return;
  }
  const type = stringValue(typeM.value);
  if (type === 'text') {
    unknownKeys(ctx, fmt, fmtPath, ['type']);
    return;
  }
  if (type !== 'grammar') {
    ctx.r.node(
      typeM.value,
      'error',
      `Unknown format type ${type === undefined ? kindOf(typeM.value) : `"${shorten(type)}"`}: use "text" or "grammar".`,
      keyPath(fmtPath, 'type'),
    );
    return;
  }
  unknownKeys(ctx, fmt, fmtPath, ['type', 'grammar']);
  const grammarM = member(fmt, 'grammar');
  if (!grammarM) {
    ctx.r.head(
      fmt,
      'error',
      'Missing "grammar": a grammar format needs {"definition": "…", "syntax": "lark" or "regex"}.',
      fmtPath,
    );
    return;
  }
  const grammar = grammarM.value;
  const grammarPath = keyPath(fmtPath, 'grammar');
  if (grammar.type !== 'object') {
    ctx.r.node(
      grammar,
      'error',
      '"grammar" must be an object: {"definition": "…", "syntax": "lark" or "regex"}.',
      grammarPath,
    );
    return;
  }
  const defM = member(grammar, 'definition');
  if (!defM) {
    ctx.r.head(grammar, 'error', 'Missing "definition": add the grammar text.', grammarPath);
  } else if (!isString(defM.value)) {
    ctx.r.node(
      defM.value,
      'error',
      '"definition" must be a string with the grammar text.',
      keyPath(grammarPath, 'definition'),
    );
  }
  const syntaxM = member(grammar, 'syntax');
  if (!syntaxM) {
    ctx.r.head(grammar, 'error', 'Missing "syntax": use "lark" or "regex".', grammarPath);
  } else {
    const syntax = stringValue(syntaxM.value);
    if (syntax !== 'lark' && syntax !== 'regex') {
      ctx.r.node(
        syntaxM.value,
        'error',
        `Unknown grammar syntax ${syntax === undefined ? kindOf(syntaxM.value) : `"${shorten(syntax)}"`}: use "lark" or "regex".`,
        keyPath(grammarPath, 'syntax'),
      );
    }
  }
  unknownKeys(ctx, grammar, grammarPath, ['definition', 'syntax']);
}

/** One item of the array in the current `tools` format. */
function checkToolItem(ctx: CheckContext, item: Node, path: string) {
  if (item.type !== 'object') {
    ctx.r.node(
      item,
      'error',
      `Each tool must be an object like {"type": "function", "function": {…}}; found ${kindOf(item)}.`,
      path,
    );
    return;
  }
  const typeM = member(item, 'type');
  const fnM = member(item, 'function');
  let type: string | undefined;
  if (!typeM) {
    if (!fnM && member(item, 'name')) {
      ctx.r.head(
        item,
        'error',
        'This is a legacy function definition: wrap it as {"type": "function", "function": {…}} or switch the format to legacy functions.',
        path,
      );
      return;
    }
    ctx.r.head(
      item,
      'error',
      fnM
        ? 'Missing "type": add "type": "function".'
        : 'Missing "type": each tool needs "type": "function" (or "custom").',
      path,
    );
    if (!fnM) return;
    type = 'function'; // still check what is there
  } else {
    type = stringValue(typeM.value);
    if (type !== 'function' && type !== 'custom') {
      ctx.r.node(
        typeM.value,
        'error',
        `Unknown tool type ${type === undefined ? kindOf(typeM.value) : `"${shorten(type)}"`}: use "function" or "custom".`,
        keyPath(path, 'type'),
      );
      return;
    }
  }

  const key = type; // 'function' | 'custom': the key that holds the definition
  unknownKeys(ctx, item, path, ['type', key]);
  const bodyM = member(item, key);
  const bodyPath = keyPath(path, key);
  if (!bodyM) {
    ctx.r.head(
      item,
      'error',
      key === 'function'
        ? 'Missing "function": add {"name": …, "description": …, "parameters": {…}}.'
        : 'Missing "custom": add {"name": …, "description": …}.',
      path,
    );
    return;
  }
  if (bodyM.value.type !== 'object') {
    ctx.r.node(
      bodyM.value,
      'error',
      `"${key}" must be an object, not ${kindOf(bodyM.value)}.`,
      bodyPath,
    );
    return;
  }
  if (key === 'function') checkFunction(ctx, bodyM.value, bodyPath, path);
  else checkCustom(ctx, bodyM.value, bodyPath, path);
}

/** One item of the array in the legacy `functions` format. */
function checkFunctionItem(ctx: CheckContext, item: Node, path: string) {
  if (item.type !== 'object') {
    ctx.r.node(
      item,
      'error',
      `Each function must be an object like {"name": …, "parameters": {…}}; found ${kindOf(item)}.`,
      path,
    );
    return;
  }
  const looksLikeTool = member(item, 'type') || member(item, 'function') || member(item, 'custom');
  if (looksLikeTool && !member(item, 'name')) {
    ctx.r.head(
      item,
      'error',
      'This is a tool in the current format: switch the format to tools, or write it as {"name": …, "parameters": {…}}.',
      path,
    );
    return;
  }
  checkFunction(ctx, item, path, path);
}

/** Checks the array of definitions. Names are collected even when diagnostics are discarded. */
function checkArray(r: Reporter, root: Node, format: ToolFormat): string[] {
  const ctx: CheckContext = { r, format, names: [], seen: new Map() };
  elements(root).forEach((item, i) => {
    const path = indexPath('', i);
    if (format === 'tools') checkToolItem(ctx, item, path);
    else checkFunctionItem(ctx, item, path);
  });
  duplicateKeys(r, root, '');
  return ctx.names;
}

/** The root is not an array: say what to do. */
function checkRootNotArray(r: Reporter, root: Node, format: ToolFormat) {
  const what = format === 'tools' ? 'tools' : 'functions';
  if (root.type === 'object') {
    const oneItem =
      format === 'tools'
        ? Boolean(member(root, 'type') || member(root, 'function'))
        : Boolean(member(root, 'name'));
    r.head(
      root,
      'error',
      oneItem
        ? `Wrap the definition in [ ] — the editor holds an array of ${what}.`
        : `Tools JSON must be an array of ${what}, like [${format === 'tools' ? '{"type": "function", "function": {…}}' : '{"name": …, "parameters": {…}}'}].`,
      '',
    );
    return;
  }
  r.node(root, 'error', `Tools JSON must be an array of ${what}, not ${kindOf(root)}.`, '');
}

// ---------------------------------------------------------------------------
// JSON Schema checks for `parameters`

interface SchemaContext {
  r: Reporter;
  strict: boolean;
  /** The `parameters` node: local `$ref`s resolve inside it. */
  root: Node;
}

function checkParameters(r: Reporter, node: Node, path: string, strict: boolean) {
  if (node.type !== 'object') {
    r.node(
      node,
      'error',
      `"parameters" must be a JSON Schema object like {"type": "object", "properties": {…}}, not ${kindOf(node)}.`,
      path,
    );
    return;
  }
  const sc: SchemaContext = { r, strict, root: node };

  const typeM = member(node, 'type');
  if (typeM) {
    if (stringValue(typeM.value) !== 'object') {
      const found = shorten(
        r.text.slice(typeM.value.offset, typeM.value.offset + typeM.value.length),
      );
      r.node(
        typeM.value,
        'error',
        `"parameters" must have "type": "object" (found ${found}).`,
        keyPath(path, 'type'),
      );
    }
  } else if (strict) {
    r.head(
      node,
      'error',
      member(node, 'anyOf')
        ? 'strict: the root of parameters must be "type": "object", not anyOf.'
        : 'strict: the root of parameters needs "type": "object".',
      path,
    );
  } else if (member(node, 'properties')) {
    r.head(node, 'warning', '"parameters" should have "type": "object".', path);
  }

  checkSchema(sc, node, path, true);
}

/** Is this an object schema (type object, or has properties)? */
function isObjectSchema(node: Node): boolean {
  const typeM = member(node, 'type');
  if (member(node, 'properties')) return true;
  if (!typeM) return false;
  if (stringValue(typeM.value) === 'object') return true;
  return elements(typeM.value).some((el) => stringValue(el) === 'object');
}

/** Resolves a local JSON pointer (`#/...`) inside `root`. */
function resolvePointer(root: Node, ref: string): Node | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: Node | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      segment = raw;
    }
    segment = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node) return undefined;
    if (node.type === 'object') node = member(node, segment)?.value;
    else if (node.type === 'array' && /^\d+$/.test(segment)) node = elements(node)[Number(segment)];
    else return undefined;
  }
  return node;
}

function checkTypeKeyword(sc: SchemaContext, value: Node, path: string) {
  const unknown = (v: string) =>
    `Unknown type "${shorten(v)}": use string, number, integer, boolean, object, array or null.`;
  if (value.type === 'string') {
    const v = String(value.value);
    if (!SCHEMA_TYPES.includes(v)) sc.r.node(value, 'error', unknown(v), path);
    return;
  }
  if (value.type === 'array') {
    const items = elements(value);
    if (items.length === 0) {
      sc.r.node(value, 'error', '"type" must not be an empty list.', path);
      return;
    }
    items.forEach((el, i) => {
      const v = stringValue(el);
      if (v === undefined)
        sc.r.node(el, 'error', '"type" entries must be strings.', indexPath(path, i));
      else if (!SCHEMA_TYPES.includes(v)) sc.r.node(el, 'error', unknown(v), indexPath(path, i));
    });
    return;
  }
  sc.r.node(
    value,
    'error',
    '"type" must be a string like "string", or an array of them like ["string", "null"].',
    path,
  );
}

/** A map of name -> schema (properties, $defs, definitions). */
function checkSchemaMap(sc: SchemaContext, value: Node, path: string, key: string) {
  if (value.type !== 'object') {
    sc.r.node(value, 'error', `"${key}" must be an object mapping names to schemas.`, path);
    return;
  }
  for (const m of members(value)) checkSchema(sc, m.value, keyPath(path, m.key), false);
}

/** A non-empty list of schemas (anyOf, allOf, oneOf). */
function checkSchemaList(sc: SchemaContext, value: Node, path: string, key: string) {
  const items = elements(value);
  if (value.type !== 'array' || items.length === 0) {
    sc.r.node(value, 'error', `"${key}" must be a non-empty array of schemas.`, path);
    return;
  }
  items.forEach((el, i) => checkSchema(sc, el, indexPath(path, i), false));
}

function checkRequired(sc: SchemaContext, schema: Node, value: Node, path: string) {
  if (value.type !== 'array') {
    sc.r.node(value, 'error', '"required" must be an array of property names.', path);
    return;
  }
  const propsM = member(schema, 'properties');
  const props = new Set(propsM ? members(propsM.value).map((m) => m.key) : []);
  const listed = new Set<string>();
  elements(value).forEach((el, i) => {
    const name = stringValue(el);
    const elPath = indexPath(path, i);
    if (name === undefined) {
      sc.r.node(el, 'error', `"required" entries must be strings, not ${kindOf(el)}.`, elPath);
      return;
    }
    if (listed.has(name)) {
      sc.r.node(el, 'error', `required lists "${shorten(name)}" twice.`, elPath);
      return;
    }
    listed.add(name);
    if (!props.has(name)) {
      sc.r.node(
        el,
        sc.strict ? 'error' : 'warning',
        `required lists "${shorten(name)}" but properties has no "${shorten(name)}".`,
        elPath,
      );
    }
  });
}

/** Structured Outputs rules for one object schema. */
function checkStrictObject(sc: SchemaContext, node: Node, path: string) {
  const apM = member(node, 'additionalProperties');
  const apMessage = 'strict: object schemas need "additionalProperties": false.';
  if (!apM) sc.r.head(node, 'error', apMessage, path);
  else if (!(apM.value.type === 'boolean' && apM.value.value === false))
    sc.r.node(apM.value, 'error', apMessage, keyPath(path, 'additionalProperties'));

  const propsM = member(node, 'properties');
  if (!propsM) return;
  const reqM = member(node, 'required');
  const required = new Set(reqM ? elements(reqM.value).map(stringValue) : []);
  const missing = members(propsM.value)
    .map((m) => m.key)
    .filter((k) => !required.has(k));
  if (missing.length === 0) return;
  const message = `strict: every property must be in required; missing ${missing
    .map((k) => `"${shorten(k)}"`)
    .join(', ')} (make it optional with a "null" type instead).`;
  if (reqM) sc.r.node(reqM.value, 'error', message, keyPath(path, 'required'));
  else sc.r.head(node, 'error', message, path);
}

/** One schema, recursively. */
function checkSchema(sc: SchemaContext, node: Node, path: string, isRoot: boolean) {
  if (node.type === 'boolean' && !isRoot) return; // true / false are valid subschemas
  if (node.type !== 'object') {
    sc.r.node(
      node,
      'error',
      `A schema must be an object (or true/false), not ${kindOf(node)}.`,
      path,
    );
    return;
  }

  for (const m of members(node)) {
    const { key, value } = m;
    const p = keyPath(path, key);
    if (sc.strict && !STRICT_KEYWORDS.has(key)) {
      sc.r.node(m.keyNode, 'error', `strict mode does not support "${shorten(key)}".`, p);
    }
    switch (key) {
      case 'type':
        if (!isRoot) checkTypeKeyword(sc, value, p); // the root was checked for "object"
        break;
      case 'properties':
      case '$defs':
      case 'definitions':
        checkSchemaMap(sc, value, p, key);
        break;
      case 'required':
        checkRequired(sc, node, value, p);
        break;
      case 'items':
        if (value.type === 'array')
          elements(value).forEach((el, i) => checkSchema(sc, el, indexPath(p, i), false));
        else if (value.type === 'object' || value.type === 'boolean')
          checkSchema(sc, value, p, false);
        else sc.r.node(value, 'error', '"items" must be a schema (or an array of schemas).', p);
        break;
      case 'enum':
        if (value.type !== 'array' || elements(value).length === 0)
          sc.r.node(value, 'error', '"enum" must be a non-empty array of allowed values.', p);
        break;
      case 'anyOf':
      case 'allOf':
      case 'oneOf':
        checkSchemaList(sc, value, p, key);
        break;
      case 'not':
        checkSchema(sc, value, p, false);
        break;
      case 'additionalProperties':
        if (value.type === 'object') checkSchema(sc, value, p, false);
        else if (value.type !== 'boolean')
          sc.r.node(value, 'error', '"additionalProperties" must be true, false or a schema.', p);
        break;
      case '$ref': {
        const ref = stringValue(value);
        if (ref === undefined)
          sc.r.node(value, 'error', '"$ref" must be a string like "#/$defs/name".', p);
        else if (ref.startsWith('#') && !resolvePointer(sc.root, ref))
          sc.r.node(
            value,
            'error',
            `"$ref" "${shorten(ref)}" points to nothing inside parameters; define it under "$defs" or fix the path.`,
            p,
          );
        break;
      }
      case 'pattern': {
        const pattern = stringValue(value);
        if (pattern === undefined) {
          sc.r.node(value, 'error', '"pattern" must be a string (a regular expression).', p);
          break;
        }
        const problem = regexProblem(pattern);
        if (problem)
          sc.r.node(value, 'error', `"pattern" is not a valid regular expression (${problem}).`, p);
        break;
      }
      case 'description':
      case 'title':
        if (!isString(value))
          sc.r.node(value, 'error', `"${key}" must be a string, not ${kindOf(value)}.`, p);
        break;
      default:
        if (NUMBER_KEYWORDS.has(key)) {
          if (value.type !== 'number') sc.r.node(value, 'error', `"${key}" must be a number.`, p);
          else if (key === 'multipleOf' && !(Number(value.value) > 0))
            sc.r.node(value, 'error', '"multipleOf" must be greater than 0.', p);
        } else if (COUNT_KEYWORDS.has(key)) {
          const n = Number(value.value);
          if (value.type !== 'number' || !Number.isInteger(n) || n < 0)
            sc.r.node(value, 'error', `"${key}" must be a whole number, 0 or more.`, p);
        }
      // Anything else is allowed outside strict mode.
    }
  }

  if (sc.strict && isObjectSchema(node)) checkStrictObject(sc, node, path);
}

/** Why a pattern does not compile, or null. Tries Unicode mode first, then plain. */
function regexProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch {
    try {
      new RegExp(pattern);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
}

// ---------------------------------------------------------------------------
// Public: checking

export function checkTools(text: string, format: ToolFormat): ToolsCheck {
  if (isBlank(text)) return { value: null, names: [], diagnostics: [] };
  const { root, syntax } = parseText(text);
  if (!root) return { value: null, names: [], diagnostics: syntax };

  const r = new Reporter(text);
  if (root.type !== 'array') {
    checkRootNotArray(r, root, format);
    return { value: null, names: [], diagnostics: syntax.length > 0 ? syntax : r.sorted() };
  }
  // Names come from whatever parsed, even around syntax errors; shape diagnostics
  // only count when the text is valid JSON.
  const names = checkArray(r, root, format);
  if (syntax.length > 0) return { value: null, names, diagnostics: syntax };

  // JSON.parse rather than the tree: it keeps keys like "__proto__" as plain data.
  const parsed = parseJson(text, 'Tools JSON is');
  if (!parsed.ok) {
    const fallback = new Reporter(text);
    fallback.head(root, 'error', parsed.error, '');
    return { value: null, names, diagnostics: fallback.sorted() };
  }
  const value = parsed.value;
  return { value: Array.isArray(value) ? value : null, names, diagnostics: r.sorted() };
}

/** The first blocking problem of the tools config, in words with its place, or null. Used as the reason Send is disabled. */
export function firstToolsProblem(config: ToolsConfig): string | null {
  const check = checkTools(config.json, config.format);
  const error = check.diagnostics.find((d) => d.severity === 'error');
  if (error) return `Tools JSON line ${error.line}, column ${error.column}: ${error.message}`;
  // Nothing is sent without definitions, so choice problems do not matter then.
  if (!check.value || check.value.length === 0) return null;
  return choiceProblem(config.choice, config.format, check.names);
}

function choiceProblem(
  choice: ToolChoice | undefined,
  format: ToolFormat,
  names: string[],
): string | null {
  if (choice === undefined) return null;
  if (typeof choice === 'object') {
    return names.includes(choice.name)
      ? null
      : `Tool choice names "${choice.name}", which is not defined in Tools JSON.`;
  }
  if (choice === 'required' && format === 'functions') {
    return '"required" is not available with legacy functions; choose auto, none or a function.';
  }
  return null;
}

// ---------------------------------------------------------------------------
// Public: conversion and formatting

function itemLabel(name: unknown, index: number): string {
  return typeof name === 'string' && name !== '' ? `"${name}"` : `item [${index}]`;
}

/** `{type:'function', function:{…}}` -> `{name, description, parameters}`. */
function toLegacy(item: unknown, index: number, notes: string[]): unknown {
  if (!isObject(item)) {
    notes.push(`Kept item [${index}] as it is: it is not a tool definition.`);
    return item;
  }
  if (item.type === undefined && item.function === undefined && 'name' in item) return item; // already legacy
  if (item.type === 'custom') {
    const custom = isObject(item.custom) ? item.custom : {};
    notes.push(
      `Kept custom tool ${itemLabel(custom.name, index)} as it is: legacy functions have no custom tools.`,
    );
    return item;
  }
  if ((item.type !== 'function' && item.type !== undefined) || !isObject(item.function)) {
    notes.push(`Kept item [${index}] as it is: it is not a function tool.`);
    return item;
  }
  const fn = item.function;
  const label = itemLabel(fn.name, index);
  const out: Json = {};
  // Key order name, description, parameters, then anything else the function had.
  for (const key of ['name', 'description', 'parameters']) if (key in fn) out[key] = fn[key];
  for (const [key, v] of Object.entries(fn)) {
    if (key in out) continue;
    if (key === 'strict') {
      notes.push(`Dropped "strict" from ${label}: legacy functions do not support it.`);
      continue;
    }
    out[key] = v;
  }
  for (const key of Object.keys(item)) {
    if (key !== 'type' && key !== 'function') notes.push(`Dropped "${key}" from ${label}.`);
  }
  return out;
}

/** `{name, description?, parameters?}` -> `{type:'function', function:{…}}`. */
function toTool(item: unknown, index: number, notes: string[]): unknown {
  if (!isObject(item)) {
    notes.push(`Kept item [${index}] as it is: it is not a function definition.`);
    return item;
  }
  if ('type' in item || 'function' in item || 'custom' in item) return item; // already a tool
  if (!('name' in item)) {
    notes.push(`Kept item [${index}] as it is: it has no "name".`);
    return item;
  }
  return { type: 'function', function: { ...item } };
}

/** Converts a definitions array between the formats. Items that cannot be converted are kept as they are and explained in notes. */
export function convertTools(
  value: unknown[],
  to: ToolFormat,
): { value: unknown[]; notes: string[] } {
  const notes: string[] = [];
  const out = value.map((item, i) =>
    to === 'functions' ? toLegacy(item, i, notes) : toTool(item, i, notes),
  );
  return { value: out, notes };
}

/** Parses text that must hold a JSON array; says why not otherwise. */
function parseArrayText(
  text: string,
): { ok: true; value: unknown[] } | { ok: false; error: string } {
  const parsed = parseJson(text, 'Tools JSON is');
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!Array.isArray(value))
    return { ok: false, error: 'Tools JSON must be an array: wrap the definitions in [ ].' };
  return { ok: true, value };
}

/** Same on text: parses, converts, pretty-prints with 2-space indent. Fails with a message when the text is not a valid JSON array. Blank text stays blank. */
export function convertToolsText(
  text: string,
  to: ToolFormat,
): { ok: true; text: string; notes: string[] } | { ok: false; error: string } {
  if (isBlank(text)) return { ok: true, text, notes: [] };
  const parsed = parseArrayText(text);
  if (!parsed.ok) return parsed;
  const { value, notes } = convertTools(parsed.value, to);
  return { ok: true, text: JSON.stringify(value, null, 2), notes };
}

/** Pretty-prints JSON with 2-space indent (the "Format" button). Blank text stays blank. */
export function formatJsonText(
  text: string,
): { ok: true; text: string } | { ok: false; error: string } {
  if (isBlank(text)) return { ok: true, text: '' };
  const syntax = firstJsonSyntaxError(text);
  if (syntax) {
    return {
      ok: false,
      error: `Cannot format: line ${syntax.line}, column ${syntax.column}: ${syntax.message}`,
    };
  }
  // Literals (1.0, 1e3, big integers) stay as written.
  return { ok: true, text: prettyJson(text) ?? text };
}

// ---------------------------------------------------------------------------
// Public: templates and appending

export interface ToolTemplate {
  id: 'weather' | 'calculator' | 'search';
  label: string;
  /** In the current `tools` format. */
  tool: Record<string, unknown>;
}

// Strict-valid: every property required, optional ones nullable, no extra keys.
export const TOOL_TEMPLATES: readonly ToolTemplate[] = [
  {
    id: 'weather',
    label: 'Weather lookup',
    tool: {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Get the current weather for a location.',
        parameters: {
          type: 'object',
          properties: {
            location: {
              type: 'string',
              description: 'City and country, e.g. "Paris, France".',
            },
            unit: {
              type: ['string', 'null'],
              enum: ['celsius', 'fahrenheit', null],
              description: 'Temperature unit, or null for the local default.',
            },
          },
          required: ['location', 'unit'],
          additionalProperties: false,
        },
        strict: true,
      },
    },
  },
  {
    id: 'calculator',
    label: 'Calculator',
    tool: {
      type: 'function',
      function: {
        name: 'calculate',
        description: 'Evaluate an arithmetic expression and return the exact result.',
        parameters: {
          type: 'object',
          properties: {
            expression: {
              type: 'string',
              description: 'The expression to evaluate, e.g. "(2 + 3) * 4 / 7".',
            },
          },
          required: ['expression'],
          additionalProperties: false,
        },
        strict: true,
      },
    },
  },
  {
    id: 'search',
    label: 'Web search',
    tool: {
      type: 'function',
      function: {
        name: 'web_search',
        description: 'Search the web and return the most relevant results with titles and links.',
        parameters: {
          type: 'object',
          properties: {
            query: {
              type: 'string',
              description: 'What to search for, in plain words.',
            },
            max_results: {
              type: ['integer', 'null'],
              minimum: 1,
              maximum: 10,
              description: 'How many results to return (1 to 10), or null for the default of 5.',
            },
          },
          required: ['query', 'max_results'],
          additionalProperties: false,
        },
        strict: true,
      },
    },
  },
];

/** Every name defined in the array, in either format. */
function namesIn(value: unknown[]): Set<string> {
  const names = new Set<string>();
  for (const item of value) {
    if (!isObject(item)) continue;
    for (const holder of [item, item.function, item.custom]) {
      if (isObject(holder) && typeof holder.name === 'string') names.add(holder.name);
    }
  }
  return names;
}

/** `name`, or `name_2`, `name_3`… (cut to stay within 64 characters) when taken. */
function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = name.slice(0, NAME_MAX - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Appends a tool (given in `tools` format; converted when `format` is 'functions') to the array in `text` and returns the new pretty-printed text. Blank text becomes a one-item array. When the text is not a valid array, returns ok:false with a message (never destroys the user's text). If the name is taken, suffix _2, _3… */
export function appendTool(
  text: string,
  format: ToolFormat,
  tool: Record<string, unknown>,
): { ok: true; text: string; name: string } | { ok: false; error: string } {
  const base = isBlank(text) ? '[]' : text;
  const parsed = parseArrayText(base);
  if (!parsed.ok) return { ok: false, error: `Cannot add the tool: ${parsed.error}` };

  // A deep copy, so the template (or caller's object) is never changed.
  const copy = JSON.parse(JSON.stringify(tool)) as Json;
  const holder = isObject(copy.function)
    ? copy.function
    : isObject(copy.custom)
      ? copy.custom
      : copy;
  let name = typeof holder.name === 'string' ? holder.name : '';
  if (name !== '') {
    name = freeName(name, namesIn(parsed.value));
    holder.name = name;
  }
  const item = format === 'functions' ? convertTools([copy], 'functions').value[0] : copy;

  return { ok: true, text: withItemAppended(base, item), name };
}

// ---------------------------------------------------------------------------
// Public: the form builder

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

export interface ParamField {
  name: string;
  type: ParamType;
  description: string;
  required: boolean;
  /** comma-separated allowed values for string enums; '' = none */
  enumValues: string;
}

export interface ToolForm {
  name: string;
  description: string;
  params: ParamField[];
  strict: boolean;
}

/** The allowed values typed in the form, trimmed, without blanks and repeats. */
function enumList(enumValues: string): string[] {
  const out: string[] = [];
  for (const part of enumValues.split(',')) {
    const v = part.trim();
    if (v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}

/** Builds a `tools`-format definition from the form, or says per field what is wrong (field keys like 'name', 'params.0.name'). */
export function toolFromForm(
  form: ToolForm,
):
  | { ok: true; tool: Record<string, unknown> }
  | { ok: false; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  const name = form.name.trim();
  if (name === '') errors.push({ field: 'name', message: 'Give the function a name.' });
  else if (!NAME_RE.test(name))
    errors.push({
      field: 'name',
      message: `Use only a-z, A-Z, 0-9, _ and - (1 to ${NAME_MAX} characters).`,
    });

  const properties: Json = {};
  const required: string[] = [];
  const seen = new Set<string>();
  form.params.forEach((param, i) => {
    const pname = param.name.trim();
    if (pname === '') {
      errors.push({ field: `params.${i}.name`, message: 'Give the parameter a name.' });
    } else if (seen.has(pname)) {
      errors.push({
        field: `params.${i}.name`,
        message: `Parameter "${pname}" is already defined.`,
      });
    }
    seen.add(pname);
    const values = enumList(param.enumValues);
    if (values.length > 0 && param.type !== 'string') {
      errors.push({
        field: `params.${i}.enumValues`,
        message: 'Allowed values are only available for string parameters.',
      });
    }

    // Strict mode has no optional properties: an optional one is required but nullable.
    const nullable = form.strict && !param.required;
    const schema: Json = { type: nullable ? [param.type, 'null'] : param.type };
    const description = param.description.trim();
    if (description !== '') schema.description = description;
    if (values.length > 0) schema.enum = nullable ? [...values, null] : values;
    if (param.type === 'array') schema.items = { type: 'string' };
    if (param.type === 'object') {
      schema.properties = {};
      schema.additionalProperties = false;
    }
    properties[pname] = schema;
    if (form.strict || param.required) required.push(pname);
  });
  if (errors.length > 0) return { ok: false, errors };

  const parameters: Json = { type: 'object', properties };
  if (form.strict || required.length > 0) parameters.required = required;
  if (form.strict) parameters.additionalProperties = false;

  const fn: Json = { name };
  const description = form.description.trim();
  if (description !== '') fn.description = description;
  fn.parameters = parameters;
  if (form.strict) fn.strict = true;
  return { ok: true, tool: { type: 'function', function: fn } };
}

// The token estimate lives on its own (the token counter and its worker use it
// without loading the validator).
export { estimateToolTokens } from './tool-tokens';
