// What may be typed where in a list of OpenAI tool definitions: the keys and
// values offered by the Tools JSON editor's completion. Pure data and logic;
// the editor asks with the JSON path at the cursor.

export interface ToolKeySuggestion {
  label: string;
  /** One line, shown next to the label. */
  detail?: string;
  info?: string;
  /** Exact text to insert, for values that are not strings (`true`, `false`). */
  apply?: string;
}

type Path = (string | number)[];
type Entry = [label: string, detail: string];

const toItems = (entries: readonly Entry[]): ToolKeySuggestion[] =>
  entries.map(([label, detail]) => ({ label, detail }));

const NAME_DETAIL = 'string — letters, digits, _ and -, at most 64 characters';

const TOOL_KEYS: readonly Entry[] = [
  ['type', 'string — "function" or "custom"'],
  ['function', 'object — name, description, parameters, strict'],
  ['custom', 'object — a tool taking free-form text: name, description, format'],
];

const TOOL_TYPES: readonly Entry[] = [
  ['function', 'called with JSON arguments matching its parameters'],
  ['custom', 'called with free-form text input'],
];

const FUNCTION_KEYS: readonly Entry[] = [
  ['name', NAME_DETAIL],
  ['description', 'string — what the function does; the model reads it'],
  ['parameters', 'object — JSON Schema of the arguments'],
  ['strict', 'boolean — arguments follow the schema exactly (Structured Outputs)'],
];

const LEGACY_FUNCTION_KEYS: readonly Entry[] = [
  ['name', NAME_DETAIL],
  ['description', 'string — what the function does; the model reads it'],
  ['parameters', 'object — JSON Schema of the arguments'],
];

const CUSTOM_KEYS: readonly Entry[] = [
  ['name', NAME_DETAIL],
  ['description', 'string — what the tool does; the model reads it'],
  ['format', 'object — {"type": "text"} (default) or a grammar'],
];

const CUSTOM_FORMAT_KEYS: readonly Entry[] = [
  ['type', 'string — "text" or "grammar"'],
  ['grammar', 'object — definition and syntax of the input grammar'],
];
const CUSTOM_FORMAT_TYPES: readonly Entry[] = [
  ['text', 'unconstrained free-form text'],
  ['grammar', 'text following the grammar'],
];
const GRAMMAR_KEYS: readonly Entry[] = [
  ['definition', 'string — the grammar itself'],
  ['syntax', 'string — "lark" or "regex"'],
];
const GRAMMAR_SYNTAXES: readonly Entry[] = [
  ['lark', 'a Lark context-free grammar'],
  ['regex', 'a regular expression'],
];

const SCHEMA_KEYS: readonly Entry[] = [
  ['type', 'string or array — string, number, integer, boolean, object, array, null'],
  ['description', 'string — what this value means; the model reads it'],
  ['properties', 'object — the members, each a schema'],
  ['required', 'array — names of members that must be present'],
  ['items', 'schema — each element of the array'],
  ['enum', 'array — the allowed values'],
  ['additionalProperties', 'boolean or schema — other members (strict mode: false)'],
  ['anyOf', 'array — schemas, any one of which the value matches'],
  ['$ref', 'string — a reference to a schema, e.g. "#/$defs/Name"'],
  ['$defs', 'object — named schemas to $ref'],
  ['minimum', 'number — smallest allowed value'],
  ['maximum', 'number — largest allowed value'],
  ['pattern', 'string — a regular expression the string matches'],
  ['format', 'string — e.g. date-time, email, uuid'],
  ['default', 'any — the value meant when it is left out'],
  ['const', 'any — the one allowed value'],
  ['title', 'string — a short name'],
  ['minItems', 'integer — fewest elements'],
  ['maxItems', 'integer — most elements'],
  ['minLength', 'integer — fewest characters'],
  ['maxLength', 'integer — most characters'],
];

const SCHEMA_TYPES: readonly Entry[] = [
  ['string', 'text'],
  ['number', 'any number'],
  ['integer', 'a whole number'],
  ['boolean', 'true or false'],
  ['object', 'members described under properties'],
  ['array', 'elements described under items'],
  ['null', 'no value (with another type: an optional field in strict mode)'],
];

const STRING_FORMATS: readonly Entry[] = [
  ['date-time', 'e.g. 2025-01-31T12:00:00Z'],
  ['date', 'e.g. 2025-01-31'],
  ['time', 'e.g. 12:00:00'],
  ['duration', 'e.g. P3D'],
  ['email', 'an e-mail address'],
  ['hostname', 'a host name'],
  ['ipv4', 'an IPv4 address'],
  ['ipv6', 'an IPv6 address'],
  ['uuid', 'a UUID'],
];

const BOOLEANS: ToolKeySuggestion[] = [
  { label: 'true', detail: 'boolean', apply: 'true' },
  { label: 'false', detail: 'boolean', apply: 'false' },
];

// Where a path segment leads, starting at a schema.
type SchemaPlace =
  | 'schema' // a schema object
  | 'map' // properties / $defs: user-chosen names, each a schema
  | 'list' // anyOf / oneOf / allOf: schemas by index
  | 'type' // the value of type
  | 'required' // the array of required names
  | 'other'; // enum values, defaults, plain strings…

const MAP_KEYS = new Set(['properties', '$defs', 'definitions', 'patternProperties']);
const SUBSCHEMA_KEYS = new Set(['items', 'additionalProperties', 'not', 'contains']);
const LIST_KEYS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);

function step(place: SchemaPlace, segment: string | number): SchemaPlace {
  switch (place) {
    case 'schema':
      if (typeof segment === 'number') return 'other';
      if (MAP_KEYS.has(segment)) return 'map';
      if (SUBSCHEMA_KEYS.has(segment)) return 'schema';
      if (LIST_KEYS.has(segment)) return 'list';
      if (segment === 'type') return 'type';
      if (segment === 'required') return 'required';
      return 'other';
    case 'map':
      return typeof segment === 'string' ? 'schema' : 'other';
    case 'list':
      return typeof segment === 'number' ? 'schema' : 'other';
    case 'type':
      return typeof segment === 'number' ? 'type' : 'other';
    case 'required':
      return typeof segment === 'number' ? 'required' : 'other';
    default:
      return 'other';
  }
}

const walk = (path: Path): SchemaPlace => path.reduce<SchemaPlace>(step, 'schema');

/** Suggestions inside a JSON Schema; `rest` is the path below its root. */
function schemaSuggestions(
  rest: Path,
  kind: 'key' | 'value',
  siblings: Record<string, unknown> | undefined,
): ToolKeySuggestion[] {
  if (kind === 'key') return walk(rest) === 'schema' ? toItems(SCHEMA_KEYS) : [];
  if (rest.length === 0) return [];
  const last = rest[rest.length - 1];
  const parent = walk(rest.slice(0, -1));
  const place = step(parent, last as string | number);
  if (place === 'type' && (parent === 'schema' || parent === 'type')) return toItems(SCHEMA_TYPES);
  if (place === 'required' && parent === 'required') return requiredNames(siblings);
  if (parent !== 'schema') return [];
  if (last === 'additionalProperties') return BOOLEANS;
  if (last === 'format') return toItems(STRING_FORMATS);
  return [];
}

/** For `required: [...]`: the names under the neighbouring `properties`, not yet listed. */
function requiredNames(siblings: Record<string, unknown> | undefined): ToolKeySuggestion[] {
  const properties = siblings?.properties;
  if (!properties || typeof properties !== 'object' || Array.isArray(properties)) return [];
  const required = siblings?.required;
  const listed = new Set<unknown>(Array.isArray(required) ? required : []);
  return Object.keys(properties)
    .filter((name) => !listed.has(name))
    .map((name) => ({ label: name, detail: 'a member under properties' }));
}

function withoutPresent(
  items: ToolKeySuggestion[],
  siblings: Record<string, unknown> | undefined,
): ToolKeySuggestion[] {
  return siblings ? items.filter((item) => !Object.hasOwn(siblings, item.label)) : items;
}

function toolsSuggestions(
  path: Path,
  kind: 'key' | 'value',
  siblings: Record<string, unknown> | undefined,
): ToolKeySuggestion[] {
  const [index, section, field, ...rest] = path;
  if (typeof index !== 'number') return [];
  if (kind === 'key' && path.length === 1) {
    // Offer the one body matching an already chosen type.
    const type = siblings?.type;
    const other = type === 'function' ? 'custom' : type === 'custom' ? 'function' : null;
    return toItems(TOOL_KEYS.filter(([label]) => label !== other));
  }
  if (kind === 'value' && path.length === 2 && section === 'type') return toItems(TOOL_TYPES);
  if (section === 'function') {
    if (path.length === 2) return kind === 'key' ? toItems(FUNCTION_KEYS) : [];
    if (field === 'parameters') return schemaSuggestions(rest, kind, siblings);
    if (path.length === 3 && field === 'strict' && kind === 'value') return BOOLEANS;
    return [];
  }
  if (section === 'custom') {
    if (path.length === 2) return kind === 'key' ? toItems(CUSTOM_KEYS) : [];
    if (field !== 'format') return [];
    // [i].custom.format…
    const [sub, subField] = rest;
    if (rest.length === 0) return kind === 'key' ? toItems(CUSTOM_FORMAT_KEYS) : [];
    if (rest.length === 1 && sub === 'type' && kind === 'value')
      return toItems(CUSTOM_FORMAT_TYPES);
    if (rest.length === 1 && sub === 'grammar' && kind === 'key') return toItems(GRAMMAR_KEYS);
    if (rest.length === 2 && sub === 'grammar' && subField === 'syntax' && kind === 'value') {
      return toItems(GRAMMAR_SYNTAXES);
    }
  }
  return [];
}

function functionsSuggestions(
  path: Path,
  kind: 'key' | 'value',
  siblings: Record<string, unknown> | undefined,
): ToolKeySuggestion[] {
  const [index, section, ...rest] = path;
  if (typeof index !== 'number') return [];
  if (path.length === 1) return kind === 'key' ? toItems(LEGACY_FUNCTION_KEYS) : [];
  if (section === 'parameters') return schemaSuggestions(rest, kind, siblings);
  return [];
}

/**
 * Keys (kind 'key', `path` = the object) or values (kind 'value', `path` =
 * the property or array element) that fit at `path` in a list of tool
 * definitions: `tools` (`[{type, function: {…}}]`) or the legacy
 * `functions` (`[{name, description, parameters}]`). String values are given
 * by label; others carry `apply` (e.g. `true`). `siblings`, the members of
 * the nearest object (for a value or array element: the object holding it),
 * drops keys already present, picks `function` or `custom` after `type`, and
 * lists the `properties` names for `required`.
 */
export function toolKeySuggestions(
  path: (string | number)[],
  kind: 'key' | 'value',
  format: 'tools' | 'functions',
  siblings?: Record<string, unknown>,
): ToolKeySuggestion[] {
  const items =
    format === 'tools'
      ? toolsSuggestions(path, kind, siblings)
      : functionsSuggestions(path, kind, siblings);
  return kind === 'key' ? withoutPresent(items, siblings) : items;
}
