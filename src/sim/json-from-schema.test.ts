import { describe, expect, it } from 'vitest';
import { jsonFromSchema } from './json-from-schema.ts';

describe('jsonFromSchema', () => {
  it('builds an object with every property of the right type', () => {
    const value = jsonFromSchema({
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 3 },
        ratio: { type: 'number' },
        detailed: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        when: { type: 'string', format: 'date' },
        nested: { type: 'object', properties: { id: { const: 7 } } },
        maybe: { anyOf: [{ type: 'null' }, { type: 'number', default: 2.5 }] },
      },
      required: ['city'],
    });
    expect(value).toEqual({
      city: 'Paris',
      unit: 'celsius',
      days: 3,
      ratio: 1,
      detailed: true,
      tags: ['simulated tags', 'simulated tags'],
      when: '2024-05-01',
      nested: { id: 7 },
      maybe: 2.5,
    });
  });

  it('accepts nullable type arrays, missing schemas and recursion limits', () => {
    expect(jsonFromSchema({ type: ['null', 'string'] }, 'query')).toBe('simulated query');
    expect(jsonFromSchema(undefined)).toBeNull();
    const deep: Record<string, unknown> = { type: 'object', properties: {} };
    (deep.properties as Record<string, unknown>).self = deep;
    expect(() => JSON.stringify(jsonFromSchema(deep))).not.toThrow();
  });
});
