// Shape checks of the definitions array: each item a function tool, a custom
// tool or (legacy format) a function, with names that follow the API's rule,
// each used once, and no unknown keys.

import type { JsonNode as Node } from '../json';
import type { ToolFormat } from '../types';
import { indexPath, keyPath, shorten, type Reporter } from './positions';
import { NAME_CHARS_RE, NAME_MAX, NAME_RE } from './names';
import { checkParameters } from './schema';
import { elements, isString, kindOfNode, member, members, stringValue } from './syntax';

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
    ctx.r.node(m.value, 'error', `"name" must be a string, not ${kindOfNode(m.value)}.`, namePath);
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
      `"${key}" must be a string, not ${kindOfNode(m.value)}.`,
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
      `Unknown format type ${type === undefined ? kindOfNode(typeM.value) : `"${shorten(type)}"`}: use "text" or "grammar".`,
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
        `Unknown grammar syntax ${syntax === undefined ? kindOfNode(syntaxM.value) : `"${shorten(syntax)}"`}: use "lark" or "regex".`,
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
      `Each tool must be an object like {"type": "function", "function": {…}}; found ${kindOfNode(item)}.`,
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
        `Unknown tool type ${type === undefined ? kindOfNode(typeM.value) : `"${shorten(type)}"`}: use "function" or "custom".`,
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
      `"${key}" must be an object, not ${kindOfNode(bodyM.value)}.`,
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
      `Each function must be an object like {"name": …, "parameters": {…}}; found ${kindOfNode(item)}.`,
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
export function checkArray(r: Reporter, root: Node, format: ToolFormat): string[] {
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
export function checkRootNotArray(r: Reporter, root: Node, format: ToolFormat) {
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
  r.node(root, 'error', `Tools JSON must be an array of ${what}, not ${kindOfNode(root)}.`, '');
}
