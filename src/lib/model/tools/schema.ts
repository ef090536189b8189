// JSON Schema checks of a function's `parameters`, and the stricter rules of
// Structured Outputs when the function has `strict: true`.

import type { JsonNode as Node } from '../json';
import { indexPath, keyPath, shorten, type Reporter } from './positions';
import { elements, isString, kindOfNode, member, members, stringValue } from './syntax';

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

interface SchemaContext {
  r: Reporter;
  strict: boolean;
  /** The `parameters` node: local `$ref`s resolve inside it. */
  root: Node;
}

export function checkParameters(r: Reporter, node: Node, path: string, strict: boolean) {
  if (node.type !== 'object') {
    r.node(
      node,
      'error',
      `"parameters" must be a JSON Schema object like {"type": "object", "properties": {…}}, not ${kindOfNode(node)}.`,
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
      sc.r.node(el, 'error', `"required" entries must be strings, not ${kindOfNode(el)}.`, elPath);
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
      `A schema must be an object (or true/false), not ${kindOfNode(node)}.`,
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
          sc.r.node(value, 'error', `"${key}" must be a string, not ${kindOfNode(value)}.`, p);
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
