import { TEAMS } from './fillers.ts';
import { assistant, functionTool, single, system, user, type PromptTemplate } from './template.ts';

const LANGS = ['Python', 'TypeScript', 'Go', 'Rust', 'Java', 'Ruby'] as const;
const TASKS = [
  'checks whether a string is a palindrome, ignoring punctuation',
  'merges two sorted lists',
  'parses a CSV line that may contain quoted commas',
  'returns the n-th Fibonacci number iteratively',
  'deduplicates a list while keeping the original order',
  'groups words by their anagram',
  'validates an email address without a regex library',
  'computes a moving average over a window',
  'flattens a nested dictionary into dotted keys',
  'retries an async call with exponential backoff',
  'converts a Roman numeral to an integer',
  'finds the longest common prefix of strings',
] as const;

const BUGGY = [
  'def average(xs):\n    return sum(xs) / len(xs) - 1',
  'function last(arr) {\n  return arr[arr.length];\n}',
  'for i in range(1, len(items)):\n    print(items[i])  # should print every item',
  'const total = prices.reduce((a, b) => a + b);  // crashes on empty arrays',
  'if user.age > 18 or user.age == 18 and user.verified:\n    allow()',
] as const;

export const CODING_TEMPLATES: PromptTemplate[] = [
  { name: 'write-function', build: (p) => single(`Write a ${p.one(LANGS)} function that ${p.one(TASKS)}.`) },
  {
    name: 'write-with-tests',
    build: (p) =>
      single(
        `Write a ${p.one(LANGS)} function that ${p.one(TASKS)}, plus unit tests for the edge cases.`,
        'You are a senior engineer. Return code only, in one fenced block per file.',
      ),
  },
  { name: 'find-bug', build: (p) => single(`Find the bug in this code and fix it:\n\n\`\`\`\n${p.one(BUGGY)}\n\`\`\``) },
  {
    name: 'sql-query',
    build: (p) =>
      single(
        `Write a SQL query: for a table orders(id, customer_id, total_usd, created_at), return the top ${p.int(3, 10)} customers by total spend in the last ${p.one([7, 30, 90])} days.`,
      ),
  },
  {
    name: 'regex',
    build: (p) =>
      single(
        `Write a regex that matches ${p.one(['UK postcodes', 'ISO 8601 dates', 'hex colour codes like #fff or #a1b2c3', 'semantic version strings like 1.2.3-beta.1', 'IPv4 addresses'])} and explain each part.`,
      ),
  },
  {
    name: 'explain-code',
    build: (p) =>
      single(
        `Explain what this ${p.one(LANGS)}-like snippet does, line by line:\n\n\`\`\`\nconst seen = new Map();\nfor (const [k, v] of entries) {\n  if (!seen.has(k) || seen.get(k) < v) seen.set(k, v);\n}\nreturn [...seen].sort((a, b) => b[1] - a[1]).slice(0, ${p.int(3, 10)});\n\`\`\``,
      ),
  },
  {
    name: 'refactor',
    build: (p) =>
      single(
        `Refactor this function to be readable and testable, in ${p.one(LANGS)}:\n\n\`\`\`\nfunction p(o){let r=0;for(let i=0;i<o.l.length;i++){if(o.l[i].s=='paid'){r+=o.l[i].a*(o.t?1.2:1)}}return Math.round(r*100)/100}\n\`\`\``,
      ),
  },
  {
    name: 'stack-trace',
    build: (p) =>
      single(
        `I get this stack trace in the ${p.one(TEAMS)} service. What is the likely cause?\n\n\`\`\`\nTypeError: Cannot read properties of undefined (reading '${p.one(['id', 'length', 'map', 'email'])}')\n    at buildResponse (src/handlers/${p.one(['orders', 'users', 'invoices'])}.ts:${p.int(20, 300)}:${p.int(5, 40)})\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)\n\`\`\``,
      ),
  },
  {
    name: 'bash-script',
    build: (p) =>
      single(
        `Write a bash script that ${p.one(['finds files larger than 100 MB under a directory and lists them by size', 'backs up a directory to a dated tar.gz and keeps the last 7', 'checks every URL in a file and prints the ones that do not return 200', 'renames all .jpeg files to .jpg recursively'])}.`,
      ),
  },
  {
    name: 'review-iteration',
    build: (p) => {
      const lang = p.one(LANGS);
      const task = p.one(TASKS);
      return {
        messages: [
          user(`Write a ${lang} function that ${task}.`),
          assistant(`Here is a first version; it handles the common case but not empty input.`),
          user(`Now make it handle empty input and ${p.one(['very large inputs', 'unicode', 'null values', 'concurrent callers'])}, and add type annotations.`),
        ],
      };
    },
  },
  {
    name: 'code-tool',
    build: (p) => ({
      messages: [user(`Run the ${p.one(TEAMS)} test suite and tell me which tests fail.`)],
      tools: [functionTool('run_tests', 'Run a test suite in the repository.', { suite: { type: 'string' }, only_failed: { type: 'boolean' } }, ['suite'])],
    }),
  },
  {
    name: 'api-design',
    build: (p) =>
      single(
        `Design a REST API for a ${p.one(['library loan system', 'parking reservation app', 'team expense tracker', 'recipe sharing site'])}: list the endpoints, methods and example JSON bodies.`,
      ),
  },
  {
    name: 'complexity',
    build: (p) => single(`What is the time and space complexity of a function that ${p.one(TASKS)}, written the obvious way? Can it be done better?`),
  },
  {
    name: 'json-schema',
    build: (p) => ({
      messages: [
        system('Reply with a JSON Schema (draft 2020-12) as a JSON object only.'),
        user(
          `Write a JSON Schema for a ${p.one(['user profile with optional address', 'purchase order with line items', 'blog post with tags and author', 'sensor reading with unit and timestamp'])}.`,
        ),
      ],
      jsonMode: true,
    }),
  },
];
