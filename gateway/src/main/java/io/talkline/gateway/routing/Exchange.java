package io.talkline.gateway.routing;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.quarkus.logging.Log;
import io.talkline.commons.requestid.RequestIds;
import io.talkline.commons.tracing.TraceContext;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;

/**
 * One request forwarded to a service on the event loop's own client: the next instance is tried on
 * a refused connect, the answer streams back as it comes. Hop-by-hop headers stay on their own hop.
 * A WebSocket handshake that the service accepts becomes a byte tunnel (one answered 503 by a
 * stopping instance is tried on the next).
 * <p>
 * A small body (within the JSON limit, with a length) is read whole before it goes up, so that a
 * request which is safe to repeat can be sent to the next instance when its instance breaks the
 * exchange before answering (killed mid-request) or answers 503 (stopping): the idempotent methods,
 * and {@code POST /api/rooms/{id}/messages} with a {@code clientMsgId} — the service stores such a
 * send once however often it comes. A timeout is never repeated. Larger bodies (media uploads)
 * stream up, counted against the route's limit when they have no Content-Length.
 */
final class Exchange {

    /** Headers of one connection, not of the message (RFC 9110 §7.6.1), lower case as Vert.x keeps them. */
    private static final MultiMap HOP_BY_HOP = MultiMap.caseInsensitiveMultiMap()
            .add(HttpHeaders.CONNECTION, "").add(HttpHeaders.KEEP_ALIVE, "").add(HttpHeaders.PROXY_AUTHENTICATE, "")
            .add(HttpHeaders.PROXY_AUTHORIZATION, "").add("te", "").add("trailer", "")
            .add(HttpHeaders.TRANSFER_ENCODING, "").add(HttpHeaders.UPGRADE, "")
            // answered here: the service would otherwise wait for a client that already got its 100
            .add(HttpHeaders.EXPECT, "")
            // the upstream's Host is its own address, as the client's authority means nothing to it
            .add(HttpHeaders.HOST, "")
            // trace context: the gateway's client span sets its own (a child of the client's span, with
            // the trace's state), ADR 0020; a copy as well would give the service two parents
            .add(TraceContext.TRACEPARENT, "").add("tracestate", "");

    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final UpstreamPool pool;
    private final HttpClient client;
    private final long bodyLimit;
    private final GatewayProxy gateway;
    private final long started = System.nanoTime();
    private final boolean upgrade;
    private final boolean replayable;
    private LimitedBody counted;
    /** The whole body of a replayable request that has one. */
    private Buffer body;
    /** A repeatable request already tried again on its last candidate. */
    private boolean retriedHere;

    Exchange(RoutingContext ctx, UpstreamPool pool, HttpClient client, long bodyLimit, GatewayProxy gateway,
            boolean upgrade, boolean replayable) {
        this.ctx = ctx;
        this.upgrade = upgrade;
        this.replayable = replayable && !upgrade;
        this.request = ctx.request();
        this.pool = pool;
        this.client = client;
        this.bodyLimit = bodyLimit;
        this.gateway = gateway;
    }

    /**
     * Starts with the request paused: a streamed body is not read before an upstream connection
     * exists; a replayable one is read whole first.
     */
    void start() {
        List<Upstream> candidates = pool.candidates();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (!replayable || (length == null ? !requestHasBody() : length.trim().equals("0"))) {
            attempt(candidates, 0, null);
            return;
        }
        if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        request.body().onComplete(read -> {
            if (read.failed()) {
                failed(read.cause());
                return;
            }
            body = read.result();
            attempt(candidates, 0, null);
        });
        request.resume();
    }

    private void attempt(List<Upstream> candidates, int index, Throwable last) {
        if (index >= candidates.size()) {
            failed(new UpstreamUnavailable(pool.service(), last));
            return;
        }
        Upstream upstream = candidates.get(index);
        RequestOptions options = new RequestOptions().setServer(upstream.address()).setMethod(request.method())
                .setURI(uri()).setConnectTimeout(gateway.connectTimeoutMillis());
        if (!upgrade) {
            options.setIdleTimeout(gateway.upstreamTimeoutMillis()); // a tunnel may be quiet for long
        }
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                upstream.healthy(false);
                Log.warnf("upstream %s unreachable (%s), failing over requestId=%s", upstream,
                        connected.cause().getMessage(), request.getHeader(RequestIds.HEADER));
                attempt(candidates, index + 1, connected.cause());
                return;
            }
            HttpClientRequest exchange = connected.result();
            // failures reach us through the response future; without a handler Vert.x logs each as an error
            exchange.exceptionHandler(failure -> Log.debugf("upstream exchange ended: %s", failure));
            // the client went away: so does the upstream exchange
            request.response().exceptionHandler(gone -> exchange.reset(0, gone));
            if (upgrade) {
                upgrade(exchange, candidates, index);
            } else if (replayable) {
                sendWhole(exchange, candidates, index);
            } else {
                send(exchange);
            }
        });
    }

    /** A replayable request: its body in one piece; a broken exchange or a 503 goes to the next instance. */
    private void sendWhole(HttpClientRequest upstream, List<Upstream> candidates, int index) {
        copyEndToEnd(request.headers(), upstream.headers());
        upstream.response().onComplete(answer -> {
            boolean another = index + 1 < candidates.size() && !request.response().closed();
            if (answer.succeeded()) {
                HttpClientResponse response = answer.result();
                if (response.statusCode() == 503 && another && repeatable()) {
                    // a stopping instance (or one that cannot serve now): its answer is dropped, the next one asked
                    response.body().onComplete(dropped -> again(candidates, index, "answered 503"));
                    return;
                }
                answer(response);
            } else if (another && repeatable() && !(answer.cause() instanceof TimeoutException)) {
                again(candidates, index, answer.cause().toString());
            } else if (!retriedHere && !request.response().closed() && repeatable()
                    && !(answer.cause() instanceof TimeoutException)) {
                // the last instance broke it: once more on a fresh connection, as a kept one may have
                // died with its process (then the connect is refused and the answer is 503, not 502)
                retriedHere = true;
                attempt(candidates, index, answer.cause());
            } else {
                failed(answer.cause());
            }
        });
        if (body == null) {
            upstream.end(); // a Content-Length: 0, if it came, went up with the headers
            request.resume(); // nothing to read but the request's end
        } else {
            upstream.headers().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
            upstream.end(body);
        }
    }

    private void again(List<Upstream> candidates, int index, String why) {
        Log.warnf("%s %s on %s failed (%s): sent again to the next instance requestId=%s", request.method(),
                RequestPath.of(ctx), candidates.get(index), GatewayProxy.withoutQueries(new RuntimeException(why)),
                request.getHeader(RequestIds.HEADER));
        attempt(candidates, index + 1, null);
    }

    /**
     * Whether sending the request twice does what sending it once does: the idempotent methods, and a
     * message send that names its clientMsgId (stored once per sender, room and clientMsgId).
     */
    private boolean repeatable() {
        HttpMethod method = request.method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                || method == HttpMethod.PUT || method == HttpMethod.DELETE) {
            return true;
        }
        return method == HttpMethod.POST && body != null && isMessageSend(RequestPath.of(ctx)) && namesClientMsgId(body);
    }

    /** {@code /api/rooms/{id}/messages}. */
    static boolean isMessageSend(String path) {
        String prefix = "/api/rooms/";
        String suffix = "/messages";
        if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length() <= prefix.length() + suffix.length()) {
            return false;
        }
        return path.indexOf('/', prefix.length()) == path.length() - suffix.length();
    }

    static boolean namesClientMsgId(Buffer body) {
        try {
            return new JsonObject(body).getValue("clientMsgId") instanceof String id && !id.isBlank();
        } catch (RuntimeException e) {
            return false; // not a JSON object: the service answers it 400 anyway
        }
    }

    /** The canonical path the route and the rate-limit policy were chosen for, and the query as sent. */
    private String uri() {
        String path = RequestPath.of(ctx);
        String query = request.query();
        return query == null ? path : path + '?' + query;
    }

    private void send(HttpClientRequest upstream) {
        MultiMap headers = upstream.headers();
        copyEndToEnd(request.headers(), headers);
        HttpServerResponse response = request.response();
        upstream.response().onComplete(answer -> {
            if (answer.succeeded()) {
                answer(answer.result());
            } else {
                failed(answer.cause());
            }
        });
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null && !requestHasBody()) {
            upstream.end();
            request.resume();
            return;
        }
        if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            response.writeContinue();
        }
        ReadStream<Buffer> body = request;
        if (length == null) {
            // no length: counted as it streams, since no Content-Length could be checked up front
            // and chunked only once a first buffer comes: an HTTP/2 request's end may not be known yet
            counted = new LimitedBody(request, bodyLimit).beforeFirst(() -> upstream.setChunked(true));
            body = counted;
        } else {
            headers.set(HttpHeaders.CONTENT_LENGTH, length);
        }
        Pipe<Buffer> pipe = body.pipe();
        pipe.endOnFailure(false);
        pipe.to(upstream, sent -> {
            if (sent.failed()) {
                upstream.reset(0, sent.cause());
            }
        });
    }

    /**
     * A WebSocket handshake: passed on as it came (Connection normalised: some browsers send
     * "keep-alive, Upgrade"); on 101 both connections become one byte tunnel, any other answer
     * (a refusal with its problem document) goes back like a plain one.
     */
    private void upgrade(HttpClientRequest upstream, List<Upstream> candidates, int index) {
        MultiMap headers = upstream.headers();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey();
            if (!name.equalsIgnoreCase(HttpHeaders.HOST.toString()) && !name.equalsIgnoreCase(TraceContext.TRACEPARENT)
                    && !name.equalsIgnoreCase("tracestate")) {
                headers.add(name, header.getValue());
            }
        }
        headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
        upstream.connect().onComplete(connected -> {
            if (connected.failed()) {
                failed(connected.cause());
                return;
            }
            HttpClientResponse answer = connected.result();
            if (answer.statusCode() == 503 && index + 1 < candidates.size() && !request.response().closed()) {
                // a refused handshake changed nothing: a stopping instance's refusal goes to the next one
                answer.body().onComplete(dropped -> again(candidates, index, "upgrade answered 503"));
                return;
            }
            if (answer.statusCode() != 101) {
                answer(answer);
                return;
            }
            gateway.answered(pool.service(), started, 101);
            HttpServerResponse response = request.response();
            response.setStatusCode(101);
            response.headers().addAll(answer.headers());
            NetSocket service = answer.netSocket();
            request.toNetSocket().onComplete(accepted -> {
                if (accepted.failed()) {
                    service.close();
                    return;
                }
                // each side ends the other: a close on either closes the tunnel, with backpressure both ways
                accepted.result().pipeTo(service);
                service.pipeTo(accepted.result());
            });
        });
        if (request.isEnded()) {
            upstream.end(); // a second attempt: the handshake request was read whole by the first
            return;
        }
        request.handler(upstream::write);
        request.endHandler(v -> upstream.end());
        request.resume();
    }

    private void answer(HttpClientResponse answer) {
        gateway.answered(pool.service(), started, answer.statusCode());
        HttpServerResponse response = request.response();
        if (response.headWritten() || response.ended()) {
            answer.request().reset(); // the client is gone or was answered (413 mid-body)
            return;
        }
        response.setStatusCode(answer.statusCode());
        copyEndToEnd(answer.headers(), response.headers());
        if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH) && answerHasBody(answer.statusCode())) {
            if (request.version() == HttpVersion.HTTP_1_0) {
                // no chunked encoding in HTTP/1.0: the answer is read whole (services answer JSON)
                answer.body().onComplete(body -> {
                    if (body.succeeded()) {
                        response.end(body.result());
                    } else {
                        response.reset();
                    }
                });
                return;
            }
            response.setChunked(true);
        }
        Pipe<Buffer> pipe = answer.pipe();
        pipe.endOnFailure(false);
        pipe.to(response, sent -> {
            if (sent.failed()) {
                // the head is out: breaking the connection is the only way to say the body is incomplete
                answer.request().reset();
                response.reset();
            }
        });
    }

    /** Copies a message's headers except its hop's own, including any its Connection header names. */
    private static void copyEndToEnd(MultiMap from, MultiMap to) {
        Set<String> listed = listedIn(from.get(HttpHeaders.CONNECTION));
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (!HOP_BY_HOP.contains(name) && (listed.isEmpty() || !listed.contains(name.toLowerCase(Locale.ROOT)))) {
                to.add(name, header.getValue());
            }
        }
    }

    private static Set<String> listedIn(String connection) {
        if (connection == null) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String token : connection.split(",")) {
            String name = token.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !name.equals("keep-alive") && !name.equals("close")) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Whether the request carries a body: over HTTP/1.x only with Content-Length or Transfer-Encoding
     * (RFC 9112 §6.3); over HTTP/2 unless its headers ended the stream.
     */
    private boolean requestHasBody() {
        if (request.version() == HttpVersion.HTTP_2) {
            return !request.isEnded();
        }
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private boolean answerHasBody(int status) {
        return request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
    }

    private void failed(Throwable failure) {
        if (counted != null && counted.exceeded()) {
            failure = new LimitedBody.TooLarge(bodyLimit);
        }
        gateway.failed(ctx, pool.service(), started, failure);
    }
}
