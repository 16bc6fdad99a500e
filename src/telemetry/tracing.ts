import type { TelemetryConfig } from '../config/telemetry-schema.ts';

/** Attribute values a span takes (OpenTelemetry's primitive and array values). */
export type SpanAttributes = Record<string, string | number | boolean | string[] | undefined>;

export type SpanRole = 'server' | 'client' | 'internal';

/** One span of a request's trace. Children are created from it, so the tree needs no global context. */
export interface TraceSpan {
  readonly traceId: string;
  set(attributes: SpanAttributes): void;
  child(name: string, role: SpanRole, attributes?: SpanAttributes): TraceSpan;
  /** Marks the span failed (`error.type` and an ERROR status); it still has to be ended. */
  fail(errorType: string, message?: string): void;
  end(): void;
}

/** The gateway's tracer: built only when an OTLP endpoint is configured. */
export interface Tracing {
  /** The root span of one request, a child of the caller's `traceparent` when it sent one. */
  startRequest(name: string, headers: Readonly<Record<string, string | string[] | undefined>>, attributes: SpanAttributes): TraceSpan;
  /** Exports every finished span now (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface TracingSettings {
  /** Full URL spans are POSTed to (`…/v1/traces`). */
  tracesUrl: string;
  headers: Record<string, string>;
  serviceName: string;
  exportDelayMs: number;
}

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
