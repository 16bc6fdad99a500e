import { analysis, byId, getJson } from './api.ts';
import type { KeyListing, ModelPerformance, QualityMetrics, Recommendations, RoutingAnalytics, RoutingCosts } from './analytics-types.ts';
import { formatCount, formatMs, formatQuality, formatShare, formatUsd } from './format.ts';
import { barChartSvg, escapeXml, lineChartSvg, type ChartDatum } from './svg-charts.ts';

/** The Overview tab: totals, charts, spend per key, model performance and recommendations for the chosen goal. */
export interface OverviewData {
  routing: RoutingAnalytics;
  costs: RoutingCosts;
  quality: QualityMetrics;
  performance: ModelPerformance;
  recommendations: Recommendations;
  keys: KeyListing;
}

export async function loadOverview(timeframe: string, goal: string): Promise<OverviewData> {
  const window = { timeframe };
  // The costs analysis picks the bucket that fits the window (minutes for an hour, hours for a day, days beyond).
  const [routing, costs, quality, performance, recommendations, keys] = await Promise.all([
    analysis<RoutingAnalytics>('routing', window),
    analysis<RoutingCosts>('costs', { ...window, group_by: 'model,task_type' }),
    analysis<QualityMetrics>('quality', window),
    analysis<ModelPerformance>('model-performance', window),
    analysis<Recommendations>('recommendations', { ...window, goal }),
    getJson<KeyListing>('/admin/keys'),
  ]);
  return { routing, costs, quality, performance, recommendations, keys };
}

function tile(id: string, label: string, value: string): string {
  return `<div class="tile" data-testid="${id}"><div class="label">${escapeXml(label)}</div><div class="value">${escapeXml(value)}</div></div>`;
}

function renderTiles(d: OverviewData): void {
  byId('tiles').innerHTML = [
    tile('kpi-requests', 'Requests', formatCount(d.routing.total_requests)),
    tile('kpi-success', 'Success rate', formatShare(d.routing.success_rate)),
    tile('kpi-spend', 'Spend', formatUsd(d.costs.total_cost_usd)),
    tile('kpi-avg-cost', 'Avg cost / request', formatUsd(d.costs.avg_cost_per_request_usd)),
    tile('kpi-quality', 'Avg quality', formatQuality(d.quality.avg_quality)),
    tile('kpi-decision-p99', 'Routing decision p99', formatMs(d.routing.routing_latency_ms.p99)),
    tile('kpi-cache-saved', 'Saved by the cache', formatUsd(d.costs.cache_saved_usd)),
  ].join('');
}

export function bucketLabel(iso: string, bucket: RoutingCosts['trend_bucket']): string {
  if (bucket === 'day') return iso.slice(0, 10);
  return bucket === 'minute' ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

function renderCharts(d: OverviewData): void {
  const trend: ChartDatum[] = d.costs.trend.map((t) => ({ label: bucketLabel(t.bucket_start, d.costs.trend_bucket), value: t.cost_usd }));
  byId('chart-cost-trend').dataset.bucket = d.costs.trend_bucket;
  byId('chart-cost-trend').innerHTML = lineChartSvg(trend, { title: `Spend per ${d.costs.trend_bucket} (UTC)`, format: formatUsd });
  byId('trend-title').textContent = `Spend per ${d.costs.trend_bucket} (UTC)`;
  const mix = d.routing.model_distribution.map((m) => ({ label: m.model, value: m.requests }));
  byId('chart-model-mix').innerHTML = barChartSvg(mix, { title: 'Requests by model', format: formatCount });
  const spendByModel = (d.costs.by_model ?? []).map((m) => ({ label: m.model, value: m.cost_usd }));
  byId('chart-spend-model').innerHTML = barChartSvg(spendByModel, { title: 'Spend by model', format: formatUsd });
  const spendByTask = (d.costs.by_task_type ?? []).map((t) => ({ label: t.task_type, value: t.cost_usd }));
  byId('chart-spend-task').innerHTML = barChartSvg(spendByTask, { title: 'Spend by task type', format: formatUsd });
}

const cell = (text: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${escapeXml(text)}</td>`;

/** Spend against a budget as text and a meter; the spend alone without a budget. */
function budgetCell(spentUsd: number, budgetUsd: number | null, use: number | null): string {
  if (budgetUsd === null || use === null) return cell(formatUsd(spentUsd));
  const pct = Math.min(100, use * 100);
  return (
    `<td>${escapeXml(`${formatUsd(spentUsd)} of ${formatUsd(budgetUsd)} (${formatShare(use)})`)}` +
    `<div class="meter${use >= 0.9 ? ' hot' : ''}"><span style="width:${pct.toFixed(1)}%"></span></div></td>`
  );
}

function renderKeys(d: OverviewData): void {
  const active = d.keys.data.filter((k) => k.revoked_at === null);
  byId('key-rows').innerHTML =
    active
      .map(
        (k) =>
          `<tr data-testid="key-row" data-key="${escapeXml(k.id)}">${cell(k.name)}${cell(k.team ?? '')}` +
          `${budgetCell(k.spent_today_usd, k.budget_daily_usd, k.daily_budget_use)}${budgetCell(k.spent_month_usd, k.budget_monthly_usd, k.monthly_budget_use)}</tr>`,
      )
      .join('') || '<tr><td colspan="4">no API keys: the gateway is open to every local client</td></tr>';
}

function renderPerformance(d: OverviewData): void {
  const rows = [...d.performance.models].sort((a, b) => b.requests - a.requests).slice(0, 15);
  const interval = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '' : ` (${lo.toFixed(2)}–${hi.toFixed(2)})`);
  byId('performance-rows').innerHTML =
    rows
      .map(
        (m) =>
          `<tr>${cell(m.model)}${cell(m.task_type)}${cell(formatCount(m.requests))}${cell(formatQuality(m.avg_quality) + interval(m.ci95_low, m.ci95_high))}` +
          `${cell(formatMs(m.p95_latency_ms))}${cell(formatUsd(m.avg_cost_usd))}${cell(formatShare(m.error_rate))}</tr>`,
      )
      .join('') || '<tr><td colspan="7">no requests in this window</td></tr>';
}

/** "cost −12.0% (−$1.20)" or "+…": a cost increase reads as an increase whatever the goal. */
export function costChangeText(pct: number | undefined, usd: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return '';
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  const money = usd === undefined ? '' : ` (${usd > 0 ? '+' : usd < 0 ? '−' : ''}${formatUsd(Math.abs(usd))} over the window)`;
  return `cost ${sign}${Math.abs(pct).toFixed(1)}% of current spend${money}`;
}

function renderRecommendations(d: OverviewData): void {
  const items = d.recommendations.recommendations.slice(0, 5).map((r) => {
    const impact = r.expectedImpact;
    const cost = costChangeText(impact?.costChangePct, impact?.costChangeUsd);
    const quality =
      impact?.avgQualityAfter === undefined || impact.avgQualityAfter === null
        ? ''
        : ` · avg quality ${formatQuality(impact.avgQualityBefore)} → ${formatQuality(impact.avgQualityAfter)}`;
    const scope = r.scope ? `<div class="muted">Touches: ${escapeXml(r.scope)}</div>` : '';
    return (
      `<li data-testid="recommendation"><strong>${escapeXml(r.title)}</strong> <span class="muted">${escapeXml(cost + quality)} · effort ${escapeXml(r.effort)} · risk ${escapeXml(r.risk.level)}</span>` +
      `<div>${escapeXml(r.recommendedChange)}</div>${scope}<div class="muted"><code>${escapeXml(r.id)}</code></div></li>`
    );
  });
  byId('recommendations').innerHTML = items.join('') || '<li>No change beats the current routing on this window for this goal.</li>';
}

function renderGaps(d: OverviewData): void {
  const gaps = [...new Set([d.routing, d.costs, d.quality, d.performance, d.recommendations].flatMap((a) => a.data_gaps))];
  byId('gaps').innerHTML = gaps.map((g) => `<li>${escapeXml(g)}</li>`).join('') || '<li>none</li>';
}

export function renderOverview(d: OverviewData): void {
  renderTiles(d);
  renderCharts(d);
  renderKeys(d);
  renderPerformance(d);
  renderRecommendations(d);
  renderGaps(d);
  byId('window').textContent = `${d.routing.window.from.slice(0, 16)} – ${d.routing.window.to.slice(0, 16)} UTC`;
}
