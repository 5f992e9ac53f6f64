package io.talkline.commons.tracing;

import java.util.List;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * W3C trace context where no instrumentation carries it for us (ADR 0020): the {@code traceparent}
 * an outbox row keeps until the relay puts it on the Kafka record. Static: the OpenTelemetry
 * context is the caller's (thread or Vert.x context), no bean is needed to read it.
 */
public final class TraceContext {

    /** The W3C header (and Kafka record header) name. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private TraceContext() {
    }

    /** The current span's {@code traceparent}, or null outside any trace. */
    public static String traceparent() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        String[] value = new String[1];
        W3CTraceContextPropagator.getInstance().inject(Context.current(), value,
                (carrier, key, header) -> {
                    if (TRACEPARENT.equals(key)) {
                        carrier[0] = header;
                    }
                });
        return value[0];
    }

    /** The trace id in a {@code traceparent} value, or null when it is not one. */
    public static String traceId(String traceparent) {
        SpanContext span = spanContext(traceparent);
        return span.isValid() ? span.getTraceId() : null;
    }

    /** The remote span a {@code traceparent} names (invalid when null or malformed). */
    public static SpanContext spanContext(String traceparent) {
        if (traceparent == null) {
            return SpanContext.getInvalid();
        }
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, ONE_VALUE);
        return Span.fromContext(context).getSpanContext();
    }
}
