import type { ModelPerformance, QualityMetrics, Recommendations, RoutingAnalytics, RoutingCosts } from './analytics-types.ts';
import { formatCount, formatMs, formatQuality, formatShare, formatUsd } from './format.ts';
import { barChartSvg, escapeXml, lineChartSvg, type ChartDatum } from './svg-charts.ts';
import { refreshAlertsBanner } from './alerts-banner.ts';

/**
 * The dashboard: one page over the analytics API, refreshed every REFRESH_MS. The admin key (when the
 * gateway has one) stays in this tab's sessionStorage and goes only to this gateway's /v1/analytics.
 */
const REFRESH_MS = 15_000;
const KEY_STORAGE = 'aigw.adminKey';

class AuthRequired extends Error {}

interface DashboardData {
  routing: RoutingAnalytics;
  costs: RoutingCosts;
  quality: QualityMetrics;
  performance: ModelPerformance;
  recommendations: Recommendations;
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el;
}

async function fetchAnalysis<T>(name: string, params: Record<string, string>): Promise<T> {
  const key = sessionStorage.getItem(KEY_STORAGE);
  const res = await fetch(`/v1/analytics/${name}?${new URLSearchParams(params).toString()}`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  if (res.status === 401 || res.status === 403) throw new AuthRequired();
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new Error(`${name}: ${res.status} ${body.error?.message ?? res.statusText}`);
  }
  return (await res.json()) as T;
}

async function loadData(timeframe: string): Promise<DashboardData> {
  const window = { timeframe };
  const bucket = timeframe === '7d' || timeframe === '30d' ? 'day' : 'hour';
  const [routing, costs, quality, performance, recommendations] = await Promise.all([
    fetchAnalysis<RoutingAnalytics>('routing', window),
    fetchAnalysis<RoutingCosts>('costs', { ...window, group_by: 'model,task_type', bucket }),
    fetchAnalysis<QualityMetrics>('quality', window),
    fetchAnalysis<ModelPerformance>('model-performance', window),
    fetchAnalysis<Recommendations>('recommendations', window),
  ]);
  return { routing, costs, quality, performance, recommendations };
}

function tile(id: string, label: string, value: string): string {
  return `<div class="tile" data-testid="${id}"><div class="label">${escapeXml(label)}</div><div class="value">${escapeXml(value)}</div></div>`;
}

function renderTiles(d: DashboardData): void {
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

function bucketLabel(iso: string, bucket: 'hour' | 'day'): string {
  return bucket === 'day' ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

function renderCharts(d: DashboardData): void {
  const trend: ChartDatum[] = d.costs.trend.map((t) => ({ label: bucketLabel(t.bucket_start, d.costs.trend_bucket), value: t.cost_usd }));
  byId('chart-cost-trend').innerHTML = lineChartSvg(trend, { title: `Spend per ${d.costs.trend_bucket}`, format: formatUsd });
  const mix = d.routing.model_distribution.map((m) => ({ label: m.model, value: m.requests }));
  byId('chart-model-mix').innerHTML = barChartSvg(mix, { title: 'Requests by model', format: formatCount });
  const spendByModel = (d.costs.by_model ?? []).map((m) => ({ label: m.model, value: m.cost_usd }));
  byId('chart-spend-model').innerHTML = barChartSvg(spendByModel, { title: 'Spend by model', format: formatUsd });
  const spendByTask = (d.costs.by_task_type ?? []).map((t) => ({ label: t.task_type, value: t.cost_usd }));
  byId('chart-spend-task').innerHTML = barChartSvg(spendByTask, { title: 'Spend by task type', format: formatUsd });
}

function renderPerformance(d: DashboardData): void {
  const rows = [...d.performance.models].sort((a, b) => b.requests - a.requests).slice(0, 15);
  const cell = (text: string) => `<td>${escapeXml(text)}</td>`;
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

function renderRecommendations(d: DashboardData): void {
  const items = d.recommendations.recommendations.slice(0, 5).map((r) => {
    const impact = r.expectedImpact;
    const cost = impact?.costChangePct === undefined ? '' : `cost ${impact.costChangePct >= 0 ? '+' : ''}${impact.costChangePct.toFixed(1)}%`;
    const quality = impact?.avgQualityAfter === undefined ? '' : `, quality ${formatQuality(impact.avgQualityBefore)} → ${formatQuality(impact.avgQualityAfter)}`;
    return (
      `<li data-testid="recommendation"><strong>${escapeXml(r.title)}</strong> <span class="muted">${escapeXml(cost + quality)} · effort ${escapeXml(r.effort)} · risk ${escapeXml(r.risk.level)}</span>` +
      `<div>${escapeXml(r.recommendedChange)}</div></li>`
    );
  });
  byId('recommendations').innerHTML = items.join('') || '<li>No change beats the current routing on this window.</li>';
}

function renderGaps(d: DashboardData): void {
  const gaps = [...new Set([d.routing, d.costs, d.quality, d.performance, d.recommendations].flatMap((a) => a.data_gaps))];
  byId('gaps').innerHTML = gaps.map((g) => `<li>${escapeXml(g)}</li>`).join('') || '<li>none</li>';
}

function setStatus(text: string): void {
  byId('status').textContent = text;
}

async function refresh(): Promise<void> {
  const timeframe = (byId('timeframe') as HTMLSelectElement).value;
  try {
    const data = await loadData(timeframe);
    const key = sessionStorage.getItem(KEY_STORAGE);
    await refreshAlertsBanner(key ? { authorization: `Bearer ${key}` } : {});
    byId('key-form').hidden = true;
    renderTiles(data);
    renderCharts(data);
    renderPerformance(data);
    renderRecommendations(data);
    renderGaps(data);
    byId('window').textContent = `${data.routing.window.from} – ${data.routing.window.to}`;
    setStatus(`updated ${new Date().toLocaleTimeString()}`);
    document.body.dataset.state = 'ready';
  } catch (err) {
    if (err instanceof AuthRequired) {
      byId('key-form').hidden = false;
      setStatus('this gateway needs its admin key');
      document.body.dataset.state = 'auth';
    } else {
      setStatus(`could not load: ${(err as Error).message}`);
      document.body.dataset.state = 'error';
    }
  }
}

function start(): void {
  byId('timeframe').addEventListener('change', () => void refresh());
  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, (byId('admin-key') as HTMLInputElement).value.trim());
    void refresh();
  });
  void refresh();
  setInterval(() => void refresh(), REFRESH_MS);
}

start();
