// The JSON toolkit of the model layer: guards for untrusted values, the
// path-reporting record reader, parsing with errors at line:column, and the
// one pretty-printer. The only home of jsonc-parser.

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
export {
  firstJsonSyntaxError,
  LineIndex,
  lineColumn,
  parseJsonTree,
  type JsonNode,
} from './syntax';
export { parseJson, parseJsonObject } from './parse';
export { prettyJson, withItemAppended } from './format';
