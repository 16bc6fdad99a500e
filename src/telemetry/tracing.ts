import type { TelemetryConfig } from '../config/telemetry-schema.ts';
import type { Tracing, TracingSettings } from './trace-types.ts';

/**
 * Where traces go, from the environment first (the OpenTelemetry standard variables), then the config;
 * undefined when neither names an endpoint.
 */
export function tracingSettings(config: TelemetryConfig, env: NodeJS.ProcessEnv): TracingSettings | undefined {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT || config.otlp_endpoint;
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!tracesUrl) return undefined;
  return {
    tracesUrl,
    headers: { ...config.otlp_headers, ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS) },
    serviceName: env.OTEL_SERVICE_NAME || config.service_name,
    exportDelayMs: config.export_delay_ms,
  };
}

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key1=value1,key2=value2`, values URL-encoded. */
export function parseHeaderList(list: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (list ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    out[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return out;
}

/**
 * The tracer for these settings, or undefined when tracing is off. The OpenTelemetry SDK is imported
 * here and only here, on demand: a gateway without an endpoint never loads it.
 */
export async function startTracing(config: TelemetryConfig, env: NodeJS.ProcessEnv): Promise<Tracing | undefined> {
  const settings = tracingSettings(config, env);
  if (!settings) return undefined;
  const { createOtelTracing } = await import('./otel-tracing.ts');
  return createOtelTracing(settings);
}
