/**
 * Traces (OpenTelemetry API only). Without a configured exporter no tracer provider is
 * registered, so these calls are the API's no-ops: nothing is recorded and the SDK is never
 * loaded (instrumentation.ts imports it only when OTEL_EXPORTER_OTLP_*ENDPOINT is set).
 * One trace follows an event: the publish request's span → the `traceparent` carried in
 * the delivery.requested (and retry) events → one span per attempt. Attempts run in batches of
 * many deliveries (many traces), so each attempt's span is recorded after the fact, in its own
 * delivery's trace, from the attempt's measured duration.
 * The traceparent is NOT sent to webhook receivers: it would leak our trace ids to
 * customers and add a header the product presets promise not to send.
 */
import { context, propagation, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";

export function tracer() {
  return trace.getTracer("hookline");
}

/** The active trace context as a W3C traceparent; undefined when nothing is being traced. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Runs `fn` in a span, a child of `traceparent` when given (a remote parent), else of the active span. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, traceparent?: string): Promise<T> {
  const parent = traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
  return tracer().startActiveSpan(name, { attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** One finished attempt as a span of its delivery's trace (a no-op when nothing is traced or no attempt ran). */
export function recordAttemptSpan(
  outcome: { deliveryId: string; endpointId: string | null; attemptId: string | null; number: number; ok: boolean; responseStatus: number | null; errorCode: string | null; durationMs: number; next: { action: string } },
  traceparent: string | undefined,
) {
  if (!traceparent || !outcome.attemptId) return;
  const parent = propagation.extract(context.active(), { traceparent });
  const end = Date.now();
  const span = tracer().startSpan("hookline.deliver.attempt", { startTime: end - outcome.durationMs }, parent);
  span.setAttributes({
    "hookline.delivery_id": outcome.deliveryId,
    "hookline.attempt_id": outcome.attemptId,
    "hookline.attempt": outcome.number,
    "hookline.outcome": outcome.ok ? "success" : "failure",
    "hookline.next": outcome.next.action,
    ...(outcome.endpointId ? { "hookline.endpoint_id": outcome.endpointId } : {}),
    ...(outcome.responseStatus !== null ? { "http.response.status_code": outcome.responseStatus } : {}),
    ...(outcome.errorCode ? { "error.type": outcome.errorCode } : {}),
  });
  if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}
