// The "New function" form: fields in, a `tools`-format definition out, or
// what is wrong per field.

import type { JsonObject as Json } from '../json';
import { fail, ok, type Result } from '../result';
import { NAME_MAX, NAME_RE } from './names';

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

export interface ParamField {
  name: string;
  type: ParamType;
  description: string;
  required: boolean;
  /** comma-separated allowed values for string enums; '' = none */
  enumValues: string;
}

/** What is wrong with one field; `field` is like 'name' or 'params.0.name'. */
export interface FieldError {
  field: string;
  message: string;
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
export function toolFromForm(form: ToolForm): Result<Record<string, unknown>, FieldError[]> {
  const errors: FieldError[] = [];
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
  if (errors.length > 0) return fail(errors);

  const parameters: Json = { type: 'object', properties };
  if (form.strict || required.length > 0) parameters.required = required;
  if (form.strict) parameters.additionalProperties = false;

  const fn: Json = { name };
  const description = form.description.trim();
  if (description !== '') fn.description = description;
  fn.parameters = parameters;
  if (form.strict) fn.strict = true;
  return ok({ type: 'function', function: fn });
}
