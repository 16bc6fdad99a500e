import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

let bundle: Promise<string> | undefined;

/**
 * The page's script, bundled from web/dashboard.ts once per process (a few ms) and served from memory.
 * esbuild is loaded on the first request for it, not at start (it holds ~13 MB the gateway does not need to serve).
 */
export function dashboardScript(): Promise<string> {
  bundle ??= import('esbuild')
    .then(({ build }) =>
      build({
        entryPoints: [`${WEB_DIR}dashboard.ts`],
        bundle: true,
        format: 'esm',
        target: 'es2022',
        minify: true,
        write: false,
        logLevel: 'silent',
      }),
    )
    .then((out) => out.outputFiles[0]?.text ?? '');
  bundle.catch(() => {
    bundle = undefined; // a failed build is retried on the next request
  });
  return bundle;
}

/**
 * GET /dashboard and its script. Both are public: they hold no data. The page reads the analytics API,
 * which needs the admin key whenever the gateway has one (the page asks for it).
 */
export function registerDashboardRoutes(app: FastifyInstance): void {
  const html = readFileSync(`${WEB_DIR}dashboard.html`, 'utf8');
  app.get('/dashboard', async (_req, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });
  app.get('/dashboard/app.js', async (_req, reply) => {
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await dashboardScript());
  });
}
