import { describe, expect, it } from 'vitest';
import { convertJsonSchemaToGemini, isEmptyObjectSchema } from './convert-json-schema-to-gemini.ts';

describe('convertJsonSchemaToGemini', () => {
  it('drops unsupported keywords and converts nullable unions, const and nested schemas', () => {
    expect(
      convertJsonSchemaToGemini({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: ['string', 'null'], description: 'who' },
          kind: { const: 'cat' },
          tags: { type: 'array', items: { type: 'string', additionalProperties: false } },
          age: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        },
        required: ['name'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', nullable: true, description: 'who' },
        kind: { enum: ['cat'] },
        tags: { type: 'array', items: { type: 'string' } },
        age: { type: 'integer', nullable: true },
      },
      required: ['name'],
    });
  });

  it('keeps multi-variant anyOf', () => {
    expect(convertJsonSchemaToGemini({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
  });

  it('detects parameterless object schemas', () => {
    expect(isEmptyObjectSchema({ type: 'object', properties: {} })).toBe(true);
    expect(isEmptyObjectSchema(undefined)).toBe(true);
    expect(isEmptyObjectSchema({ type: 'object', properties: { a: {} } })).toBe(false);
  });
});
