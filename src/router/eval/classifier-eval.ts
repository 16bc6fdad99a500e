import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TASK_TYPES, TaskType } from '../../config/enums.ts';
import { ChatMessage } from '../../providers/chat-schema.ts';
import { analyzePrompt } from '../analyze/analyze-prompt.ts';

/**
 * Accuracy of the task classifier and the language guess on hand-labelled prompts
 * (`aigw eval classifier`). The split is fixed by each id's hash, so adding items never moves old ones
 * between dev and test: the classifier is tuned looking at dev errors only, and test is reported.
 */

export const DEFAULT_CLASSIFIER_FIXTURE = fileURLToPath(new URL('../../../test/fixtures/task-classifier.yaml', import.meta.url));

const LabelledPrompt = z
  .object({
    id: z.string().min(1),
    task: TaskType,
    lang: z.string().min(2),
    prompt: z.string().optional(),
    messages: z.array(ChatMessage).min(1).optional(),
  })
  .refine((p) => (p.prompt === undefined) !== (p.messages === undefined), { message: 'needs exactly one of "prompt" and "messages"' });
export type LabelledPrompt = z.infer<typeof LabelledPrompt>;

export type Split = 'dev' | 'test';

/** FNV-1a of the id; one id in three (hash mod 3 = 0) is test. */
export function splitOf(id: string): Split {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 3 === 0 ? 'test' : 'dev';
}

/** Reads a YAML list or JSONL rows of {id, task, lang, prompt | messages}. */
export function loadLabelledPrompts(file: string): LabelledPrompt[] {
  const text = readFileSync(file, 'utf8');
  const raw: unknown[] = /\.ya?ml$/i.test(file)
    ? z.array(z.unknown()).parse(parseYaml(text))
    : text.split('\n').flatMap((line, i) => {
        if (line.trim() === '') return [];
        try {
          return [JSON.parse(line) as unknown];
        } catch {
          throw new Error(`${file}:${i + 1}: not valid JSON`);
        }
      });
  const ids = new Set<string>();
  return raw.map((row, i) => {
    const parsed = LabelledPrompt.safeParse(row);
    if (!parsed.success) throw new Error(`${file}: item ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    if (ids.has(parsed.data.id)) throw new Error(`${file}: duplicate id ${parsed.data.id}`);
    ids.add(parsed.data.id);
    return parsed.data;
  });
}

export interface ClassifiedPrompt {
  id: string;
  split: Split;
  task: TaskType;
  predicted: TaskType;
  lang: string;
  predictedLang: string;
}

export function classifyLabelled(items: readonly LabelledPrompt[]): ClassifiedPrompt[] {
  return items.map((item) => {
    const analysis = analyzePrompt(item.messages ?? [{ role: 'user', content: item.prompt! }]);
    return { id: item.id, split: splitOf(item.id), task: item.task, predicted: analysis.taskType, lang: item.lang, predictedLang: analysis.language };
  });
}

export interface Accuracy {
  correct: number;
  total: number;
  /** correct / total, or null when there is nothing to score. */
  accuracy: number | null;
}

export interface ClassifierReport {
  all: Accuracy;
  dev: Accuracy;
  test: Accuracy;
  byTask: Array<{ task: TaskType; all: Accuracy; dev: Accuracy; test: Accuracy }>;
  language: Accuracy;
  byLanguage: Array<{ lang: string; task: Accuracy; language: Accuracy }>;
}

function accuracy(rows: readonly ClassifiedPrompt[], right: (r: ClassifiedPrompt) => boolean): Accuracy {
  const correct = rows.filter(right).length;
  return { correct, total: rows.length, accuracy: rows.length > 0 ? correct / rows.length : null };
}

const taskRight = (r: ClassifiedPrompt) => r.predicted === r.task;

export function summarizeClassifier(rows: readonly ClassifiedPrompt[]): ClassifierReport {
  const bySplit = (split: Split) => rows.filter((r) => r.split === split);
  const langs = [...new Set(rows.map((r) => r.lang))].sort();
  return {
    all: accuracy(rows, taskRight),
    dev: accuracy(bySplit('dev'), taskRight),
    test: accuracy(bySplit('test'), taskRight),
    byTask: TASK_TYPES.filter((t) => rows.some((r) => r.task === t)).map((task) => {
      const of = rows.filter((r) => r.task === task);
      return {
        task,
        all: accuracy(of, taskRight),
        dev: accuracy(
          of.filter((r) => r.split === 'dev'),
          taskRight,
        ),
        test: accuracy(
          of.filter((r) => r.split === 'test'),
          taskRight,
        ),
      };
    }),
    language: accuracy(rows, (r) => r.predictedLang === r.lang),
    byLanguage: langs.map((lang) => {
      const of = rows.filter((r) => r.lang === lang);
      return { lang, task: accuracy(of, taskRight), language: accuracy(of, (r) => r.predictedLang === r.lang) };
    }),
  };
}

const pct = (a: Accuracy) => (a.accuracy === null ? 'n/a' : `${(a.accuracy * 100).toFixed(1)}% (${a.correct}/${a.total})`);

/** The report as markdown tables (what docs/router.md shows). */
export function formatClassifierReport(report: ClassifierReport): string[] {
  const lines = ['| task type | all | dev | test |', '| --- | --- | --- | --- |'];
  for (const t of report.byTask) lines.push(`| ${t.task} | ${pct(t.all)} | ${pct(t.dev)} | ${pct(t.test)} |`);
  lines.push(`| **overall** | **${pct(report.all)}** | ${pct(report.dev)} | **${pct(report.test)}** |`);
  lines.push('', '| language | prompts | task type right | language detected |', '| --- | --- | --- | --- |');
  for (const l of report.byLanguage) lines.push(`| ${l.lang} | ${l.task.total} | ${pct(l.task)} | ${pct(l.language)} |`);
  lines.push(`| **all** | ${report.language.total} | ${pct(report.all)} | ${pct(report.language)} |`);
  return lines;
}

/** Misclassified prompts of one split, for tuning on dev (`--errors dev`). */
export function formatErrors(rows: readonly ClassifiedPrompt[], split: Split): string[] {
  return rows
    .filter((r) => r.split === split && (r.predicted !== r.task || r.predictedLang !== r.lang))
    .map(
      (r) =>
        `${r.id}: task ${r.task}${r.predicted === r.task ? '' : ` → ${r.predicted}`}, lang ${r.lang}${r.predictedLang === r.lang ? '' : ` → ${r.predictedLang}`}`,
    );
}
