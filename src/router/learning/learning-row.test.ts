import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { DENSE_FEATURE_NAMES } from '../analyze/dense-features.ts';
import { decodeFeatures, denseVocabularyId, encodeFeatures } from './learning-row.ts';
import { PROMPTS } from './learning.test-support.ts';

const base64 = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');

describe('encodeFeatures', () => {
  it('writes the same text as JSON.stringify of the encoded object, so stored rows keep one format', () => {
    for (const prompt of PROMPTS) {
      const features = analyzePromptText(prompt).features;
      const reference = JSON.stringify({
        dk: denseVocabularyId(DENSE_FEATURE_NAMES),
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

describe('the dense vocabulary of a learning row', () => {
  it('is an id, not the names; changing DENSE_FEATURE_NAMES changes it (keep the old list in DENSE_VOCABULARIES)', () => {
    const text = encodeFeatures(analyzePromptText(PROMPTS[0]!).features);
    expect(text.startsWith('{"dk":"d68a4f9b4","dv":"')).toBe(true);
    expect(text).not.toContain(DENSE_FEATURE_NAMES[0]);
    expect(denseVocabularyId(DENSE_FEATURE_NAMES)).toBe('d68a4f9b4');
    expect(denseVocabularyId(DENSE_FEATURE_NAMES.slice(1))).not.toBe('d68a4f9b4');
  });

  it('reads rows written with the names themselves (before the id), in their order', () => {
    const features = analyzePromptText(PROMPTS[1]!).features;
    const names = [...DENSE_FEATURE_NAMES].reverse();
    const old = JSON.stringify({
      dn: names,
      dv: base64(Float32Array.from(names, (n) => features.dense[n] ?? 0)),
      hi: base64(features.hashedIdx),
      hv: base64(features.hashedVal),
    });
    const back = decodeFeatures(old);
    for (const name of DENSE_FEATURE_NAMES) expect(back.dense[name]).toBeCloseTo(features.dense[name] ?? 0, 5);
    expect([...back.hashedIdx]).toEqual([...features.hashedIdx]);
  });

  it('refuses a row whose vocabulary it does not know', () => {
    expect(() => decodeFeatures('{"dk":"d00000000","dv":"","hi":"","hv":""}')).toThrow(/unknown dense feature vocabulary d00000000/);
  });
});
