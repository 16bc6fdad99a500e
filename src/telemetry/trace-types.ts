/** Attribute values a span takes (OpenTelemetry's primitive and array values). */
export type SpanAttributes = Record<string, string | number | boolean | string[] | undefined>;

export type SpanRole = 'server' | 'client' | 'internal';

/** One span of a request's trace. Children are created from it, so the tree needs no global context. */
export interface TraceSpan {
  readonly traceId: string;
  set(attributes: SpanAttributes): void;
  /** The name, once the request says what it is (the root span starts before the body is read). */
  rename(name: string): void;
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
