package io.talkline.commons.problem;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details, with the request id and, for validation, the fields at fault; a
 * problem may add members of its own (RFC 9457 extensions: a muted sender's {@code code} and
 * {@code until}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String requestId,
        List<FieldError> errors, @JsonIgnore Map<String, Object> extensions) {

    public Problem(String type, String title, int status, String detail, String instance, String requestId,
            List<FieldError> errors) {
        this(type, title, status, detail, instance, requestId, errors, Map.of());
    }

    /** Written beside the standard members. */
    @JsonAnyGetter
    public Map<String, Object> members() {
        return extensions;
    }

    public static final String MEDIA_TYPE = "application/problem+json";
    /** RFC 9457: "about:blank" means the status code says it all. */
    public static final String BLANK = "about:blank";
    public static final String VALIDATION = "urn:talkline:problem:validation";

    public record FieldError(String field, String message) {
    }
}
