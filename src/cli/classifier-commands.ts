import type { Command } from 'commander';
import {
  classifyLabelled,
  DEFAULT_CLASSIFIER_FIXTURE,
  formatClassifierReport,
  formatErrors,
  loadLabelledPrompts,
  summarizeClassifier,
} from '../router/eval/classifier-eval.ts';

/** `aigw eval classifier`: task-type and language accuracy on hand-labelled prompts. */
export function registerClassifierEval(evalCommand: Command): void {
  evalCommand
    .command('classifier')
    .description('accuracy of the task classifier and language guess per task type, on labelled prompts (dev and held-out test split)')
    .option('-i, --input <file>', 'YAML list or JSONL of {id, task, lang, prompt | messages}', DEFAULT_CLASSIFIER_FIXTURE)
    .option('--errors <split>', 'also list the misclassified prompts of this split (dev | test)')
    .option('--json', 'print the report as JSON')
    .action((opts: { input: string; errors?: string; json?: boolean }) => {
      const rows = classifyLabelled(loadLabelledPrompts(opts.input));
      const report = summarizeClassifier(rows);
      if (opts.json) console.log(JSON.stringify(report, null, 2));
      else for (const line of formatClassifierReport(report)) console.log(line);
      if (opts.errors === 'dev' || opts.errors === 'test') {
        console.log(`\nmisclassified (${opts.errors}):`);
        for (const line of formatErrors(rows, opts.errors)) console.log(`  ${line}`);
      } else if (opts.errors !== undefined) {
        console.error('--errors takes dev or test');
        process.exitCode = 2;
      }
    });
}
