package io.talkline.commons.problem;

import java.util.List;

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
        // a request refused before RequestIdFilter ran (the router's own 400/404) still gets its id
        String requestId = response.headers().get(RequestIds.HEADER);
        if (requestId == null) {
            requestId = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
            response.putHeader(RequestIds.HEADER, requestId);
        }
        Problem problem = of(status, detail, ctx.request().path(), requestId);
        response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        for (ProblemHeaders headers : extraHeaders) {
            headers.apply(response.headers());
        }
        response.end(toJson(problem));
    }
}
