import { runTrainCommand } from '/work/main/src/router/predictor/train-command.ts';
const D = '/work/shared/data/';
const t = Date.now();
const r = runTrainCommand({ data: ['mmlu-dev', 'routerbench-arc-challenge-train', 'routerbench-winogrande-train', 'routerbench-mbpp-train'].map((f) => `${D}${f}.jsonl`), out: '/work/main/models/router-default.json', seed: 42 });
console.log(r, Date.now() - t, 'ms');
