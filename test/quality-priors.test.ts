import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../src/config/enums.ts';
import { QUALITY_PRIORS_PATH, type QualityPriorsFile } from '../src/config/known-models/quality-priors.ts';
import { meanProbability } from '../src/router/predictor/ability.ts';
import { loadPredictor } from '../src/router/predictor/load-predictor.ts';

// The shipped priors are read on the trained predictor's scale: a retrained predictor needs them rebuilt.
describe('models/quality-priors.json', () => {
  it('are calibrated against the shipped predictor (else run `npm run priors:build`)', () => {
    const file = JSON.parse(readFileSync(QUALITY_PRIORS_PATH, 'utf8')) as QualityPriorsFile;
    const predictor = loadPredictor();
    const anchor = file.models.find((m) => m.id === file.anchor)!;
    for (const task of TASK_TYPES) {
      const trained = meanProbability(predictor.ability({ id: anchor.id }, task), predictor.typical);
      expect(Math.abs(anchor.priors[task]! - trained), `${task}: priors built for another predictor than ${predictor.version}`).toBeLessThanOrEqual(0.006);
    }
  });
});
