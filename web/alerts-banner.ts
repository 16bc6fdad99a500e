import { getJson } from './api.ts';
import { escapeXml } from './svg-charts.ts';

/**
 * The alerts banner: what GET /v1/alerts says is firing, above everything else on the page, with the
 * checks that had too little data and failing destinations in smaller print. Its own module so the
 * page only calls `refreshAlertsBanner` on each refresh.
 */
interface BannerAlert {
  rule_id: string;
  kind: string;
  subject: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  started_at: string | null;
}

interface AlertsResponse {
  evaluating: boolean;
  firing: BannerAlert[];
  insufficient_data: BannerAlert[];
  failing_destinations: { destination: string; error: string | null }[];
}

function item(a: BannerAlert): string {
  const since = a.started_at ? ` <span class="muted">since ${escapeXml(a.started_at.slice(0, 16).replace('T', ' '))} UTC</span>` : '';
  return `<li data-testid="alert" data-severity="${escapeXml(a.severity)}" data-rule="${escapeXml(a.rule_id)}"><strong>${escapeXml(a.severity)}</strong> ${escapeXml(a.message)}${since}</li>`;
}

/** The banner's HTML for an /v1/alerts answer; empty when nothing needs saying. */
export function alertsBannerHtml(r: AlertsResponse): string {
  const parts: string[] = [];
  if (r.firing.length) parts.push(`<strong>${r.firing.length} alert${r.firing.length === 1 ? '' : 's'} firing</strong><ul>${r.firing.map(item).join('')}</ul>`);
  for (const f of r.failing_destinations)
    parts.push(
      `<div class="muted" data-testid="failing-destination">Alert destination ${escapeXml(f.destination)} is failing: ${escapeXml(f.error ?? 'unknown error')}</div>`,
    );
  return parts.join('');
}

/** Fetches /v1/alerts and fills #alerts-banner; a failure (no key yet, an older gateway) leaves the banner as it was. */
export async function refreshAlertsBanner(): Promise<void> {
  const el = document.getElementById('alerts-banner');
  if (!el) return;
  const alerts = await getJson<AlertsResponse>('/v1/alerts').catch(() => undefined);
  if (!alerts) return;
  const html = alertsBannerHtml(alerts);
  el.innerHTML = html;
  el.hidden = html === '';
  el.dataset.severity = el.querySelector('[data-severity="critical"]') ? 'critical' : 'warning';
}
