import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelemetryConfig } from '../config/telemetry-schema.ts';
import { startOtlpReceiver } from './otlp-receiver.test-support.ts';
import { parseHeaderList, startTracing, tracingSettings } from './tracing.ts';

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('tracing settings', () => {
  it('is off without an endpoint, and the environment wins over the config', async () => {
    const config = TelemetryConfig.parse({});
    expect(tracingSettings(config, {})).toBeUndefined();
    expect(await startTracing(config, {})).toBeUndefined();
    const fromConfig = TelemetryConfig.parse({ otlp_endpoint: 'http://collector:4318/', otlp_headers: { a: '1' } });
    expect(tracingSettings(fromConfig, {})).toMatchObject({ tracesUrl: 'http://collector:4318/v1/traces', headers: { a: '1' }, serviceName: 'aigw' });
    expect(
      tracingSettings(fromConfig, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
        OTEL_SERVICE_NAME: 'gw',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=k%3D1,b=2',
      }),
    ).toMatchObject({ tracesUrl: 'http://env:4318/v1/traces', serviceName: 'gw', headers: { a: '1', 'x-honeycomb-team': 'k=1', b: '2' } });
    expect(tracingSettings(config, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x' })?.tracesUrl).toBe('http://t/x');
    expect(parseHeaderList('broken,=x,k=v')).toEqual({ k: 'v' });
  });
});

describe('OTLP/HTTP export', () => {
  it('exports a span tree under the caller’s traceparent, with attributes and error status', async () => {
    const tracing = await startTracing(
      TelemetryConfig.parse({ otlp_endpoint: receiver.url, service_name: 'aigw-test', otlp_headers: { 'x-api-key': 'k' } }),
      {},
    );
    expect(tracing).toBeDefined();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const root = tracing!.startRequest('chat auto', { traceparent }, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'auto' });
    const attempt = root.child('chat sim-mini', 'client', { 'gen_ai.request.model': 'sim-mini', attempt: 1 });
    attempt.fail('server_error', 'HTTP 500');
    attempt.end();
    root.set({ 'gen_ai.usage.input_tokens': 12, 'aigw.cache_hit': false, 'gen_ai.response.finish_reasons': ['stop'], skipped: undefined });
    root.end();
    await tracing!.flush();
    await tracing!.close();

    const got = receiver.spans.filter((s) => s.traceId === '0af7651916cd43dd8448eb211c80319c');
    const server = got.find((s) => s.name === 'chat auto')!;
    const client = got.find((s) => s.name === 'chat sim-mini')!;
    expect(server.parentSpanId).toBe('b7ad6b7169203331');
    expect(server.kind).toBe(2); // SERVER
    expect(server.serviceName).toBe('aigw-test');
    expect(server.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'auto',
      'gen_ai.usage.input_tokens': 12,
      'aigw.cache_hit': false,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.kind).toBe(3); // CLIENT
    expect(client.attributes['error.type']).toBe('server_error');
    expect(client.status).toMatchObject({ code: 2, message: 'HTTP 500' });
    expect(receiver.requests[0]).toMatchObject({ contentType: 'application/json', headers: { 'x-api-key': 'k' } });
  });
});
