import { describe, expect, it } from 'vitest';
import { ChatRequest } from '../providers/chat-schema.ts';
import { GatewayError } from '../util/errors.ts';
import { selectTechnique, type ConventionDeps } from './optillm-conventions.ts';

const MODELS = new Set(['gpt-4o-mini', 'auto', 'moa-legacy', 'sim-mini']);
const deps: ConventionDeps = {
  techniques: ['none', 're2', 'moa', 'self_consistency'],
  resolvesModel: (id) => MODELS.has(id),
};

function req(fields: Record<string, unknown>): ChatRequest {
  return ChatRequest.parse({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'What is 2+2?' }], ...fields });
}

function errorOf(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('selectTechnique: model-name prefix', () => {
  it('takes the technique off the model name', () => {
    const out = selectTechnique(req({ model: 'moa-gpt-4o-mini' }), deps);
    expect(out.selection).toEqual({ spec: 'moa', options: {}, source: 'prefix' });
    expect(out.request.model).toBe('gpt-4o-mini');
  });

  it('accepts combinations and routing models after the prefix', () => {
    expect(selectTechnique(req({ model: 're2&moa-auto' }), deps).selection?.spec).toBe('re2&moa');
    expect(selectTechnique(req({ model: 're2|self_consistency-sim-mini' }), deps)).toMatchObject({
      selection: { spec: 're2|self_consistency' },
      request: { model: 'sim-mini' },
    });
  });

  it('lets a configured model id win over a technique-looking prefix', () => {
    const out = selectTechnique(req({ model: 'moa-legacy' }), deps);
    expect(out.selection).toBeUndefined();
    expect(out.request.model).toBe('moa-legacy');
  });

  it('is not a prefix when the rest is no model, or the word is no technique', () => {
    expect(selectTechnique(req({ model: 'moa-unknown-model' }), deps).selection).toBeUndefined();
    expect(selectTechnique(req({ model: 'gpt-4o-mini-2024' }), deps).selection).toBeUndefined();
    expect(selectTechnique(req({ model: 'fancy-gpt-4o-mini' }), deps).request.model).toBe('fancy-gpt-4o-mini');
  });

  it('reports unknown names inside a combination prefix with the valid list', () => {
    const err = errorOf(() => selectTechnique(req({ model: 're2&bogus-gpt-4o-mini' }), deps));
    expect(err.status).toBe(400);
    expect(err.code).toBe('unknown_technique');
    expect(err.param).toBe('model');
    expect(err.message).toContain("'bogus'");
    expect(err.message).toContain('none, re2, moa, self_consistency');
  });
});

describe('selectTechnique: optillm_approach body field', () => {
  it('reads the field, takes the options and removes both from the request', () => {
    const out = selectTechnique(req({ optillm_approach: ' self_consistency ', optillm_options: { k: 5 } }), deps);
    expect(out.selection).toEqual({ spec: 'self_consistency', options: { k: 5 }, source: 'body' });
    expect(out.request).not.toHaveProperty('optillm_approach');
    expect(out.request).not.toHaveProperty('optillm_options');
    expect(out.request.model).toBe('gpt-4o-mini');
  });

  it('normalizes spaces around combinators', () => {
    expect(selectTechnique(req({ optillm_approach: 're2 & moa' }), deps).selection?.spec).toBe('re2&moa');
  });

  it('refuses an unknown name, a non-string and bad options with 400s', () => {
    const unknown = errorOf(() => selectTechnique(req({ optillm_approach: 'magic' }), deps));
    expect(unknown).toMatchObject({ status: 400, code: 'unknown_technique', param: 'optillm_approach' });
    expect(unknown.message).toContain('Valid techniques: none, re2, moa, self_consistency');
    expect(errorOf(() => selectTechnique(req({ optillm_approach: 3 }), deps))).toMatchObject({ status: 400, param: 'optillm_approach' });
    expect(errorOf(() => selectTechnique(req({ optillm_approach: 'moa', optillm_options: { k: 'five' } }), deps))).toMatchObject({
      status: 400,
      code: 'invalid_technique_options',
      param: 'optillm_options',
    });
    expect(errorOf(() => selectTechnique(req({ optillm_approach: 'moa', optillm_options: [1] }), deps)).code).toBe('invalid_technique_options');
  });

  it('refuses options without a technique', () => {
    expect(errorOf(() => selectTechnique(req({ optillm_options: { k: 3 } }), deps)).code).toBe('invalid_technique_options');
  });
});

describe('selectTechnique: <optillm_approach> tag', () => {
  it('reads the tag from the system message and drops a system message that only carried it', () => {
    const out = selectTechnique(
      req({
        messages: [
          { role: 'system', content: '<optillm_approach>re2</optillm_approach>' },
          { role: 'user', content: 'Hi' },
        ],
      }),
      deps,
    );
    expect(out.selection).toEqual({ spec: 're2', options: {}, source: 'tag' });
    expect(out.request.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('reads the tag from a user message and strips it from what is sent', () => {
    const out = selectTechnique(req({ messages: [{ role: 'user', content: '<optillm_approach>moa</optillm_approach> What is 2+2?' }] }), deps);
    expect(out.selection?.spec).toBe('moa');
    expect(out.request.messages).toEqual([{ role: 'user', content: 'What is 2+2?' }]);
  });

  it('strips tags from text parts of array content', () => {
    const out = selectTechnique(
      req({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Question: <optillm_approach>re2</optillm_approach>' },
              { type: 'image_url', image_url: { url: 'https://example.test/a.png' } },
            ],
          },
        ],
      }),
      deps,
    );
    expect(out.selection?.spec).toBe('re2');
    expect(out.request.messages[0]?.content).toEqual([
      { type: 'text', text: 'Question:' },
      { type: 'image_url', image_url: { url: 'https://example.test/a.png' } },
    ]);
  });

  it('leaves assistant messages alone and refuses an unknown tagged technique', () => {
    const assistant = { role: 'assistant', content: 'I saw <optillm_approach>moa</optillm_approach> once' };
    const out = selectTechnique(req({ messages: [assistant, { role: 'user', content: 'ok' }] }), deps);
    expect(out.selection).toBeUndefined();
    expect(out.request.messages[0]).toEqual(assistant);
    const err = errorOf(() => selectTechnique(req({ messages: [{ role: 'user', content: '<optillm_approach>zzz</optillm_approach>hi' }] }), deps));
    expect(err).toMatchObject({ status: 400, code: 'unknown_technique', param: 'messages' });
  });

  it('ranks prefix over body over tag, and strips every selector', () => {
    const tagged = [{ role: 'user', content: '<optillm_approach>re2</optillm_approach>Q' }];
    const all = selectTechnique(req({ model: 'moa-gpt-4o-mini', optillm_approach: 'self_consistency', messages: tagged }), deps);
    expect(all.selection?.source).toBe('prefix');
    expect(all.request.messages[0]?.content).toBe('Q');
    expect(all.request).not.toHaveProperty('optillm_approach');
    expect(selectTechnique(req({ optillm_approach: 'self_consistency', messages: tagged }), deps).selection?.source).toBe('body');
  });
});

describe('selectTechnique: no selector', () => {
  it('returns the request as it was', () => {
    const body = req({ temperature: 0.3 });
    const out = selectTechnique(body, deps);
    expect(out.selection).toBeUndefined();
    expect(out.request).toEqual(body);
  });
});
