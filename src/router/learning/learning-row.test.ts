import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { DENSE_FEATURE_NAMES } from '../analyze/dense-features.ts';
import { decodeFeatures, encodeFeatures } from './learning-row.ts';
import { PROMPTS } from './learning.test-support.ts';

const base64 = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');

describe('encodeFeatures', () => {
  it('writes the same text as JSON.stringify of the encoded object, so stored rows keep one format', () => {
    for (const prompt of PROMPTS) {
      const features = analyzePromptText(prompt).features;
      const reference = JSON.stringify({
        dn: DENSE_FEATURE_NAMES,
        dv: base64(Float32Array.from(DENSE_FEATURE_NAMES, (n) => features.dense[n] ?? 0)),
        hi: base64(features.hashedIdx),
        hv: base64(features.hashedVal),
        ...(features.textIdx && features.textVal ? { ti: base64(features.textIdx), tv: base64(features.textVal) } : {}),
      });
      expect(encodeFeatures(features)).toBe(reference);
    }
  });

  it('reads back what it wrote, rows after rows (the dense scratch array is reused)', () => {
    const all = PROMPTS.map((p) => analyzePromptText(p).features);
    const texts = all.map(encodeFeatures);
    texts.forEach((text, i) => {
      const back = decodeFeatures(text);
      expect([...back.hashedIdx]).toEqual([...all[i]!.hashedIdx]);
      expect([...back.hashedVal]).toEqual([...all[i]!.hashedVal]);
      for (const name of DENSE_FEATURE_NAMES) expect(back.dense[name]).toBeCloseTo(all[i]!.dense[name] ?? 0, 5);
    });
  });

  it('leaves out the text buckets when the features have none', () => {
    const { textIdx: _ti, textVal: _tv, ...plain } = analyzePromptText(PROMPTS[0]!).features;
    const back = decodeFeatures(encodeFeatures(plain));
    expect(back.textIdx).toBeUndefined();
  });
});
