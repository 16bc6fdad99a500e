import { defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanAttributes, SpanRole, TraceSpan, Tracing, TracingSettings } from './trace-types.ts';

/**
 * The OpenTelemetry implementation of Tracing: a private tracer provider (never registered as the
 * global one, so several gateways in one process keep their own exporters), a batch processor
 * and the OTLP/HTTP JSON exporter. Parents are passed explicitly, so no context manager is needed.
 */
const KINDS: Record<SpanRole, SpanKind> = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL };

function clean(attributes: SpanAttributes | undefined): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

class OtelSpan implements TraceSpan {
  constructor(
    private readonly tracer: Tracer,
    private readonly span: Span,
    private readonly ctx: Context,
  ) {}

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  set(attributes: SpanAttributes): void {
    this.span.setAttributes(clean(attributes));
  }

  rename(name: string): void {
    this.span.updateName(name);
  }

  child(name: string, role: SpanRole, attributes?: SpanAttributes): TraceSpan {
    const span = this.tracer.startSpan(name, { kind: KINDS[role], attributes: clean(attributes) }, this.ctx);
    return new OtelSpan(this.tracer, span, trace.setSpan(this.ctx, span));
  }

  fail(errorType: string, message?: string): void {
    this.span.setAttribute('error.type', errorType);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  end(): void {
    this.span.end();
  }
}

export function createOtelTracing(settings: TracingSettings): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers }), {
        scheduledDelayMillis: settings.exportDelayMs,
      }),
    ],
  });
  const tracer = provider.getTracer('aigw');
  const propagator = new W3CTraceContextPropagator();
  return {
    startRequest(name, headers, attributes) {
      // An incoming `traceparent` makes this request a child of the caller's span (its trace id kept).
      const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: clean(attributes) }, parent);
      return new OtelSpan(tracer, span, trace.setSpan(parent, span));
    },
    flush: () => provider.forceFlush(),
    close: () => provider.shutdown(),
  };
}
