/**
 * The dashboard's calls to its own gateway. The admin key (when the gateway has one) stays in this
 * tab's sessionStorage and goes only to this gateway's admin and analytics routes.
 */
const KEY_STORAGE = 'aigw.adminKey';

/** The gateway wants the admin key: none was given, or the one given was refused (`message` says why). */
export class AuthRequired extends Error {
  constructor(
    readonly keyRejected: boolean,
    message: string,
  ) {
    super(message);
  }
}

export function adminKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setAdminKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
}

/** GET a JSON route of this gateway; query values that are empty strings are left out. */
export async function getJson<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const key = adminKey();
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const res = await fetch(query.size ? `${path}?${query.toString()}` : path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (res.status === 401 || res.status === 403) {
    // A key was sent and refused (wrong, or an ordinary API key): say so, not just ask again.
    throw new AuthRequired(key !== null && key !== '', body.error?.message ?? res.statusText);
  }
  if (!res.ok) throw new Error(`${path}: ${res.status} ${body.error?.message ?? res.statusText}`);
  return body as T;
}

export function analysis<T>(name: string, params: Record<string, string | undefined>): Promise<T> {
  return getJson<T>(`/v1/analytics/${name}`, params);
}
