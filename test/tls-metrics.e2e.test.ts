import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/test-stack.ts';

/** `server.tls` serves HTTPS without a proxy; `server.metrics_token_env` puts /metrics behind a token. */
const dir = mkdtempSync(join(tmpdir(), 'aigw-tls-'));
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');
let stack: TestStack;

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  stack = await startTestStack({
    env: { AIGW_METRICS_TOKEN: 'metrics-secret-0123456789' },
    config: (base) => ({ ...base, server: { tls: { cert_file: certFile, key_file: keyFile }, metrics_token_env: 'AIGW_METRICS_TOKEN' } }),
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('TLS and the metrics token', () => {
  it('answers over HTTPS with the configured certificate', async () => {
    expect(stack.url).toMatch(/^https:\/\//);
    const dispatcher = new Agent({ connect: { ca: readFileSync(certFile) } });
    const res = await undiciFetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await dispatcher.close();
  });

  it('/metrics requires the token when one is configured', async () => {
    const dispatcher = new Agent({ connect: { ca: readFileSync(certFile) } });
    const without = await undiciFetch(`${stack.url}/metrics`, { dispatcher });
    expect(without.status).toBe(401);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('metrics_token_required');
    const withToken = await undiciFetch(`${stack.url}/metrics`, { dispatcher, headers: { authorization: 'Bearer metrics-secret-0123456789' } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('aigw_dependency_up');
    await dispatcher.close();
  });
});
