import type { OptimizationView, RequestDetail } from './analytics-types.ts';
import { formatMs, formatQuality, formatUsd } from './format.ts';
import { escapeXml } from './svg-charts.ts';

/** The detail panel of one request, as HTML (every value escaped). */
const esc = (v: unknown) => escapeXml(shown(v));

/** A field as text: objects (fields the router adds later may be) as JSON, not `[object Object]`. */
function shown(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function dl(rows: Array<[string, string]>): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function section(id: string, title: string, body: string): string {
  return `<section class="detail" data-testid="detail-${id}"><h3>${esc(title)}</h3>${body}</section>`;
}

const KNOWN_CANDIDATE_FIELDS = new Set(['model', 'predictedQuality', 'estCostUsd', 'estLatencyMs', 'score', 'eligible', 'reason']);

function candidateTable(candidates: Array<Record<string, unknown>>, chosen: string): string {
  // Fields the router adds later (a trust figure, sample counts) show as extra columns.
  const extra = [...new Set(candidates.flatMap((c) => Object.keys(c)).filter((k) => !KNOWN_CANDIDATE_FIELDS.has(k)))];
  const num = (v: unknown, f: (n: number) => string) => (typeof v === 'number' ? f(v) : esc(v));
  const head = ['model', 'predicted quality', 'est. cost', 'est. latency', 'score', ...extra, 'eligible'].map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = candidates
    .map((c) => {
      const cells = [
        esc(c.model) + (c.model === chosen ? ' <strong>(chosen)</strong>' : ''),
        num(c.predictedQuality, formatQuality),
        num(c.estCostUsd, formatUsd),
        num(c.estLatencyMs, formatMs),
        num(c.score, (n) => n.toFixed(3)),
        ...extra.map((k) => num(c[k], (n) => (Number.isInteger(n) ? String(n) : n.toFixed(3)))),
        c.eligible === false ? `no: ${esc(c.reason)}` : 'yes',
      ];
      return `<tr>${cells.map((x) => `<td>${x}</td>`).join('')}</tr>`;
    })
    .join('');
  return `<div class="scroll"><table class="compact"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function decisionSection(d: RequestDetail): string {
  const dec = d.decision;
  if (!dec)
    return section(
      'decision',
      'Routing decision',
      `<p class="muted">No routing decision: the client named the model <code>${esc(d.routing_model)}</code>.</p>`,
    );
  return section(
    'decision',
    'Routing decision',
    dl([
      ['goal', esc(dec.goal)],
      ['complexity', esc(dec.complexity.toFixed(2))],
      ['chosen', esc(dec.chosen_model)],
      ['rules fired', dec.rules.length ? dec.rules.map((r) => `<code>${esc(r)}</code>`).join(' ') : 'none'],
      ['rationale', esc(dec.rationale)],
      ['router', esc(dec.router_version)],
    ]) + candidateTable(dec.candidates, dec.chosen_model),
  );
}

function costSection(d: RequestDetail): string {
  const c = d.cost;
  const t = c.tokens;
  const rows: Array<[string, string]> = [
    ['cost', esc(formatUsd(c.cost_usd)) + (c.usage_estimated ? ' <span class="muted">(usage estimated: the upstream sent none)</span>' : '')],
    ['tokens', esc(`${t.input} in (${t.cached_input} cached, ${t.cache_write} cache write) · ${t.output} out (${t.reasoning} reasoning)`)],
  ];
  if (c.parts) {
    const p = c.parts;
    rows.push(
      ['input', esc(`${p.uncachedInputTokens} tokens → ${formatUsd(p.uncachedInputUsd)}`)],
      ['cached input', esc(`${p.cachedInputTokens} tokens → ${formatUsd(p.cachedInputUsd)}`)],
      ['cache write', esc(`${p.cacheWriteTokens} tokens → ${formatUsd(p.cacheWriteUsd)}`)],
      ['answer output', esc(`${p.answerOutputTokens} tokens → ${formatUsd(p.answerOutputUsd)}`)],
      ['reasoning', esc(`${p.reasoningTokens} tokens → ${formatUsd(p.reasoningUsd)}`)],
    );
  }
  if (d.cache_hit) rows.push(['cache', esc(`answered from the cache; saved ${formatUsd(c.cache_saved_usd)}`)]);
  return section('cost', 'Cost', dl(rows));
}

function latencySection(d: RequestDetail): string {
  const l = d.latency;
  return section(
    'latency',
    'Latency',
    dl([
      ['total', esc(formatMs(l.total_ms))],
      ['gateway overhead', esc(formatMs(l.gateway_overhead_ms))],
      ['routing decision', esc(formatMs(l.routing_decision_ms))],
      ['time to first token', esc(formatMs(l.time_to_first_token_ms))],
      ['upstream', esc(formatMs(l.upstream_ms))],
    ]),
  );
}

function attemptsSection(d: RequestDetail): string {
  const a = d.attempts;
  return section(
    'attempts',
    'Retries and fallbacks',
    dl([
      ['upstream attempts', esc(a.attempts)],
      ['retries or fallbacks', esc(a.retries_or_fallbacks)],
      ['planned order', esc(a.planned.join(' → ') || '—')],
      ['answered by', esc(d.model) + (a.fell_back_to ? ' <strong>(fallback)</strong>' : '')],
    ]),
  );
}

function optimizationSection(d: RequestDetail): string {
  const o = d.optimization as OptimizationView | null;
  if (!o) return section('optimization', 'Optimization', '<p class="muted">No technique ran: one plain call.</p>');
  const impact =
    o.cost_usd !== undefined && o.plain_estimate_usd !== undefined
      ? `${formatUsd(o.cost_usd)} against ~${formatUsd(o.plain_estimate_usd)} for one plain call`
      : '—';
  const predicted = o.recommendation
    ? `quality predicted ${formatQuality(o.recommendation.predicted_quality)} with it, ${formatQuality(o.recommendation.plain_predicted_quality)} without`
    : '—';
  const calls = (o.calls ?? []).map((c) => `${c.label} on ${c.model}: ${formatUsd(c.cost_usd)}${c.failed ? ' (failed)' : ''}`);
  return section(
    'optimization',
    'Optimization',
    dl([
      ['technique', esc(`${o.technique ?? '?'} (${o.source ?? '?'})`)],
      ['cost impact', esc(impact)],
      ['router prediction', esc(predicted)],
      ['upstream calls', esc(o.upstream_calls)],
      ['calls', calls.length ? `<ul>${calls.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : '—'],
      ...(o.error ? ([['stopped', esc(o.error)]] as Array<[string, string]>) : []),
    ]),
  );
}

function feedbackSection(d: RequestDetail): string {
  if (d.feedback.length === 0) return section('feedback', 'Feedback and grades', '<p class="muted">No feedback or judge grade yet.</p>');
  const rows = d.feedback.map(
    (f) =>
      `<tr><td>${esc(f.source)}</td><td>${esc(formatQuality(f.score))}</td><td>${esc(f.comment ?? '')}</td><td>${esc(f.created_at.slice(0, 19))}</td></tr>`,
  );
  return section(
    'feedback',
    'Feedback and grades',
    `<table class="compact"><thead><tr><th>source</th><th>score</th><th>comment</th><th>at</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

function contentSection(d: RequestDetail): string {
  if (!d.content) return section('content', 'Prompt and answer', `<p class="muted">${esc(d.content_note)}</p>`);
  const prompt = typeof d.content.prompt === 'string' ? d.content.prompt : JSON.stringify(d.content.prompt, null, 2);
  return section('content', 'Prompt and answer', `<h4>prompt</h4><pre>${esc(prompt)}</pre><h4>answer</h4><pre>${esc(d.content.answer)}</pre>`);
}

export function renderRequestDetail(d: RequestDetail): string {
  const summary = dl([
    ['request', `<code>${esc(d.id)}</code>`],
    ['at', esc(d.created_at)],
    ['key', esc(d.key ? `${d.key.name ?? d.key.id}${d.key.team ? ` (team ${d.key.team})` : ''}` : 'none')],
    ['asked for', esc(d.routing_model)],
    ['answered by', esc(d.model ? `${d.model} (${d.provider ?? '?'})` : null)],
    ['task type', esc(d.task_type)],
    ['status', esc(d.error_type ? `${d.status} ${d.error_type}` : `${d.status} ${d.finish_reason ?? ''}`)],
    ['stream', esc(d.stream ? 'yes' : 'no')],
  ]);
  return [
    section('summary', 'Request', summary),
    decisionSection(d),
    costSection(d),
    latencySection(d),
    attemptsSection(d),
    optimizationSection(d),
    feedbackSection(d),
    contentSection(d),
  ].join('');
}
