import { AuthRequired, byId, setAdminKey } from './api.ts';
import { loadOverview, renderOverview } from './overview.ts';
import { loadFilterOptions, loadRequests, requestsAtRest, resetPaging, startRequestsView } from './requests-view.ts';
import { refreshAlertsBanner } from './alerts-banner.ts';

/**
 * The dashboard: an Overview tab (totals, charts, spend per key, recommendations for a chosen goal) and
 * a Requests tab (the request log and one request's detail), over the gateway's admin and analytics
 * routes, refreshed every REFRESH_MS. Each tab lives in its own module; this one wires them up.
 */
const REFRESH_MS = 15_000;
const GOAL_STORAGE = 'aigw.goal';
type Tab = 'overview' | 'requests';

const timeframe = () => byId<HTMLSelectElement>('timeframe').value;
const goal = () => byId<HTMLSelectElement>('goal').value;

function currentTab(): Tab {
  return location.hash === '#requests' ? 'requests' : 'overview';
}

function setStatus(text: string, state: string): void {
  byId('status').textContent = text;
  document.body.dataset.state = state;
}

function showError(err: unknown): void {
  if (err instanceof AuthRequired) {
    byId('key-form').hidden = false;
    byId('key-error').textContent = err.keyRejected ? `That admin key was not accepted: ${err.message} Check AIGW_ADMIN_KEY and try again.` : '';
    setStatus(err.keyRejected ? 'admin key refused' : 'this gateway needs its admin key', err.keyRejected ? 'auth-rejected' : 'auth');
    if (err.keyRejected) byId('admin-key').focus();
    return;
  }
  setStatus(`could not load: ${(err as Error).message}`, 'error');
}

function showTab(tab: Tab): void {
  byId('overview').hidden = tab !== 'overview';
  byId('requests').hidden = tab !== 'requests';
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) link.setAttribute('aria-current', link.hash === `#${tab}` ? 'page' : 'false');
}

async function refresh(force = false): Promise<void> {
  const tab = currentTab();
  showTab(tab);
  try {
    if (tab === 'overview') renderOverview(await loadOverview(timeframe(), goal()));
    else if (force || requestsAtRest()) await Promise.all([loadFilterOptions(timeframe()), loadRequests(timeframe())]);
    await refreshAlertsBanner();
    byId('key-form').hidden = true;
    byId('key-error').textContent = '';
    setStatus(`updated ${new Date().toLocaleTimeString()}`, 'ready');
  } catch (err) {
    showError(err);
  }
}

function start(): void {
  const savedGoal = localStorage.getItem(GOAL_STORAGE);
  if (savedGoal) byId<HTMLSelectElement>('goal').value = savedGoal;
  byId('timeframe').addEventListener('change', () => {
    resetPaging();
    void refresh(true);
  });
  byId('goal').addEventListener('change', () => {
    localStorage.setItem(GOAL_STORAGE, goal());
    void refresh(true);
  });
  window.addEventListener('hashchange', () => void refresh(true));
  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setAdminKey(byId<HTMLInputElement>('admin-key').value.trim());
    setStatus('checking the key…', 'loading');
    void refresh(true);
  });
  startRequestsView(timeframe, showError);
  void refresh(true);
  setInterval(() => void refresh(), REFRESH_MS);
}

start();
