import { describe, expect, it } from 'vitest';
import { parseConfig } from '../load-config.ts';
import { shippedQualityPriors } from './quality-priors.ts';

describe('shipped quality priors', () => {
  it('find a model under the names providers and servers give it', () => {
    const mini = shippedQualityPriors(['gpt-4o-mini'])!;
    expect(shippedQualityPriors(['gpt-4o-mini-2024-07-18'])!.priors).toEqual(mini.priors);
    expect(mini.source).toContain('simple-evals');
    const llama8 = shippedQualityPriors(['llama-3.1-8b'])!.priors;
    expect(shippedQualityPriors(['llama3.1:8b'])!.priors).toEqual(llama8);
    expect(shippedQualityPriors(['llama-3.1-8b-instant'])!.priors).toEqual(llama8);
    expect(shippedQualityPriors(['meta-llama/Meta-Llama-3.1-70B-Instruct'])!.priors).toEqual(shippedQualityPriors(['llama-3.1-70b'])!.priors);
  });

  it('give a dated snapshot only its own published numbers', () => {
    expect(shippedQualityPriors(['claude-3-5-sonnet-20240620'])).toBeDefined();
    // The October release was never in the table: the June numbers do not stand in for it.
    expect(shippedQualityPriors(['claude-3-5-sonnet-20241022'])).toBeUndefined();
    expect(shippedQualityPriors(['gpt-4o-2024-11-20'])!.priors.math).not.toBe(shippedQualityPriors(['gpt-4o'])!.priors.math);
  });

  it('order models as their published scores do', () => {
    const p = (id: string) => shippedQualityPriors([id])!.priors;
    expect(p('o4-mini').math!).toBeGreaterThan(p('gpt-4o-mini').math!);
    expect(p('gpt-4.1').coding!).toBeGreaterThan(p('llama-3.1-8b').coding!);
    expect(p('llama-3.1-405b').qa!).toBeGreaterThan(p('llama-3.1-70b').qa!);
  });

  it('fill a config entry without quality, and never one that has it', () => {
    const config = parseConfig({
      providers: [{ id: 'openai', type: 'openai', base_url: 'https://api.openai.com/v1' }],
      models: [
        { id: 'gpt-4o-mini', provider: 'openai' },
        { id: 'gpt-4.1', provider: 'openai', quality: { default: 0.5 } },
      ],
    });
    expect(config.models[0]!.quality).toEqual(shippedQualityPriors(['gpt-4o-mini'])!.priors);
    expect(config.models[0]!.sources?.['quality']).toContain('aigw priors');
    expect(config.models[1]!.quality).toEqual({ default: 0.5 });
    expect(config.models[1]!.sources?.['quality']).toBeUndefined();
  });
});
