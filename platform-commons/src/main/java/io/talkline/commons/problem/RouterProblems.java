package io.talkline.commons.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.ext.web.Router;

/**
 * Errors raised by Vert.x itself, before any REST resource runs (no route, body over the limit,
 * a failed handler): the same problem+json as everywhere else, never an HTML page or a stack trace.
 */
@ApplicationScoped
public class RouterProblems {

    private final Problems problems;

    public RouterProblems(Problems problems) {
        this.problems = problems;
    }

    void register(@Observes Router router) {
        // ahead of Quarkus' own failure handler (which answers text or application/json)
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.response().ended()) {
                // answered already (a second handler failing on the same request): nothing to add
                return;
            }
            ProblemException problem = problemIn(ctx.failure());
            if (problem != null && !ctx.response().headWritten()) {
                // raised outside REST (an upgrade's token check, a filter): its own status and headers
                problem.headers().forEach(ctx.response()::putHeader);
                problems.send(ctx, problem.status(), problem.getMessage());
                return;
            }
            int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
            // a refused token on a route secured outside REST (a WebSocket upgrade): 401, not 500
            if (ctx.failure() instanceof io.quarkus.security.AuthenticationFailedException
                    || ctx.failure() instanceof io.quarkus.security.UnauthorizedException) {
                status = 401;
                if (!ctx.response().headWritten()) {
                    ctx.response().putHeader("WWW-Authenticate", "Bearer");
                }
            } else if (ctx.failure() instanceof io.quarkus.security.ForbiddenException) {
                status = 403;
            }
            if (status >= 500 && ctx.failure() != null) {
                Log.errorf(ctx.failure(), "Unhandled error on %s requestId=%s", ctx.request().path(),
                        ctx.request().getHeader("X-Request-Id"));
            }
            if (ctx.response().headWritten() || ctx.response().ended()) {
                ctx.next();
                return;
            }
            problems.send(ctx, status, status >= 500 ? "An unexpected error occurred; quote the request id when reporting it"
                    : null);
        });
        for (int status : new int[] { 400, 403, 404, 405, 413, 414, 415, 431 }) {
            router.errorHandler(status, ctx -> problems.send(ctx, status, null));
        }
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                Log.errorf(ctx.failure(), "Unhandled error on %s requestId=%s", ctx.request().path(),
                        ctx.request().getHeader("X-Request-Id"));
            }
            problems.send(ctx, 500, "An unexpected error occurred; quote the request id when reporting it");
        });
    }

    private static ProblemException problemIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        return null;
    }
}
