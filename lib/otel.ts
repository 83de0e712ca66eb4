/**
 * The OpenTelemetry SDK, loaded only when an OTLP endpoint is configured (see
 * instrumentation-node.ts): with tracing off this module is never imported.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

/**
 * Registers the global tracer provider (W3C trace-context propagation, async-context tracking).
 * The exporter reads the standard OTEL_EXPORTER_OTLP_* variables (endpoint, headers).
 */
export function startTracing(serviceName: string, options: { processor?: SpanProcessor } = {}) {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [options.processor ?? new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return provider;
}
