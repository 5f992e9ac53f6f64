package io.talkline.commons.problem;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.talkline.commons.requestid.RequestIds;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Builds and writes problem documents; used by the REST mappers and by plain Vert.x handlers (gateway). */
@ApplicationScoped
public class Problems {

    private final ObjectMapper json;
    private final List<ProblemHeaders> extraHeaders;

    public Problems(ObjectMapper json, Instance<ProblemHeaders> extraHeaders) {
        this.json = json;
        this.extraHeaders = extraHeaders.stream().toList();
    }

    public static Problem of(int status, String type, String title, String detail, String path, String requestId,
            List<Problem.FieldError> errors) {
        return new Problem(type, title, status, detail, path, requestId, errors == null || errors.isEmpty() ? null : errors);
    }

    public static Problem of(int status, String detail, String path, String requestId) {
        return of(status, Problem.BLANK, HttpStatus.reason(status), detail, path, requestId, null);
    }

    public String toJson(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem document not serialisable", e);
        }
    }

    /** Ends a Vert.x response with a problem, unless something was already written. */
    public void send(RoutingContext ctx, int status, String detail) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended()) {
            return;
        }
        send(ctx, of(status, detail, ctx.request().path(), requestId(ctx)), Map.of());
    }

    /** Ends a Vert.x response with this problem and the headers it goes with, unless something was already written. */
    public void send(RoutingContext ctx, Problem problem, Map<String, String> headers) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended()) {
            return;
        }
        headers.forEach(response::putHeader);
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        for (ProblemHeaders extra : extraHeaders) {
            extra.apply(response.headers());
        }
        response.end(toJson(problem));
    }

    /** The request's id; a request refused before RequestIdFilter ran (the router's own 400/404) still gets one. */
    public static String requestId(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        String requestId = response.headers().get(RequestIds.HEADER);
        if (requestId == null) {
            requestId = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
            response.putHeader(RequestIds.HEADER, requestId);
        }
        return requestId;
    }
}
