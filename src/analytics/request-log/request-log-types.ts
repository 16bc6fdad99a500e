// The request log's wire types (GET /admin/requests…), shared with the dashboard (web/), which imports
// them by type only: this file imports nothing that needs Node.
import type { CostBreakdown } from '../../costs/cost.ts';

/**
 * One request as the dashboard's detail panel shows it (GET /admin/requests/:id): the routing
 * decision, what the cost and the latency were made of, retries and fallbacks, the optimizer's
 * record, every quality grade, and the prompt and answer only when the gateway keeps them.
 */
export interface RequestDetail {
  id: string;
  created_at: string;
  key: { id: string; name: string | null; team: string | null } | null;
  routing_model: string;
  model: string | null;
  provider: string | null;
  task_type: string | null;
  status: number;
  error_type: string | null;
  finish_reason: string | null;
  stream: boolean;
  cache_hit: boolean;
  metadata: unknown;
  decision: DecisionDetail | null;
  cost: CostDetail;
  latency: LatencyDetail;
  attempts: AttemptsDetail;
  optimization: unknown;
  feedback: Array<{ source: string; score: number; comment: string | null; created_at: string }>;
  /** Present only when `server.log_content` is on and the row kept the texts. */
  content: { prompt: unknown; answer: string | null } | null;
  /** Why `content` is null. */
  content_note: string | null;
}

export interface DecisionDetail {
  id: string;
  goal: string;
  complexity: number;
  chosen_model: string;
  /** Ranked best first, as the router logged them (extra fields such as a trust figure pass through). */
  candidates: Array<Record<string, unknown>>;
  rules: string[];
  fallbacks: string[];
  rationale: string;
  router_version: string;
  decision_ms: number;
}

export interface CostDetail {
  cost_usd: number;
  usage_estimated: boolean;
  tokens: { input: number; cached_input: number; cache_write: number; output: number; reasoning: number };
  /** Each priced part at the answering model's current prices; null when the model is not in the catalog or a technique made several calls (see `optimization.calls`). */
  parts: CostBreakdown | null;
  /** What a cache hit saved (not counted as spend). */
  cache_saved_usd: number;
}

export interface LatencyDetail {
  total_ms: number;
  /** Time the gateway itself spent: total minus the wait on upstreams (includes routing). */
  gateway_overhead_ms: number;
  routing_decision_ms: number | null;
  time_to_first_token_ms: number | null;
  upstream_ms: number | null;
}

export interface AttemptsDetail {
  /** Upstream attempts, retries and fallbacks included. */
  attempts: number;
  retries_or_fallbacks: number;
  /** The order the gateway would try: the chosen model, then its fallbacks. */
  planned: string[];
  /** Set when the answer came from another model than the first planned one. */
  fell_back_to: string | null;
}

/** One row of GET /admin/requests. */
export interface RequestListItem {
  id: string;
  created_at: string;
  key_id: string | null;
  key_name: string | null;
  team: string | null;
  routing_model: string;
  model: string | null;
  task_type: string | null;
  status: number;
  error_type: string | null;
  stream: boolean;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  latency_ms: number;
  technique: string | null;
  cache_hit: boolean;
}

export interface RequestListPage {
  window: { from: string; to: string };
  /** Requests in the window that match the filters (all pages). */
  total: number;
  requests: RequestListItem[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

/** The values each filter can take in the window (for the dashboard's drop-downs), most used first. */
export interface RequestFilterValues {
  keys: Array<{ id: string; name: string | null }>;
  models: string[];
  routing_models: string[];
  task_types: string[];
  techniques: string[];
}
