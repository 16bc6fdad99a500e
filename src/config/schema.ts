import { z } from 'zod';
import { Goal, TaskType, Tier } from './enums.ts';
import { CacheConfig } from './cache-schema.ts';
import { OptimizerConfig } from './optimizer-schema.ts';
import { QualityConfig } from './quality-schema.ts';
import { LearningConfig } from './learning-schema.ts';
import { ResilienceConfig, TlsConfig } from './resilience-schema.ts';
import { TelemetryConfig } from './telemetry-schema.ts';
import { AlertsConfig } from './alerts-schema.ts';

export * from './enums.ts';
export { CacheConfig, OptimizerConfig, QualityConfig, ResilienceConfig, TelemetryConfig, TlsConfig };

const usdPerMTok = z.number().nonnegative();

export const Pricing = z.strictObject({
  /** USD per 1M uncached input tokens. */
  input: usdPerMTok,
  /** USD per 1M input tokens read from the provider's prompt cache; defaults to `input`. */
  cached_input: usdPerMTok.optional(),
  /** USD per 1M input tokens written to the provider's prompt cache; defaults to `input`. */
  cache_write: usdPerMTok.optional(),
  /** USD per 1M output tokens. */
  output: usdPerMTok,
  /** USD per 1M reasoning tokens; defaults to `output`. */
  reasoning: usdPerMTok.optional(),
});
export type Pricing = z.infer<typeof Pricing>;

export const ProviderType = z.enum(['openai', 'anthropic', 'gemini']);
export type ProviderType = z.infer<typeof ProviderType>;

export const ProviderConfig = z.strictObject({
  id: z.string().min(1),
  /** Wire format: `openai` covers every OpenAI-compatible server (vLLM, Ollama, Groq, Together, OpenRouter...). */
  type: ProviderType,
  base_url: z.url(),
  /** Name of the environment variable that holds the API key; omit for keyless local servers. */
  api_key_env: z.string().min(1).optional(),
  /** Extra headers sent with every upstream request (e.g. OpenRouter's HTTP-Referer). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Upstream connections kept open per provider. */
  max_connections: z.int().positive().default(128),
  /**
   * Whose published prices and limits apply to this provider's models when an entry omits them
   * (`openai`, `anthropic`, `google`, `groq`, `mistral`, …); default: the wire format's vendor, or the
   * vendor whose API URL matches `base_url`. Set it for a proxy in front of a vendor.
   */
  prices_from: z.string().min(1).optional(),
  /** Set on providers served by `aigw sim`; shown as "simulated" wherever the provider appears. */
  simulated: z.boolean().default(false),
  /** Whether the upstream stops at a request's max_tokens (budgets reserve by it); default: true for OpenAI, Anthropic and Gemini's own APIs and the simulator. */
  enforces_max_tokens: z.boolean().optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const QualityPriors = z.partialRecord(z.union([TaskType, z.literal('default')]), z.number().min(0).max(1));
export type QualityPriors = z.infer<typeof QualityPriors>;

export const ModelConfig = z.strictObject({
  /** The id clients ask for (`model` in the request). */
  id: z.string().min(1),
  provider: z.string().min(1),
  /** Model name sent upstream; defaults to `id`. */
  upstream_model: z.string().min(1).optional(),
  tier: Tier.default('standard'),
  pricing: Pricing,
  context_window: z.int().positive(),
  max_output_tokens: z.int().positive(),
  latency: z
    .strictObject({
      ttft_ms: z.number().nonnegative(),
      output_tokens_per_s: z.number().positive(),
    })
    .default({ ttft_ms: 500, output_tokens_per_s: 50 }),
  /** Capability tags, e.g. tools, json, vision, streaming, reasoning. */
  capabilities: z.array(z.string()).default([]),
  /** Probability of a good answer per task type (0–1), e.g. from public benchmark scores. */
  quality: QualityPriors.default({}),
  /** Models tried next, in order, when this one fails. */
  fallbacks: z.array(z.string()).default([]),
  timeout_ms: z.int().positive().optional(),
  /** Whether the upstream honours `n` > 1 in one call. */
  supports_n: z.boolean().default(true),
  /**
   * Where values the entry omitted came from (field → dataset and version, or `unknown`); written by
   * aigw when it fills them from the known-models datasets, not by you.
   */
  sources: z.record(z.string(), z.string()).optional(),
  /** `embedding` models serve POST /v1/embeddings only (priced per input token) and are never routed to for chat. */
  kind: z.enum(['chat', 'embedding']).default('chat'),
});
export type ModelConfig = z.infer<typeof ModelConfig>;

const Range = z.strictObject({ min: z.number().optional(), max: z.number().optional() });

export const RuleMatch = z.strictObject({
  task_types: z.array(TaskType).optional(),
  complexity: Range.optional(),
  prompt_tokens: Range.optional(),
  keys: z.array(z.string()).optional(),
  teams: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  /** Virtual routing models this rule applies to (default: all). */
  routing_models: z.array(z.string()).optional(),
});
export type RuleMatch = z.infer<typeof RuleMatch>;

/** A model id or `tier:<tier>`. */
const ModelRef = z.string().min(1);

export const RuleAction = z.strictObject({
  prefer: z.array(ModelRef).optional(),
  require: z.array(ModelRef).optional(),
  exclude: z.array(ModelRef).optional(),
  goal: Goal.optional(),
  min_quality: z.number().min(0).max(1).optional(),
  max_cost_usd: z.number().nonnegative().optional(),
  max_latency_ms: z.number().positive().optional(),
});
export type RuleAction = z.infer<typeof RuleAction>;

export const RoutingRule = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  match: RuleMatch.default({}),
  action: RuleAction,
  /** Share of matching traffic the rule applies to (A/B split), 0–100. */
  percent: z.number().min(0).max(100).default(100),
});
export type RoutingRule = z.infer<typeof RoutingRule>;

export const VirtualModel = z.strictObject({
  goal: Goal.default('balanced'),
  min_quality: z.number().min(0).max(1).optional(),
  max_cost_usd: z.number().nonnegative().optional(),
  max_latency_ms: z.number().positive().optional(),
  /** Candidate models (ids or `tier:<tier>`); default: every configured model. */
  candidates: z.array(ModelRef).optional(),
  description: z.string().optional(),
});
export type VirtualModel = z.infer<typeof VirtualModel>;

export const RoutingConfig = z.strictObject({
  /** Routing models clients can ask for, e.g. `auto`, `auto-cost`. */
  virtual_models: z.record(z.string(), VirtualModel).default({
    auto: { goal: 'balanced' },
    'auto-cost': { goal: 'cost' },
    'auto-quality': { goal: 'quality' },
    'auto-speed': { goal: 'speed' },
  }),
  default_min_quality: z.number().min(0).max(1).default(0.7),
  rules: z.array(RoutingRule).default([]),
  backend: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('builtin') }),
      z.strictObject({
        type: z.literal('notdiamond'),
        base_url: z.url(),
        api_key_env: z.string().optional(),
        timeout_ms: z.int().positive().default(300),
      }),
      z.strictObject({
        type: z.literal('routellm'),
        base_url: z.url(),
        router: z.string().default('mf'),
        threshold: z.number().default(0.5),
        strong_model: z.string(),
        weak_model: z.string(),
        timeout_ms: z.int().positive().default(300),
      }),
    ])
    .default({ type: 'builtin' }),
  /** Trained quality-predictor file; default: the one shipped with aigw. */
  model_file: z.string().optional(),
  learning: LearningConfig.default(LearningConfig.parse({})),
});
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const ReliabilityConfig = z.strictObject({
  /** Retries of the same model before falling back to the next one. */
  max_retries: z.int().nonnegative().default(2),
  backoff_base_ms: z.int().nonnegative().default(200),
  backoff_max_ms: z.int().nonnegative().default(5_000),
  /** Longest `retry-after` the gateway waits for; longer ones go to the next model. */
  max_retry_after_ms: z.int().nonnegative().default(10_000),
  default_timeout_ms: z.int().positive().default(120_000),
  breaker: z
    .strictObject({
      failure_threshold: z.int().positive().default(5),
      cooldown_ms: z.int().positive().default(30_000),
    })
    .default({ failure_threshold: 5, cooldown_ms: 30_000 }),
});
export type ReliabilityConfig = z.infer<typeof ReliabilityConfig>;

export const ServerConfig = z.strictObject({
  port: z.int().min(0).max(65_535).default(4000),
  /** Default: 0.0.0.0 when API keys exist, 127.0.0.1 otherwise. */
  host: z.string().optional(),
  body_limit_bytes: z
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Store prompt and response text with each request row. */
  log_content: z.boolean().default(false),
  /** One info log line per request (id, key name, model, status, tokens, cost, latency). */
  access_log: z.boolean().default(true),
  /** Environment variable holding the admin key. */
  admin_key_env: z.string().default('AIGW_ADMIN_KEY'),
  /** HTTPS without a proxy: PEM certificate and key files. */
  tls: TlsConfig.optional(),
  /** Environment variable holding a token `/metrics` then requires (`Authorization: Bearer …`); unset: public. */
  metrics_token_env: z.string().optional(),
});
export type ServerConfig = z.infer<typeof ServerConfig>;

export const StoreConfig = z.strictObject({
  /** Directory of the embedded SQLite store, relative to the working directory. */
  dir: z.string().default('./data'),
  /** postgres://… to use PostgreSQL instead; `DATABASE_URL` in the environment overrides. */
  database_url: z.string().optional(),
  /** PostgreSQL schema to use (created if missing); default: the connection's search_path. */
  pg_schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  batch_size: z.int().positive().default(500),
  flush_interval_ms: z.int().positive().default(200),
  /** Rows held in memory at most; past it, writes wait for the flush (back-pressure, never drops). */
  max_queue: z.int().positive().default(50_000),
});
export type StoreConfig = z.infer<typeof StoreConfig>;

export const GatewayConfig = z.strictObject({
  server: ServerConfig.default(ServerConfig.parse({})),
  store: StoreConfig.default(StoreConfig.parse({})),
  /** redis://… for budgets, rate limits and breaker state shared across replicas; `REDIS_URL` overrides. */
  redis_url: z.string().optional(),
  providers: z.array(ProviderConfig).default([]),
  models: z.array(ModelConfig).default([]),
  routing: RoutingConfig.default(RoutingConfig.parse({})),
  reliability: ReliabilityConfig.default(ReliabilityConfig.parse({})),
  optimizer: OptimizerConfig.default(OptimizerConfig.parse({})),
  cache: CacheConfig.default(CacheConfig.parse({})),
  quality: QualityConfig.default(QualityConfig.parse({})),
  resilience: ResilienceConfig.default(ResilienceConfig.parse({})),
  telemetry: TelemetryConfig.default(TelemetryConfig.parse({})),
  alerts: AlertsConfig.default(AlertsConfig.parse({})),
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;
