package io.talkline.commons.tracing;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * One span per socket frame that does work (ADR 0020). A socket lives for hours, so its frames are
 * not children of the upgrade request: each frame starts a trace of its own, linked to the span
 * that opened the socket. What the frame's work logs, writes to the outbox or asks other services
 * then carries that trace id.
 */
@ApplicationScoped
public class FrameSpans {

    private final Tracer tracer;

    public FrameSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Runs a frame's work inside its span; a failure marks the span and goes on. */
    public <T> T run(String endpoint, String frameType, SpanContext opened, Supplier<T> work) {
        Span span = start(endpoint, frameType, opened);
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** A frame's span, started and not yet current: for work that ends later (the caller ends it). */
    public Span start(String endpoint, String frameType, SpanContext opened) {
        SpanBuilder builder = tracer.spanBuilder(frameType + " " + endpoint).setSpanKind(SpanKind.SERVER).setNoParent()
                .setAttribute("websocket.frame.type", frameType).setAttribute("url.path", endpoint);
        if (opened != null && opened.isValid()) {
            builder.addLink(opened);
        }
        return builder.startSpan();
    }

    public static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR);
    }

    /**
     * The span a socket's frames link to: the one current while it opens if there is one, else the
     * caller of its upgrade request (the gateway's span, from the handshake's traceparent).
     */
    public static SpanContext opening(String handshakeTraceparent) {
        SpanContext current = Span.current().getSpanContext();
        return current.isValid() ? current : TraceContext.spanContext(handshakeTraceparent);
    }
}
