// The JSON toolkit of the model layer: guards for untrusted values, the
// path-reporting record reader, parsing with errors at line:column, and the
// one pretty-printer. The folder's second way in, syntax.ts (the syntax tree
// and the error locator), is the only home of jsonc-parser: not re-exported
// here, so that the page's startup path does without it.

export {
  isBoolean,
  isCount,
  isFiniteNumber,
  isObject,
  isString,
  kindOf,
  own,
  sameJson,
  type JsonObject,
} from './values';
export { Fields, pathOf, ShapeError } from './fields';
export { LineIndex, lineColumn } from './lines';
export type { JsonNode } from './syntax';
export { loadJsonLocator, parseJson, parseJsonObject } from './parse';
export { prettyJson, withItemAppended } from './format';
