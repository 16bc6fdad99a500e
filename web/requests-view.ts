import { byId, getJson } from './api.ts';
import type { RequestDetail, RequestFilterValues, RequestListPage } from './analytics-types.ts';
import { formatCount, formatMs, formatUsd } from './format.ts';
import { renderRequestDetail } from './request-detail.ts';
import { escapeXml } from './svg-charts.ts';

/**
 * The Requests tab: a page of the request log (GET /admin/requests), newest first, with a filter per
 * column and keyset paging; a row opens the request's detail panel (GET /admin/requests/:id).
 */
const FILTERS = ['key', 'model', 'routing_model', 'task_type', 'status', 'technique', 'cache_hit'] as const;
const PAGE_SIZE = 50;

/** Cursors of the pages before the current one (the first page's is undefined). */
let cursors: Array<string | undefined> = [undefined];
let nextCursor: string | null = null;

function filterValues(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTERS) out[name] = byId<HTMLSelectElement>(`filter-${name}`).value;
  return out;
}

function fillSelect(name: string, options: Array<{ value: string; label: string }>): void {
  const select = byId<HTMLSelectElement>(`filter-${name}`);
  const current = select.value;
  const all = select.options[0]?.outerHTML ?? '<option value="">any</option>';
  select.innerHTML = all + options.map((o) => `<option value="${escapeXml(o.value)}">${escapeXml(o.label)}</option>`).join('');
  // Keep a chosen value even when it no longer occurs in the window.
  if (current && !options.some((o) => o.value === current))
    select.insertAdjacentHTML('beforeend', `<option value="${escapeXml(current)}">${escapeXml(current)}</option>`);
  select.value = current;
}

export async function loadFilterOptions(timeframe: string): Promise<void> {
  const v = await getJson<RequestFilterValues>('/admin/requests/filters', { timeframe });
  const plain = (values: string[]) => values.map((x) => ({ value: x, label: x }));
  fillSelect(
    'key',
    v.keys.map((k) => ({ value: k.id, label: k.name ?? k.id })),
  );
  fillSelect('model', plain(v.models));
  fillSelect('routing_model', plain(v.routing_models));
  fillSelect('task_type', plain(v.task_types));
  fillSelect('technique', [{ value: 'none', label: 'none' }, ...plain(v.techniques)]);
}

const td = (text: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${escapeXml(text)}</td>`;

function statusText(status: number, errorType: string | null): string {
  return errorType ? `${status} ${errorType}` : String(status);
}

function renderRows(page: RequestListPage): void {
  byId('request-rows').innerHTML =
    page.requests
      .map(
        (r) =>
          `<tr data-testid="request-row" data-id="${escapeXml(r.id)}" tabindex="0">` +
          td(`${r.created_at.slice(5, 10)} ${r.created_at.slice(11, 19)}`) +
          td(r.key_name ?? r.key_id ?? '—') +
          td(r.routing_model) +
          td(r.model ?? '—') +
          td(r.task_type ?? '—') +
          td(statusText(r.status, r.error_type), r.status >= 400 ? 'bad' : '') +
          td(formatUsd(r.cost_usd), 'num') +
          td(formatMs(r.latency_ms), 'num') +
          td(r.technique ?? '') +
          td(r.cache_hit ? 'hit' : '') +
          '</tr>',
      )
      .join('') || '<tr><td colspan="10">no requests match</td></tr>';
  const pageNo = cursors.length;
  const first = (pageNo - 1) * PAGE_SIZE + (page.requests.length ? 1 : 0);
  byId('request-count').textContent = `${formatCount(first)}–${formatCount(first + Math.max(0, page.requests.length - 1))} of ${formatCount(page.total)}`;
  byId<HTMLButtonElement>('page-prev').disabled = pageNo <= 1;
  byId<HTMLButtonElement>('page-next').disabled = page.next_cursor === null;
  nextCursor = page.next_cursor;
}

export async function loadRequests(timeframe: string): Promise<void> {
  const page = await getJson<RequestListPage>('/admin/requests', { timeframe, limit: String(PAGE_SIZE), cursor: cursors.at(-1), ...filterValues() });
  renderRows(page);
}

/** True on the first page with no detail open: a periodic refresh may reload without moving under the reader. */
export function requestsAtRest(): boolean {
  return cursors.length === 1 && byId('request-detail').hidden;
}

async function openDetail(id: string): Promise<void> {
  const panel = byId('request-detail');
  panel.hidden = false;
  byId('detail-body').innerHTML = '<p class="muted">loading…</p>';
  try {
    const detail = await getJson<RequestDetail>(`/admin/requests/${encodeURIComponent(id)}`);
    byId('detail-body').innerHTML = renderRequestDetail(detail);
    panel.dataset.id = id;
  } catch (err) {
    byId('detail-body').innerHTML = `<p class="bad">${escapeXml((err as Error).message)}</p>`;
  }
}

export function startRequestsView(timeframe: () => string, onError: (err: unknown) => void): void {
  const reload = () => loadRequests(timeframe()).catch(onError);
  for (const name of FILTERS) {
    byId(`filter-${name}`).addEventListener('change', () => {
      cursors = [undefined];
      void reload();
    });
  }
  byId('page-next').addEventListener('click', () => {
    if (nextCursor === null) return;
    cursors.push(nextCursor);
    void reload();
  });
  byId('page-prev').addEventListener('click', () => {
    if (cursors.length > 1) cursors.pop();
    void reload();
  });
  const rows = byId('request-rows');
  const open = (target: EventTarget | null) => {
    const row = (target as HTMLElement | null)?.closest('tr[data-id]');
    if (row instanceof HTMLElement && row.dataset.id) void openDetail(row.dataset.id);
  };
  rows.addEventListener('click', (e) => open(e.target));
  rows.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open(e.target);
  });
  byId('detail-close').addEventListener('click', () => {
    byId('request-detail').hidden = true;
  });
}

/** A new timeframe starts again at the first page. */
export function resetPaging(): void {
  cursors = [undefined];
}
