import type { FastifyRequest } from 'fastify';
import type { Gateway } from '../pipeline/gateway-types.ts';
import { extractBearerToken, isAdminKey, KeyStoreUnavailableError } from '../auth/key-resolver.ts';
import type { ApiKeyRow } from '../store/types.ts';
import { errors } from '../util/errors.ts';

/** The key from `Authorization: Bearer …` (the scheme is case-insensitive, RFC 6750 §2.1 / RFC 9110 §11.1), else `x-api-key`. */
function bearerToken(req: FastifyRequest): string | undefined {
  const token = extractBearerToken(req.headers.authorization);
  if (token) return token;
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey : undefined;
}

/**
 * Admin routes need the admin key (or, with no admin key and no API keys configured, nothing: a
 * local development gateway). Other routes need a valid API key once any key exists; until then
 * they are open and the gateway listens on 127.0.0.1 only.
 */
export async function authenticate(g: Gateway, req: FastifyRequest, path: string): Promise<void> {
  try {
    await authenticateOrThrow(g, req, path);
  } catch (err) {
    // The store is down and this key is not cached: no way to know whether to serve it.
    if (err instanceof KeyStoreUnavailableError) throw errors.dependencyUnavailable('the API key store is unreachable');
    throw err;
  }
}

/**
 * True when `authenticate` would pass without waiting for anything: a non-admin route while no API
 * key exists (known without asking the store) and no admin key presented, or while keys are
 * required, a key the resolver's cache holds fresh and active (its TTL and refresh unchanged). The
 * common request then skips authenticate's promises and turns; any other case returns false and
 * `authenticate` answers it as before.
 */
export function authenticatedNow(g: Gateway, req: FastifyRequest, path: string): boolean {
  if (isAdminPath(path)) return false;
  const keysRequired = g.keysRequiredNow?.();
  if (keysRequired === undefined) return false;
  const token = g.adminKey || keysRequired ? bearerToken(req) : undefined;
  if (token && g.adminKey && isAdminKey(token, g.adminKey)) return false;
  if (!keysRequired) return true;
  const key = g.keys.activeCached(token);
  if (!key) return false;
  useKey(req, key);
  return true;
}

async function authenticateOrThrow(g: Gateway, req: FastifyRequest, path: string): Promise<void> {
  const token = bearerToken(req);
  const record = req.record;
  if (token && g.adminKey && isAdminKey(token, g.adminKey)) {
    record.isAdmin = true;
    return;
  }
  const keysRequired = await g.keysRequired();
  if (isAdminPath(path)) {
    if (token && keysRequired && (await g.keys.resolve(token))) throw errors.notAdmin();
    if (g.adminKey || keysRequired) throw errors.adminOnly();
    record.isAdmin = true;
    return;
  }
  if (!keysRequired) return;
  if (!token) throw errors.missingKey();
  const key = await g.keys.resolve(token);
  if (!key) throw errors.invalidKey();
  useKey(req, key);
}

function useKey(req: FastifyRequest, key: ApiKeyRow): void {
  const record = req.record;
  record.key = key;
  record.row.key_id = key.id;
  record.row.team = key.team;
}

function isAdminPath(path: string): boolean {
  return path.startsWith('/admin/') || path.startsWith('/mcp/') || path.startsWith('/v1/analytics') || path === '/v1/report' || path.startsWith('/v1/alerts');
}
