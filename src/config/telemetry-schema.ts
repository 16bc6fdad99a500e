import { z } from 'zod';

/**
 * OpenTelemetry traces over OTLP/HTTP. Off unless an endpoint is set here or in the standard
 * environment (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, which win);
 * off, no OpenTelemetry SDK is loaded and no span is built.
 */
export const TelemetryConfig = z.strictObject({
  /** OTLP/HTTP base URL, e.g. `http://127.0.0.1:4318`; spans go to `{otlp_endpoint}/v1/traces`. */
  otlp_endpoint: z.url().optional(),
  /** Headers sent with every export (e.g. a vendor API key); `OTEL_EXPORTER_OTLP_HEADERS` adds to them. */
  otlp_headers: z.record(z.string(), z.string()).default({}),
  /** `service.name` of the spans; `OTEL_SERVICE_NAME` overrides. */
  service_name: z.string().min(1).default('aigw'),
  /** Longest a finished span waits before its batch is exported, in ms. */
  export_delay_ms: z.int().positive().default(1000),
});
export type TelemetryConfig = z.infer<typeof TelemetryConfig>;
