package io.talkline.commons.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.logging.Log;
import io.talkline.commons.requestid.RequestIds;

/** Every error a REST resource can raise, as problem+json; nothing else writes error bodies. */
public class ProblemMappers {

    private final Problems problems;

    public ProblemMappers(Problems problems) {
        this.problems = problems;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
        Response.ResponseBuilder builder = respondBuilder(problemOf(e, path(uri), requestId(headers)));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    /** The document of a raised problem; also for handlers outside REST (chat's direct send route). */
    public static Problem problemOf(ProblemException e, String path, String requestId) {
        Problem problem = Problems.of(e.status(), e.type(), e.title(), e.getMessage(), path, requestId, e.errors());
        return e.extensions().isEmpty() ? problem
                : new Problem(problem.type(), problem.title(), problem.status(), problem.detail(), problem.instance(),
                        problem.requestId(), problem.errors(), e.extensions());
    }

    @ServerExceptionMapper
    public Response validation(ResteasyReactiveViolationException e, UriInfo uri, HttpHeaders headers) {
        return constraintViolations(e, uri, headers);
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e, UriInfo uri, HttpHeaders headers) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(field(violation), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return respond(Problems.of(400, Problem.VALIDATION, "Validation failed", summary(errors), path(uri),
                requestId(headers), errors));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri, HttpHeaders headers) {
        return jsonProblem(e, uri, headers);
    }

    @ServerExceptionMapper
    public Response jsonProblem(JsonProcessingException e, UriInfo uri, HttpHeaders headers) {
        String field = e instanceof JsonMappingException mapping ? jsonPath(mapping) : null;
        List<Problem.FieldError> errors = field == null || field.isEmpty()
                ? List.of()
                : List.of(new Problem.FieldError(field, "has the wrong type or format"));
        String detail = field == null || field.isEmpty() ? "The request body is not valid JSON"
                : "The request body has a wrong value at '" + field + "'";
        return respond(Problems.of(400, Problem.VALIDATION, "Malformed request body", detail, path(uri),
                requestId(headers), errors));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        // the REST layer wraps body-parsing failures in a plain 400
        if (e.getCause() instanceof JsonProcessingException json) {
            return jsonProblem(json, uri, headers);
        }
        int status = e.getResponse().getStatus();
        Response.ResponseBuilder builder = respondBuilder(Problems.of(status, detail(status, e), path(uri),
                requestId(headers)));
        // keep what the status needs to be usable: Allow on 405, Retry-After on 429/503
        copyHeader(e.getResponse(), builder, "Allow");
        copyHeader(e.getResponse(), builder, "Retry-After");
        return builder.build();
    }

    /** No or no longer valid token: 401 with the Bearer challenge, never a hint why. */
    @ServerExceptionMapper({ io.quarkus.security.AuthenticationFailedException.class,
            io.quarkus.security.UnauthorizedException.class })
    public Response unauthenticated(RuntimeException e, UriInfo uri, HttpHeaders headers) {
        return respondBuilder(Problems.of(401, "A valid access token is required", path(uri), requestId(headers)))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri, HttpHeaders headers) {
        return respond(Problems.of(403, "You may not do this", path(uri), requestId(headers)));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri, HttpHeaders headers) {
        Problem problem = unexpectedProblem(e, path(uri), requestId(headers));
        Response.ResponseBuilder builder = respondBuilder(problem);
        retryAfter(problem).forEach(builder::header);
        return builder.build();
    }

    /**
     * Anything unforeseen, logged: 503 when the database could not be had (overload or a restart:
     * nothing is wrong with the request, so try again), else 500. Also for handlers outside REST.
     */
    public static Problem unexpectedProblem(Throwable e, String path, String requestId) {
        if (databaseUnavailable(e)) {
            Log.warnf("database unavailable on %s requestId=%s: %s", path, requestId, e);
            return Problems.of(503, "The database is busy or unavailable; try again", path, requestId);
        }
        Log.errorf(e, "Unhandled error on %s requestId=%s", path, requestId);
        return Problems.of(500, "An unexpected error occurred; quote the request id when reporting it", path,
                requestId);
    }

    /** The header an unexpected problem goes with: a 503 says when to try again. */
    public static Map<String, String> retryAfter(Problem problem) {
        return problem.status() == 503 ? Map.of("Retry-After", "1") : Map.of();
    }

    /**
     * No connection to be had: the pool's wait ran out (Agroal says so in the message alone) or the
     * connection failed (SQLState class 08).
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientConnectionException
                    || cause instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof java.sql.SQLException sql && ((sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08"))
                    || (sql.getMessage() != null && sql.getMessage().contains("acquisition timeout")))) {
                return true;
            }
        }
        return false;
    }

    private Response respond(Problem problem) {
        return respondBuilder(problem).build();
    }

    private Response.ResponseBuilder respondBuilder(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problems.toJson(problem));
    }

    private static void copyHeader(Response from, Response.ResponseBuilder to, String name) {
        Object value = from.getHeaders().getFirst(name);
        if (value != null) {
            to.header(name, value);
        }
    }

    private static String detail(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "No resource at this path";
            case 405 -> "Method not allowed on this resource";
            case 406 -> "No acceptable representation; this API produces JSON";
            case 415 -> "Unsupported content type; send application/json";
            default -> e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? HttpStatus.reason(status)
                    : e.getMessage();
        };
    }

    private static String summary(List<Problem.FieldError> errors) {
        StringBuilder text = new StringBuilder();
        for (Problem.FieldError error : errors) {
            text.append(text.isEmpty() ? "" : "; ").append(error.field()).append(": ").append(error.message());
        }
        return text.toString();
    }

    /**
     * "create.account.tags[0].name" → "tags[0].name": the caller knows fields, not Java methods. A
     * violation on a whole parameter is named as on the wire: its query/path/header/form name, or
     * "body" for the request body.
     */
    static String field(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        Path.MethodNode method = null;
        Path.ParameterNode parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                method = node.as(Path.MethodNode.class);
                continue;
            }
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.as(Path.ParameterNode.class);
                continue;
            }
            // an index belongs to the container the node sits in: tags[0].name
            if (node.isInIterable() && !names.isEmpty()) {
                String key = node.getIndex() != null ? node.getIndex().toString()
                        : node.getKey() != null ? node.getKey().toString() : null;
                if (key != null) {
                    names.set(names.size() - 1, names.getLast() + "[" + key + "]");
                }
            }
            if (node.getName() != null && !node.getName().isEmpty() && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                names.add(node.getName());
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter == null ? "body" : wireName(violation.getRootBeanClass(), method, parameter);
    }

    private static String wireName(Class<?> resource, Path.MethodNode methodNode, Path.ParameterNode parameter) {
        if (methodNode == null) {
            return parameter.getName();
        }
        // the root bean may be a generated subclass: look up the hierarchy for the annotated declaration
        for (Class<?> type = resource; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.getName().equals(methodNode.getName())
                        && List.of(method.getParameterTypes()).equals(methodNode.getParameterTypes())) {
                    String name = wireName(method.getParameterAnnotations()[parameter.getParameterIndex()], parameter);
                    if (name != null) {
                        return name;
                    }
                }
            }
        }
        return "body";
    }

    private static String wireName(Annotation[] annotations, Path.ParameterNode parameter) {
        for (Annotation annotation : annotations) {
            String name = switch (annotation) {
                case QueryParam q -> q.value();
                case PathParam p -> p.value();
                case HeaderParam h -> h.value();
                case FormParam f -> f.value();
                case RestQuery q -> q.value().isEmpty() ? parameter.getName() : q.value();
                case RestPath p -> p.value().isEmpty() ? parameter.getName() : p.value();
                case RestHeader h -> h.value().isEmpty() ? parameter.getName() : h.value();
                default -> null;
            };
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static String requestId(HttpHeaders headers) {
        // RequestIdFilter made the request header the canonical id
        return headers == null ? null : headers.getHeaderString(RequestIds.HEADER);
    }
}
