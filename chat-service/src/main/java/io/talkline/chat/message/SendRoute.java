package io.talkline.chat.message;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.smallrye.mutiny.Uni;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.message.MessageRequests.NewMessage;
import io.talkline.chat.room.Caller;
import io.talkline.commons.auth.BearerAuthMechanism;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.problem.ProblemException;
import io.talkline.commons.problem.ProblemMappers;
import io.talkline.commons.problem.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * {@code POST /api/rooms/{roomId}/messages} as a plain Vert.x route, ahead of {@link MessageResource}
 * (ADR 0033): the send is the one request that comes by the thousand per second, and the REST
 * layer's per-request machinery (resource lookup, interceptors, entity writers) was about half of
 * an event loop's work. It answers only a well-formed send whose token this instance has verified
 * before and whose body is valid; everything else — no token or a new one, another media type, a
 * body that does not parse or validate, no Content-Length — goes on, body and all, to
 * MessageResource, which answers it exactly as always. What it answers it answers as that resource
 * would: the same status, JSON, headers and problem documents.
 */
@ApplicationScoped
public class SendRoute {

    /** Larger bodies (no text message comes near it) go the REST way, which has its own limit. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String JSON_UTF8 = "application/json;charset=UTF-8";

    private final MessageService messages;
    private final TokenVerifier verifier;
    private final Validator validator;
    private final Problems problems;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final LongAdder answered = new LongAdder();
    private final boolean enabled;

    public SendRoute(MessageService messages, TokenVerifier verifier, Validator validator, Problems problems,
            ObjectMapper json, MeterRegistry metrics, ChatConfig config) {
        this.enabled = config.message().directRoute();
        this.messages = messages;
        this.verifier = verifier;
        this.validator = validator;
        this.problems = problems;
        this.reader = json.readerFor(NewMessage.class);
        this.writer = json.writerFor(MessageView.class);
        FunctionCounter.builder("talkline_chat_sends_direct_total", answered, LongAdder::sum)
                .description("REST sends answered by the direct route, not by the REST layer (ADR 0033)")
                .register(metrics);
    }

    void register(@Observes Router router) {
        if (!enabled) {
            return;
        }
        // after every filter (request id, authentication's set-up), before the REST layer's route
        router.post("/api/rooms/:roomId/messages").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String token = BearerAuthMechanism.token(request);
        VerifiedToken verified = token == null ? null : verifier.verifiedNow(token);
        long length = contentLength(request);
        if (verified == null || length < 0 || length > MAX_BODY_BYTES || !json(request.getHeader(HttpHeaders.CONTENT_TYPE))
                || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            ctx.next();
            return;
        }
        request.body().onComplete(read -> {
            if (read.failed()) {
                ctx.fail(400, read.cause());
                return;
            }
            Buffer body = read.result();
            NewMessage message = parse(body);
            if (message == null || !validator.validate(message).isEmpty()) {
                // the REST layer answers it, with the field at fault, from the body read here
                ((RoutingContextInternal) ctx).setBody(body);
                ctx.next();
                return;
            }
            send(ctx, Caller.of(verified, token), message);
        });
        // Quarkus pauses a request while its filters run; the REST layer resumes it, and so must this
        request.resume();
    }

    private void send(RoutingContext ctx, Caller caller, NewMessage message) {
        BearerAuthMechanism.tagLogs(ctx, Vertx.currentContext(), caller.userId());
        answered.increment();
        // NoStore's header, on every answer of the room API, the problems too
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        // deferred: what sendAsync refuses before it has a Uni (a body too long) is a failure like any other
        Uni.createFrom().deferred(() -> messages.sendAsync(caller, ctx.pathParam("roomId"), message)).subscribe().with(sent -> {
            Buffer json;
            try {
                json = Buffer.buffer(writer.writeValueAsBytes(sent.message()));
            } catch (Exception e) {
                fail(ctx, e);
                return;
            }
            ctx.response().setStatusCode(sent.created() ? 201 : 200).putHeader(HttpHeaders.CONTENT_TYPE, JSON_UTF8)
                    .end(json);
        }, failure -> fail(ctx, failure));
    }

    /** As ProblemMappers answers the resource's failures. */
    private void fail(RoutingContext ctx, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String path = ctx.request().path();
        String requestId = Problems.requestId(ctx);
        if (cause instanceof ProblemException problem) {
            problems.send(ctx, ProblemMappers.problemOf(problem, path, requestId), problem.headers());
        } else {
            var unexpected = ProblemMappers.unexpectedProblem(cause, path, requestId);
            problems.send(ctx, unexpected, ProblemMappers.retryAfter(unexpected));
        }
    }

    private NewMessage parse(Buffer body) {
        try {
            return reader.readValue(body.getBytes());
        } catch (Exception e) {
            return null;
        }
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code application/json}, with or without parameters: what MessageResource consumes. */
    static boolean json(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16)
                && (contentType.length() == 16 || contentType.charAt(16) == ';' || contentType.charAt(16) == ' ');
    }

    /** No Accept, or one that plainly takes JSON; anything subtler is the REST layer's to negotiate. */
    static boolean acceptsJson(String accept) {
        return accept == null || accept.equals("*/*") || accept.equals("application/json")
                || accept.equals("application/*");
    }
}
