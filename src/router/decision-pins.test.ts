import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatewayConfig } from '../config/schema.ts';
import { techniqueBounds } from '../optimizer/run-technique.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import { DATA_FLEET, DEFAULT_FLEET, fleetCatalog } from '../sim/fleet.ts';
import { analyzePrompt } from './analyze/analyze-prompt.ts';
import { LiveStats } from './live-stats.ts';
import { loadPredictor } from './predictor/load-predictor.ts';
import { createRouter } from './router.ts';
import { syntheticPrompt } from './synthetic-prompt.test-support.ts';

/**
 * Pins the shipped router's analysis, predictions and decisions for a fixed set of prompts, bit for bit:
 * the decision's speed work (analysis scratch, hashing, the predictor's serving layout, policy caches)
 * must not move a single prediction. The pinned values live in decision-pins.json.
 *
 * A deliberate change of what the router computes (a retrained model file, new features, a new policy)
 * changes the pins: check the diff is the one intended, then rewrite them with
 * `npx vitest run src/router/decision-pins.test.ts -u`.
 */

const user = (content: string): ChatMessage[] => [{ role: 'user', content }];

const PROMPTS: Record<string, ChatMessage[]> = {
  'bench-overhead': [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'What is the capital of France? Answer in one word.' },
  ],
  empty: user(''),
  'one-word': user('hi'),
  summarize: user(
    'Summarize this article in three sentences:\n\nThe city council voted on Tuesday to expand the bike lane network by 40 kilometres over the next two years. Supporters said the plan would reduce traffic deaths, while shop owners argued that removing parking would hurt business. The council set aside $12 million and promised a review after the first year.',
  ),
  'analysis-multistep': user(
    'Compare the three vendor proposals step by step, weigh the risks of each, and recommend one with detailed reasons. Consider cost, lock-in, security and the migration effort.',
  ),
  'word-problem': user('A train leaves at 3pm at 60 mph and another leaves the same station at 4pm at 80 mph. When does the second train catch up?'),
  equation: user('Solve for x: 3x + 7 = 22'),
  apples: user('Alice has 5 apples and gives 2 to Bob, then buys 7 more. How many apples does she have?'),
  integral: user('Compute the integral of x^2 * sin(x) dx from 0 to pi and show each step.'),
  'code-write': user('Write a Python function that returns the longest palindromic substring of a string, with tests.'),
  'code-review': user(
    'Review this code for bugs:\n\n```ts\nexport function sum(xs: number[]) {\n  let s = 0;\n  for (let i = 0; i <= xs.length; i++) s += xs[i];\n  return s;\n}\n```',
  ),
  sql: user('Write a SQL query that returns the ten customers with the highest total order value in 2024, with their email.'),
  'extract-json': user(
    'Extract the name, date and amount from this invoice as JSON: "Invoice 2231 — ACME GmbH, issued 3 March 2025, total due EUR 1,240.50, payable within 30 days."',
  ),
  classify: user('Classify the sentiment of this review as positive, negative or neutral: "The battery died after two days and support never answered."'),
  'translate-fr': user('Traduis en français : "The meeting has been moved to Thursday afternoon because the CEO is travelling."'),
  'translate-es': user('Traduce al inglés: "El informe trimestral muestra un aumento del 12% en las ventas en línea."'),
  german: user('Erkläre mir bitte, wie eine Wärmepumpe im Winter funktioniert und warum sie effizienter als eine Gasheizung ist.'),
  chinese: user('请用三句话解释什么是量子纠缠，并举一个日常生活中的比喻。'),
  japanese: user('来週の会議の議題を五つ提案してください。チームは新しい製品の発売準備をしています。'),
  poem: user('Write a short poem about autumn rain on a city street.'),
  email: user('Draft a polite email to my landlord asking to fix the heating, which has been broken for a week.'),
  brainstorm: user('Brainstorm ten names for a coffee shop that is also a bookshop.'),
  'mc-question': user('Which of the following is a prime number?\nA. 21\nB. 27\nC. 29\nD. 33\nAnswer with the letter only.'),
  'fill-blank': user('The capital of Australia is ____ .'),
  'multi-turn': [
    { role: 'user', content: 'I am planning a trip to Lisbon in May.' },
    { role: 'assistant', content: 'Great choice! May is a lovely time to visit. What would you like to know?' },
    { role: 'user', content: 'What neighbourhoods should I stay in if I like food and walking?' },
  ],
  'agent-turn': [
    {
      role: 'system',
      content:
        'You are a support agent for a bank. Tools: lookup_account(id), freeze_card(id), open_ticket(summary). Never reveal internal notes. Always confirm the customer identity before acting.',
    },
    { role: 'user', content: 'My card was stolen an hour ago, please block it. My account id is 55-1209.' },
    { role: 'assistant', content: 'I can help with that. Can you confirm your date of birth?' },
    { role: 'user', content: '14 February 1987' },
  ],
  'tool-message': [
    { role: 'user', content: 'What is the weather in Oslo?' },
    { role: 'assistant', content: 'Let me check.' },
    { role: 'tool', content: '{"temp_c": -3, "sky": "snow"}', tool_call_id: 'call_1' },
    { role: 'user', content: 'So should I take the bike?' },
  ] as ChatMessage[],
  'text-parts': [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Describe the differences between TCP and UDP.' },
        { type: 'text', text: 'Keep it brief and use a bullet list.' },
      ],
    },
  ] as ChatMessage[],
  'urls-headings': user('# Task\n\nRead https://example.com/spec and https://example.org/rfc and list the breaking changes.\n\n## Output\n\n- one bullet each'),
  'long-1k': user(syntheticPrompt(1_000, 1)),
  'long-3k': user(syntheticPrompt(3_000, 2)),
  'long-8k': user(syntheticPrompt(8_000, 3)),
  'long-80k': [
    { role: 'system', content: 'You are a careful assistant. Answer precisely.' },
    { role: 'user', content: syntheticPrompt(80_000, 4) },
  ],
  'long-cjk': user('以下の文章を要約してください。\n\n' + '東京の人口は増え続けており、交通機関の混雑が深刻な問題になっている。'.repeat(60)),
};

function digest(...arrays: ArrayBufferView[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 32);
}

function pins(order: readonly string[] = Object.keys(PROMPTS)): Record<string, unknown> {
  const predictor = loadPredictor();
  const data = fleetCatalog(DATA_FLEET, 'http://127.0.0.1:4100', { providerId: 'sim-data' });
  const sim = fleetCatalog(DEFAULT_FLEET, 'http://127.0.0.1:4100', { providerId: 'sim' });
  const parsed = GatewayConfig.parse({ providers: [...data.providers, ...sim.providers], models: [...data.models, ...sim.models] });
  // As the gateway builds its router (gateway/build-router.ts): embedding models are never routed to.
  const config = { ...parsed, models: parsed.models.filter((m) => m.kind === 'chat') };
  const analyze = (messages: readonly ChatMessage[]) =>
    analyzePrompt(messages, { difficulty: (features, taskType) => predictor.difficultyPercentile(features, taskType) });
  const router = createRouter({ config, predictor, analyze, liveStats: new LiveStats(), techniqueBounds });
  const out: Record<string, unknown> = { routerVersion: router.version };
  for (const name of order) {
    const messages = PROMPTS[name]!;
    const a = analyze(messages);
    const f = a.features;
    const decisions: Record<string, unknown> = {};
    for (const routingModel of Object.keys(config.routing.virtual_models)) {
      const outcome = router.decide({ routingModel, messages, requestId: `pin-${name}` });
      if (!outcome.ok) {
        decisions[routingModel] = { message: outcome.message };
        continue;
      }
      const d = outcome.decision;
      decisions[routingModel] = {
        chosen: d.technique ? `${d.chosenModel} + ${d.technique.spec}` : d.chosenModel,
        fallbacks: d.fallbacks.join(' '),
        constraints: d.constraints,
        rulesFired: d.rulesFired,
        rationale: d.rationale,
        candidates: createHash('sha256').update(JSON.stringify(d.candidates)).digest('hex').slice(0, 32),
      };
    }
    out[name] = {
      taskType: a.taskType,
      language: a.language,
      promptTokens: a.promptTokens,
      complexity: a.complexity,
      dense: createHash('sha256').update(JSON.stringify(f.dense)).digest('hex').slice(0, 32),
      hashed: `${f.hashedIdx.length} ${digest(f.hashedIdx, f.hashedVal)}`,
      text: f.textIdx && f.textVal ? `${f.textIdx.length} ${digest(f.textIdx, f.textVal)}` : null,
      trust: predictor.trust(a).trust,
      predictions: predictor.predict(a, config.models),
      decisions,
    };
  }
  return out;
}

describe('the shipped router, pinned', () => {
  it('analyzes, predicts and decides exactly as pinned in decision-pins.json', async () => {
    await expect(`${JSON.stringify(pins(), null, 1)}\n`).toMatchFileSnapshot('./decision-pins.json');
  });

  it('gives the same answers when the prompts come in another order (no state leaks between calls)', () => {
    const forward = pins();
    const backward = pins(Object.keys(PROMPTS).reverse());
    for (const name of Object.keys(PROMPTS)) expect(backward[name], name).toEqual(forward[name]);
  });
});
