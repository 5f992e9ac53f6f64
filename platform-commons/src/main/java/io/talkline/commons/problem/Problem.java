package io.talkline.commons.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details, with the request id and, for validation, the fields at fault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** RFC 9457: "about:blank" means the status code says it all. */
    public static final String BLANK = "about:blank";
    public static final String VALIDATION = "urn:talkline:problem:validation";

    public record FieldError(String field, String message) {
    }
}
