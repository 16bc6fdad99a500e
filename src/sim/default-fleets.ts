import { SimFleet, type SimModelInput } from './fleet-schema.ts';

/**
 * A made-up fleet mirroring today's price/quality spread, from a tiny fast model to a slow reasoner.
 * Every number here is invented but plausible; the ids say "sim" so nobody mistakes them for real models.
 */
// Fleet data: model entries look alike by design (same fields, other numbers); duplicates lists them as same-shape pairs.
export const DEFAULT_FLEET: SimFleet = SimFleet.parse({
  name: 'default',
  description: 'Six simulated models spanning economy to premium (invented prices, speeds and accuracies).',
  models: [
    {
      id: 'sim-nano',
      tier: 'economy',
      pricing: { input: 0.05, output: 0.2 },
      ttft_ms: 150,
      output_tokens_per_s: 180,
      error_rate: 0.01,
      answer_tokens: { mean: 120, sd: 50 },
      accuracy: {
        default: 0.55,
        chat: 0.7,
        classification: 0.75,
        extraction: 0.65,
        translation: 0.6,
        summarization: 0.65,
        qa: 0.5,
        coding: 0.35,
        math: 0.25,
        reasoning: 0.3,
        creative_writing: 0.55,
      },
      context_window: 32_000,
    },
    {
      id: 'sim-mini',
      tier: 'economy',
      pricing: { input: 0.15, output: 0.6 },
      ttft_ms: 250,
      output_tokens_per_s: 120,
      error_rate: 0.01,
      answer_tokens: { mean: 180, sd: 70 },
      accuracy: {
        default: 0.7,
        chat: 0.82,
        classification: 0.85,
        extraction: 0.8,
        translation: 0.78,
        summarization: 0.8,
        qa: 0.68,
        coding: 0.55,
        math: 0.45,
        reasoning: 0.5,
        creative_writing: 0.7,
      },
    },
    {
      id: 'sim-small-code',
      tier: 'economy',
      pricing: { input: 0.2, output: 0.8 },
      ttft_ms: 250,
      output_tokens_per_s: 140,
      error_rate: 0.01,
      answer_tokens: { mean: 220, sd: 90 },
      accuracy: {
        default: 0.6,
        chat: 0.65,
        classification: 0.7,
        extraction: 0.75,
        translation: 0.5,
        summarization: 0.6,
        qa: 0.55,
        coding: 0.84,
        math: 0.55,
        reasoning: 0.5,
        creative_writing: 0.4,
      },
    },
    {
      id: 'sim-standard',
      tier: 'standard',
      pricing: { input: 1.0, output: 4.0 },
      ttft_ms: 400,
      output_tokens_per_s: 80,
      error_rate: 0.005,
      answer_tokens: { mean: 250, sd: 100 },
      accuracy: {
        default: 0.8,
        chat: 0.9,
        classification: 0.9,
        extraction: 0.88,
        translation: 0.87,
        summarization: 0.88,
        qa: 0.8,
        coding: 0.75,
        math: 0.65,
        reasoning: 0.7,
        creative_writing: 0.82,
      },
      context_window: 200_000,
      max_output_tokens: 8_192,
    },
    {
      id: 'sim-large',
      tier: 'premium',
      pricing: { input: 5.0, output: 15.0 },
      ttft_ms: 600,
      output_tokens_per_s: 50,
      error_rate: 0.005,
      answer_tokens: { mean: 320, sd: 120 },
      accuracy: {
        default: 0.9,
        chat: 0.94,
        classification: 0.93,
        extraction: 0.93,
        translation: 0.93,
        summarization: 0.93,
        qa: 0.9,
        coding: 0.88,
        math: 0.8,
        reasoning: 0.85,
        creative_writing: 0.92,
      },
      context_window: 200_000,
      max_output_tokens: 16_384,
      capabilities: ['streaming', 'tools', 'json', 'vision'],
    },
    {
      id: 'sim-reasoner',
      tier: 'premium',
      pricing: { input: 15.0, output: 60.0 },
      ttft_ms: 1_500,
      output_tokens_per_s: 40,
      error_rate: 0.01,
      answer_tokens: { mean: 400, sd: 150 },
      reasoning_tokens: { mean: 1_200, sd: 500 },
      accuracy: {
        default: 0.9,
        chat: 0.88,
        classification: 0.92,
        extraction: 0.9,
        translation: 0.88,
        summarization: 0.88,
        qa: 0.92,
        coding: 0.93,
        math: 0.96,
        reasoning: 0.95,
        creative_writing: 0.8,
      },
      supports_n: false,
      context_window: 200_000,
      max_output_tokens: 32_768,
      capabilities: ['streaming', 'tools', 'json', 'reasoning'],
    },
  ],
  // Two embedding models priced like today's small and large ones (per 1M input tokens).
  embedding_models: [
    { id: 'sim-embed-small', dimensions: 512, pricing: { input: 0.02 } },
    { id: 'sim-embed-large', dimensions: 1536, pricing: { input: 0.13 } },
  ],
});

/*
 * DATA_FLEET: the 11 models of the routing outcome data (shared/data beside the repository), served by the simulator.
 *
 * Prices (USD per 1M tokens) are the public list prices at the time RouterBench was recorded
 * (late 2023): OpenAI (gpt-4-1106-preview $10/$30, gpt-3.5-turbo-1106 $1/$2), Anthropic (Claude 1 and 2
 * $8/$24, Claude Instant $0.80/$2.40) and Together AI serverless per-size pricing for the open models
 * (7B $0.20, 13B $0.30, 34B $0.80 with Code Llama 34B at $0.776, 70B $0.90, Mixtral 8x7B $0.60),
 * as listed by RouterBench (Hu et al. 2024, arXiv 2403.12031). A least-squares fit of the recorded
 * `costs` in routerbench-mbpp-train.jsonl against prompt/response token counts reproduces them
 * within ~4% per model, i.e. these are the prices the recorded costs were billed at.
 *
 * Accuracies are each model's mean score in the train files: qa = ARC-Challenge, reasoning =
 * WinoGrande, coding = MBPP, default = mean of the three. answer_tokens is the MBPP response length
 * (chars/4), the only free-form answers recorded. Latencies are invented (no latency was recorded).
 */
interface DataModelFacts {
  id: string;
  tier: 'economy' | 'standard' | 'premium';
  input: number;
  output: number;
  /** ARC, WinoGrande, MBPP mean scores. */
  arc: number;
  wino: number;
  mbpp: number;
  answerMean: number;
  answerSd: number;
  ttftMs: number;
  tokensPerS: number;
  contextWindow: number;
}

const DATA_MODEL_FACTS: DataModelFacts[] = [
  {
    id: 'gpt-4-1106-preview',
    tier: 'premium',
    input: 10,
    output: 30,
    arc: 0.953,
    wino: 0.86,
    mbpp: 0.686,
    answerMean: 308,
    answerSd: 110,
    ttftMs: 700,
    tokensPerS: 30,
    contextWindow: 128_000,
  },
  {
    id: 'gpt-3.5-turbo-1106',
    tier: 'standard',
    input: 1,
    output: 2,
    arc: 0.83,
    wino: 0.631,
    mbpp: 0.639,
    answerMean: 148,
    answerSd: 57,
    ttftMs: 350,
    tokensPerS: 70,
    contextWindow: 16_385,
  },
  {
    id: 'claude-v1',
    tier: 'premium',
    input: 8,
    output: 24,
    arc: 0.904,
    wino: 0.558,
    mbpp: 0.592,
    answerMean: 159,
    answerSd: 73,
    ttftMs: 900,
    tokensPerS: 35,
    contextWindow: 100_000,
  },
  {
    id: 'claude-v2',
    tier: 'premium',
    input: 8,
    output: 24,
    arc: 0.573,
    wino: 0.478,
    mbpp: 0.642,
    answerMean: 224,
    answerSd: 38,
    ttftMs: 900,
    tokensPerS: 35,
    contextWindow: 100_000,
  },
  {
    id: 'claude-instant-v1',
    tier: 'standard',
    input: 0.8,
    output: 2.4,
    arc: 0.823,
    wino: 0.515,
    mbpp: 0.595,
    answerMean: 178,
    answerSd: 55,
    ttftMs: 400,
    tokensPerS: 80,
    contextWindow: 100_000,
  },
  {
    id: 'mixtral-8x7b-instruct',
    tier: 'economy',
    input: 0.6,
    output: 0.6,
    arc: 0.851,
    wino: 0.676,
    mbpp: 0.542,
    answerMean: 264,
    answerSd: 104,
    ttftMs: 300,
    tokensPerS: 90,
    contextWindow: 32_768,
  },
  {
    id: 'mistral-7b-instruct',
    tier: 'economy',
    input: 0.2,
    output: 0.2,
    arc: 0.671,
    wino: 0.563,
    mbpp: 0.328,
    answerMean: 228,
    answerSd: 234,
    ttftMs: 200,
    tokensPerS: 120,
    contextWindow: 8_192,
  },
  {
    id: 'llama-2-70b-chat',
    tier: 'economy',
    input: 0.9,
    output: 0.9,
    arc: 0.797,
    wino: 0.505,
    mbpp: 0.311,
    answerMean: 297,
    answerSd: 116,
    ttftMs: 400,
    tokensPerS: 45,
    contextWindow: 4_096,
  },
  {
    id: 'yi-34b-chat',
    tier: 'economy',
    input: 0.8,
    output: 0.8,
    arc: 0.897,
    wino: 0.759,
    mbpp: 0.375,
    answerMean: 257,
    answerSd: 123,
    ttftMs: 350,
    tokensPerS: 60,
    contextWindow: 4_096,
  },
  {
    id: 'wizardlm-13b-v1.2',
    tier: 'economy',
    input: 0.3,
    output: 0.3,
    arc: 0.662,
    wino: 0.529,
    mbpp: 0.361,
    answerMean: 237,
    answerSd: 81,
    ttftMs: 250,
    tokensPerS: 90,
    contextWindow: 4_096,
  },
  {
    id: 'code-llama-34b-instruct',
    tier: 'economy',
    input: 0.776,
    output: 0.776,
    arc: 0.663,
    wino: 0.582,
    mbpp: 0.518,
    answerMean: 132,
    answerSd: 64,
    ttftMs: 350,
    tokensPerS: 60,
    contextWindow: 16_384,
  },
];

function dataModel(f: DataModelFacts): SimModelInput {
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    id: f.id,
    tier: f.tier,
    pricing: { input: f.input, output: f.output },
    ttft_ms: f.ttftMs,
    output_tokens_per_s: f.tokensPerS,
    answer_tokens: { mean: f.answerMean, sd: f.answerSd },
    accuracy: { qa: f.arc, reasoning: f.wino, coding: f.mbpp, default: round3((f.arc + f.wino + f.mbpp) / 3) },
    context_window: f.contextWindow,
    max_output_tokens: Math.min(4_096, f.contextWindow / 2),
    // Of these, only OpenAI's 1106 models had native tool calling and JSON mode at the time.
    capabilities: f.id.startsWith('gpt-') ? ['streaming', 'tools', 'json'] : ['streaming'],
  };
}

export const DATA_FLEET: SimFleet = SimFleet.parse({
  name: 'data',
  description: 'The 11 models of the routing outcome data, simulated, at their late-2023 list prices.',
  models: DATA_MODEL_FACTS.map(dataModel),
});
