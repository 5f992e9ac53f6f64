package io.talkline.commons.problem;

import java.util.List;

/**
 * The one exception services throw for an expected failure; it is mapped to problem+json once, in
 * {@link ProblemMappers}. Resources never build error bodies themselves.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, Object> extensions = new java.util.LinkedHashMap<>();

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ProblemException(int status, String detail) {
        this(status, Problem.BLANK, HttpStatus.reason(status), detail, List.of());
    }

    public static ProblemException badRequest(String field, String message) {
        return new ProblemException(400, Problem.VALIDATION, "Validation failed", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** Also the answer for a resource the caller may not see: no existence leak. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail);
    }

    /** A response header the status needs (Retry-After on 429/503, …). */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** A member of the problem document beyond the standard ones (RFC 9457 extension). */
    public ProblemException with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public java.util.Map<String, Object> extensions() {
        return java.util.Collections.unmodifiableMap(extensions);
    }

    public java.util.Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(headers);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
