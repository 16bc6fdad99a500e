/** One row of the spend log: every request the gateway answered, failed or not. Times are epoch ms. */
/**
 * The key id the gateway's own calls are logged under, by spend category: the judge's grading calls are
 * learning spend, kept apart from client traffic in the spend analyses (docs/analytics.md).
 */
export const GATEWAY_SPEND_KEYS = { judge: 'aigw:judge' } as const;

export interface RequestRow {
  id: string;
  created_at: number;
  key_id: string | null;
  team: string | null;
  model_requested: string;
  model_used: string | null;
  provider: string | null;
  status: number;
  error_type: string | null;
  stream: boolean;
  latency_ms: number;
  ttft_ms: number | null;
  upstream_latency_ms: number | null;
  overhead_ms: number;
  attempts: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  usage_estimated: boolean;
  finish_reason: string | null;
  task_type: string | null;
  decision_id: string | null;
  /** JSON of the request's `metadata`, when sent. */
  metadata: string | null;
  /** Only with `log_content: true`. */
  prompt_text: string | null;
  response_text: string | null;
  /** Answered from the response cache: no upstream call, `cost_usd` 0. */
  cache_hit: boolean;
  /** What the cached answer would have cost upstream (counted apart from spend). */
  cache_saved_usd: number;
  /** JSON of the optimizer's record for this request (technique, parameters sent, calls, plain-call estimate), when one ran. */
  optimization: string | null;
}

/** A request row before anything is known about the request: what every path starts from and fills. */
export function emptyRequestRow(id: string, createdAtMs: number): RequestRow {
  return {
    id,
    created_at: createdAtMs,
    key_id: null,
    team: null,
    model_requested: '',
    model_used: null,
    provider: null,
    status: 0,
    error_type: null,
    stream: false,
    latency_ms: 0,
    ttft_ms: null,
    upstream_latency_ms: null,
    overhead_ms: 0,
    attempts: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0,
    usage_estimated: false,
    finish_reason: null,
    task_type: null,
    decision_id: null,
    metadata: null,
    prompt_text: null,
    response_text: null,
    cache_hit: false,
    cache_saved_usd: 0,
    optimization: null,
  };
}

export interface CandidateScore {
  model: string;
  predictedQuality: number;
  estCostUsd: number;
  estLatencyMs: number;
  score: number;
  eligible: boolean;
  /** Why an ineligible candidate was dropped. */
  reason?: string;
}

/** A routing decision, linked to its request row. */
export interface DecisionRow {
  id: string;
  request_id: string;
  created_at: number;
  routing_model: string;
  task_type: string;
  complexity: number;
  goal: string;
  chosen_model: string;
  /** JSON CandidateScore[] ranked best first. */
  candidates: string;
  /** JSON string[] of the rule names that fired. */
  rules: string;
  fallbacks: string;
  rationale: string;
  router_version: string;
  decision_us: number;
  /** The predictor's trust in the per-prompt predictions, 0–1 (null: none; migration 0012). */
  trust: number | null;
  /** The prompt's language (ISO 639-1, `und` when unknown); null on decisions logged before migration 0013. */
  language: string | null;
  /** Chosen by exploration (Thompson sampling); analytics can leave such decisions out. */
  explored?: boolean;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  /** Hex SHA-256 of the full key; the key itself is never stored. */
  key_hash: string;
  /** First characters of the key, to recognise it in listings. */
  key_prefix: string;
  team: string | null;
  created_at: number;
  revoked_at: number | null;
  budget_daily_usd: number | null;
  budget_monthly_usd: number | null;
  rpm_limit: number | null;
}

export type ReservationStatus = 'reserved' | 'settled' | 'released';

export interface BudgetReservationRow {
  id: string;
  key_id: string;
  request_id: string;
  created_at: number;
  reserved_usd: number;
  settled_usd: number | null;
  status: ReservationStatus;
}

/** One quality signal for a request; (request_id, source) is unique, a repeat replaces the score. */
export interface FeedbackRow {
  id: string;
  request_id: string;
  /** Who gave it: `user`, `judge`, `completion`, or a caller's own label. */
  source: string;
  /** 0 (bad) … 1 (good). */
  score: number;
  comment: string | null;
  created_at: number;
}

export type RecommendationStatus = 'proposed' | 'applied' | 'rejected';

/** A recommendation the analytics produced, kept so `aigw rules apply ID` can find it later. */
export interface RecommendationRow {
  id: string;
  created_at: number;
  kind: string;
  title: string;
  /** JSON of the full recommendation (rule change, expected impact, validation criteria, …). */
  payload: string;
  status: RecommendationStatus;
  applied_at: number | null;
}

/** A routed request's learning row (docs/router-learning.md): features, no text; scored when a signal lands. */
export interface LearningRowRecord {
  request_id: string;
  model: string;
  created_at: number;
  task_type: string;
  /** Encoded prompt features (hashed n-gram buckets and values, dense values): see router/learning/learning-row.ts. */
  features: string;
  difficulty: number;
  discrimination: number;
  predicted: number;
  router_version: string;
  technique: string | null;
  explored: boolean;
  score: number | null;
  source: string | null;
  scored_at: number | null;
}

export interface LearningStateRecord {
  id: number;
  base_version: string;
  created_at: number;
  outcomes: number;
  /** JSON of the LearnedState. */
  state: string;
}

export type RouterModelStatus = 'live' | 'candidate' | 'rejected' | 'retired';

/** A predictor trained from the store, with its time-split evaluation and why it was or was not promoted. */
export interface RouterModelRecord {
  id: string;
  created_at: number;
  version: string;
  status: RouterModelStatus;
  reason: string;
  /** JSON of the comparison with the live router. */
  evaluation: string;
  /** The predictor file (JSON). */
  file: string;
  promoted_at: number | null;
}

/** The only code that talks SQL. SQLite and PostgreSQL implement it through one kysely layer. */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  insertRequests(rows: RequestRow[]): Promise<void>;
  insertDecisions(rows: DecisionRow[]): Promise<void>;
  upsertReservations(rows: BudgetReservationRow[]): Promise<void>;
  getRequest(id: string): Promise<RequestRow | undefined>;
  getDecisionByRequest(requestId: string): Promise<DecisionRow | undefined>;
  countRequests(): Promise<number>;
  listRequestIds(): Promise<string[]>;
  /** Settled spend of a key since a time (for budgets after a restart). */
  sumKeySpendSince(keyId: string, sinceMs: number): Promise<number>;
  /** Sum of `cost_usd` of the requests logged under a key id since a time (the judge's daily spend). */
  sumRequestCostSince(keyId: string, sinceMs: number): Promise<number>;
  createApiKey(row: ApiKeyRow): Promise<void>;
  listApiKeys(): Promise<ApiKeyRow[]>;
  revokeApiKey(idOrPrefix: string, atMs: number): Promise<boolean>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRow | undefined>;
  /** Inserts, or replaces the score/comment of the same (request_id, source). */
  upsertFeedback(row: FeedbackRow): Promise<void>;
  listFeedback(requestId: string): Promise<FeedbackRow[]>;
  insertRecommendations(rows: RecommendationRow[]): Promise<void>;
  getRecommendation(id: string): Promise<RecommendationRow | undefined>;
  setRecommendationStatus(id: string, status: RecommendationStatus, atMs: number): Promise<boolean>;
  close(): Promise<void>;
}
