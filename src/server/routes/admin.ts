import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { createApiKey, NewKeyOptions } from '../../auth/manage-keys.ts';
import { errors } from '../../util/errors.ts';
import { formatPath } from '../../config/load-config.ts';
import { keySpendFields } from '../../analytics/key-spend.ts';
import { analyticsDbOf } from '../../mcp/store-context.ts';
import type { ApiKeyRow } from '../../store/types.ts';

/** Admin routes: API keys over HTTP (the CLI `aigw keys` does the same on the store directly). */
export function registerAdminRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/admin/keys', async (req, reply) => {
    const parsed = NewKeyOptions.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw errors.invalidField(issue ? formatPath(issue.path) : 'body', issue?.message ?? 'invalid body');
    }
    const g = gateway();
    const created = await createApiKey(g.store, parsed.data);
    g.keysChanged();
    reply.status(201).send({ key: created.key, ...publicKey(created.row) });
  });

  app.get('/admin/keys', async (_req, reply) => {
    const g = gateway();
    const rows = await g.store.listApiKeys();
    await g.writer.flush();
    const spend = await keySpendFields(analyticsDbOf(g.store), rows, Date.now());
    reply.send({ data: rows.map((row) => ({ ...publicKey(row), ...spend.get(row.id) })) });
  });

  app.delete<{ Params: { id: string } }>('/admin/keys/:id', async (req, reply) => {
    const g = gateway();
    const revoked = await g.store.revokeApiKey(req.params.id, Date.now());
    g.keysChanged();
    if (!revoked) throw errors.invalidField('id', `No active key '${req.params.id}'.`);
    reply.send({ id: req.params.id, revoked: true });
  });
}

/** A key as the admin API shows it: every stored field but the hash. */
function publicKey(row: Omit<ApiKeyRow, 'key_hash'>) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.key_prefix,
    team: row.team,
    created_at: new Date(row.created_at).toISOString(),
    revoked_at: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    budget_daily_usd: row.budget_daily_usd,
    budget_monthly_usd: row.budget_monthly_usd,
    rpm_limit: row.rpm_limit,
  };
}
