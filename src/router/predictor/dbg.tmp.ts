import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { IrtQualityPredictor } from './irt-predictor.ts';
import { trainPredictor } from './train.ts';
const rows = [] as any[];
for (let i = 0; i < 240; i++) { const code = i % 2 === 0; rows.push({ id: 'r' + i, prompt: code ? `Write a Python function that sorts a list${i % 8} and returns it.` : `Write a short poem about rain${i % 8} with vivid imagery.`, scores: { coder: code ? 1 : 0, poet: code ? 0 : 1, big: i % 5 === 0 ? 0 : 1 } }); }
for (const refitAll of [false, true]) {
const file = trainPredictor(rows, { seed: 3, epochs: 4, refitAll });
console.log(JSON.stringify(Object.fromEntries(Object.entries(file.models).map(([k, v]) => [k, { ...v, residual: v.residual?.bias }]))));
const p = new IrtQualityPredictor(file, 't');
const a = analyzePromptText('Write a Python function that reverses a string.');
console.log(a.taskType, p.predict(a, [{ id: 'coder' }, { id: 'poet' }]));
}
