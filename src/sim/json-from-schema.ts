/**
 * Builds a plausible JSON value that satisfies a JSON Schema, for simulated tool-call arguments and
 * structured outputs. Covers the schema keywords tool definitions use in practice (type, properties,
 * required, enum, const, default, items, anyOf/oneOf/allOf, minimum/maximum, format, examples).
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const MAX_DEPTH = 6;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toJson(v: unknown): Json {
  return JSON.parse(JSON.stringify(v ?? null)) as Json;
}

function firstType(schema: Record<string, unknown>): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null');
  if (isRecord(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function sampleString(name: string, schema: Record<string, unknown>): string {
  switch (schema.format) {
    case 'date':
      return '2024-05-01';
    case 'date-time':
      return '2024-05-01T12:00:00Z';
    case 'email':
      return 'user@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  const lower = name.toLowerCase();
  if (/(city|location|place)/.test(lower)) return 'Paris';
  if (/(unit)/.test(lower)) return 'celsius';
  if (/(query|search|question|text|prompt)/.test(lower)) return 'simulated query';
  if (/(name)/.test(lower)) return 'Simulated Name';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const base = name ? `simulated ${name}` : 'simulated';
  return base.length >= min ? base : base.padEnd(min, 'x');
}

function sampleNumber(schema: Record<string, unknown>, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let v = min ?? (max !== undefined ? Math.min(max, 1) : 1);
  if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum) v = schema.exclusiveMinimum + 1;
  return integer ? Math.ceil(v) : v;
}

export function jsonFromSchema(schema: unknown, name = '', depth = 0): Json {
  if (!isRecord(schema) || depth > MAX_DEPTH) return null;
  if ('const' in schema) return toJson(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return toJson(schema.enum[0]);
  if ('default' in schema) return toJson(schema.default);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return toJson(schema.examples[0]);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const nonNull: unknown = options.find((o) => !(isRecord(o) && o.type === 'null'));
      return jsonFromSchema(nonNull ?? options[0], name, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Record<string, unknown> = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf) {
      if (!isRecord(part)) continue;
      Object.assign(merged.properties as Record<string, unknown>, isRecord(part.properties) ? part.properties : {});
    }
    return jsonFromSchema(merged, name, depth + 1);
  }
  switch (firstType(schema)) {
    case 'object': {
      const out: { [k: string]: Json } = {};
      const props = isRecord(schema.properties) ? schema.properties : {};
      for (const [key, sub] of Object.entries(props)) out[key] = jsonFromSchema(sub, key, depth + 1);
      return out;
    }
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const item = jsonFromSchema(schema.items, name, depth + 1);
      return Array.from({ length: Math.min(minItems, 10) }, () => item);
    }
    case 'string':
      return sampleString(name, schema);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'simulated';
  }
}
