import { isRecord } from '../shared/wire-json.ts';
import type { JsonRecord } from '../shared/wire-json.ts';

// Keys of Gemini's Schema object (an OpenAPI 3.0 subset); anything else is rejected upstream.
const KEPT_KEYS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'example',
  'propertyOrdering',
  'required',
]);

/**
 * JSON Schema (as OpenAI tools and json_schema carry it) → Gemini Schema: `type: [x, "null"]` becomes
 * `nullable`, `const` becomes a one-value enum, `additionalProperties`, `$schema`, `strict` and other
 * unsupported keywords are dropped, and nested properties/items/anyOf are converted the same way.
 */
export function convertJsonSchemaToGemini(schema: unknown): JsonRecord | undefined {
  if (!isRecord(schema)) return undefined;
  const out: JsonRecord = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEPT_KEYS.has(key)) out[key] = value;
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t): t is string => typeof t === 'string');
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.length < types.length) out.nullable = true;
    if (nonNull[0] !== undefined) out.type = nonNull[0];
    else delete out.type;
  }
  if (schema.const !== undefined) out.enum = [typeof schema.const === 'string' ? schema.const : JSON.stringify(schema.const)];
  if (isRecord(schema.properties)) {
    const props: JsonRecord = {};
    for (const [name, sub] of Object.entries(schema.properties)) props[name] = convertJsonSchemaToGemini(sub) ?? {};
    out.properties = props;
  }
  if (schema.items !== undefined) {
    const items = convertJsonSchemaToGemini(schema.items);
    if (items) out.items = items;
  }
  const anyOf = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (anyOf) {
    const variants = anyOf.map(convertJsonSchemaToGemini).filter((v): v is JsonRecord => v !== undefined);
    const nonNull = variants.filter((v) => v.type !== 'null');
    if (nonNull.length < variants.length) out.nullable = true;
    if (nonNull.length === 1 && nonNull[0]) Object.assign(out, nonNull[0]);
    else if (nonNull.length > 1) out.anyOf = nonNull;
  }
  return out;
}

/** Gemini rejects an OBJECT schema with no properties, so a parameterless tool sends none. */
export function isEmptyObjectSchema(schema: JsonRecord | undefined): boolean {
  if (!schema) return true;
  const props = schema.properties;
  return schema.type === 'object' && (!isRecord(props) || Object.keys(props).length === 0);
}
