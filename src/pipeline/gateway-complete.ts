import { sumUsd } from '../costs/cost.ts';
import { callBody } from '../optimizer/call-body.ts';
import { sumUsage } from '../optimizer/sum-usage.ts';
import type { CallRecord, Complete, CompletionCall, CompletionResult } from '../optimizer/types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import { ZERO_USAGE, type NormalizedUsage, type UpstreamTarget } from '../providers/types.ts';
import { settleUsage, type SettledUsage } from './accounting.ts';
import { attemptContext, callUpstream } from './call-upstream.ts';
import type { Gateway } from './gateway-types.ts';
import type { RequestRecord } from './request-record.ts';
import type { TraceSpan } from '../telemetry/trace-types.ts';
import { attemptCompletion } from './upstream-attempts.ts';

/** One technique call as the gateway made it: what was asked for, who answered, what it cost. */
export interface CallLog extends CallRecord {
  params: { n: number; temperature: number | null; top_p: number | null; max_tokens: number | null };
  /** Set when the call did not get all its choices (the technique then fails); its spend still counts. */
  failed?: true;
}

/** Everything the technique's calls spent so far, kept even when the technique fails midway. */
export class CallLedger {
  readonly calls: CallLog[] = [];
  usage: NormalizedUsage = { ...ZERO_USAGE };
  costsUsd: number[] = [];
  upstreamRequests = 0;
  attempts = 0;
  /** True when any upstream sent no usage and its tokens were counted with the tokenizer. */
  estimated = false;
  /** The last target that answered, for the row and the response headers. */
  lastTarget: UpstreamTarget | undefined;

  get costUsd(): number {
    return sumUsd(this.costsUsd);
  }

  addRequest(one: UpstreamAnswer): void {
    this.usage = sumUsage([this.usage, one.usage]);
    this.costsUsd.push(one.costUsd);
    this.upstreamRequests++;
    this.estimated ||= one.estimated;
    this.lastTarget = one.target;
  }
}

interface UpstreamAnswer extends SettledUsage {
  texts: string[];
  finishReasons: Array<string | null>;
  target: UpstreamTarget;
}

export interface GatewayCompleteDeps {
  g: Gateway;
  /** The client's request without its technique selector; calls inherit its unset fields. */
  request: ChatRequest;
  targets: readonly UpstreamTarget[];
  record: RequestRecord;
  simHeaders: Record<string, string>;
  signal: AbortSignal;
  /** The technique's span when tracing: each call becomes its child, with the call's upstream attempts below. */
  trace?: TraceSpan;
}

/**
 * `Complete` over the gateway's own providers: every call goes through retries, fallback and
 * breakers like a plain request, is priced with the catalog, and lands in the ledger. `n` choices
 * use the upstream's `n` when the model supports it, parallel single-choice requests otherwise.
 */
export function createGatewayComplete(deps: GatewayCompleteDeps): { complete: Complete; ledger: CallLedger } {
  const ledger = new CallLedger();
  const clock = new UpstreamClock(deps.record);
  const primary = deps.targets[0];

  const complete: Complete = async (call) => {
    const wanted = call.n ?? 1;
    const log: CallLog = {
      label: call.label,
      model: primary?.model.id ?? deps.request.model,
      upstreamRequests: 0,
      usage: { ...ZERO_USAGE },
      costUsd: 0,
      params: paramsOf(call, deps.request, wanted),
    };
    ledger.calls.push(log);
    const span = deps.trace?.child(`technique_call ${call.label}`, 'internal', { 'aigw.technique_call': call.label, 'aigw.choices': wanted });
    const callDeps = span ? { ...deps, trace: span } : deps;
    const answers: UpstreamAnswer[] = [];
    const take = (a: UpstreamAnswer) => {
      answers.push(a);
      ledger.addRequest(a);
      log.upstreamRequests++;
      log.usage = sumUsage([log.usage, a.usage]);
      log.costUsd = sumUsd([log.costUsd, a.costUsd]);
      log.model = a.target.model.id;
    };
    try {
      if (wanted > 1 && primary?.model.supports_n) take(await requestChoices(callDeps, ledger, clock, call, wanted));
      // Emulated n (or a fallback model without n): the missing choices as parallel single requests.
      const missing = wanted - answers.reduce((sum, a) => sum + a.texts.length, 0);
      const settled = await Promise.allSettled(Array.from({ length: Math.max(0, missing) }, () => requestChoices(callDeps, ledger, clock, call, 1)));
      for (const s of settled) if (s.status === 'fulfilled') take(s.value);
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failure) throw failure.reason;
    } catch (err) {
      log.failed = true;
      span?.fail('technique_call_failed', err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      span?.set({
        'aigw.model': log.model,
        'aigw.upstream_requests': log.upstreamRequests,
        'aigw.cost_usd': log.costUsd,
        'gen_ai.usage.input_tokens': log.usage.inputTokens,
        'gen_ai.usage.output_tokens': log.usage.outputTokens,
      });
      span?.end();
    }
    return resultOf(answers, log);
  };
  return { complete, ledger };
}

function resultOf(answers: UpstreamAnswer[], log: CallLog): CompletionResult {
  return {
    texts: answers.flatMap((a) => a.texts),
    finishReasons: answers.flatMap((a) => a.finishReasons),
    usage: log.usage,
    costUsd: log.costUsd,
    model: log.model,
    upstreamRequests: log.upstreamRequests,
  };
}

/** One upstream request through retries, fallback and breakers, asking for `choices` where the model honours `n`. */
async function requestChoices(
  deps: GatewayCompleteDeps,
  ledger: CallLedger,
  clock: UpstreamClock,
  call: CompletionCall,
  choices: number,
): Promise<UpstreamAnswer> {
  const { g, record } = deps;
  const bodyFor = (target: UpstreamTarget) => callBody(deps.request, call, target.model.supports_n ? choices : 1);
  // Parallel requests overlap: the clock counts wall time with any of them in flight, not their sum.
  const scratch: RequestRecord = { ...record, upstreamNs: 0n };
  const attempt = (target: UpstreamTarget) => {
    const body = bodyFor(target);
    return attemptCompletion(attemptContext(g, body, scratch, deps.simHeaders, deps.signal), target).then((mapped) => ({ mapped, body }));
  };
  const startedNs = clock.start();
  const outcome = await callUpstream(g, deps.targets, attempt, {
    signal: deps.signal,
    trace: deps.trace,
    onOutcome: (o) => (ledger.attempts += o.attempts.length),
  }).finally(() => clock.stop());
  const { target } = outcome;
  const { mapped, body } = outcome.value;
  const texts = mapped.completion.choices.map((c) => c.message.content ?? '');
  const settled = settleUsage(target, body, mapped.usage, texts.join(''));
  const durationMs = Number(process.hrtime.bigint() - startedNs) / 1e6;
  g.liveStats.record(target.model.id, { ttftMs: durationMs, outputTokens: settled.usage.outputTokens, durationMs, ok: true });
  return { ...settled, texts, finishReasons: mapped.completion.choices.map((c) => c.finish_reason), target };
}

function paramsOf(call: CompletionCall, request: ChatRequest, n: number): CallLog['params'] {
  return {
    n,
    temperature: call.temperature ?? request.temperature ?? null,
    top_p: call.top_p ?? request.top_p ?? null,
    max_tokens: call.max_tokens ?? request.max_completion_tokens ?? request.max_tokens ?? null,
  };
}

/** Adds to the record's upstream time only the wall time during which at least one upstream request was in flight. */
class UpstreamClock {
  private inFlight = 0;
  private busySinceNs = 0n;

  constructor(private readonly record: RequestRecord) {}

  start(): bigint {
    const now = process.hrtime.bigint();
    if (this.inFlight++ === 0) this.busySinceNs = now;
    return now;
  }

  stop(): void {
    if (--this.inFlight === 0) this.record.upstreamNs += process.hrtime.bigint() - this.busySinceNs;
  }
}
