package io.talkline.commons.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Every operation of a service's OpenAPI lists the error answers it can give, as problem+json
 * (the {@code Problem} schema, with an example), and carries a tag: the answers the mappers in
 * this package really give (ProblemMappers), so clients generated from the document handle them.
 * Answers an operation declares itself are kept. Registered for every service by
 * {@code mp.openapi.filter} in platform-commons' configuration.
 */
public class ProblemResponses implements OASFilter {

    static final String SCHEMA = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        if (components.getSchemas() == null || !components.getSchemas().containsKey(SCHEMA)) {
            components.addSchema(SCHEMA, problemSchema());
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (path.getValue().getOperations() == null) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                describe(path.getKey(), operation);
            }
        }
    }

    private static void describe(String path, Operation operation) {
        if (operation.getTags() == null || operation.getTags().isEmpty()) {
            operation.addTag(tag(path));
        }
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        operation.setResponses(responses);
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        boolean takesInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty()) || path.contains("{");
        Map<String, String> errors = new LinkedHashMap<>();
        if (takesInput) {
            errors.put("400", "A malformed request or an invalid field: `errors` names each field at fault");
        }
        if (secured) {
            errors.put("401", "No valid access token (missing, expired, revoked)");
            errors.put("403", "The caller may see the resource but not do this");
        }
        if (path.contains("{")) {
            errors.put("404", "No such resource, or one the caller may not see");
        }
        errors.put("429", "Too many requests: wait Retry-After seconds");
        errors.put("500", "An unexpected error: quote the requestId when reporting it");
        errors.put("503", "A service this one needs is away for now: try again after Retry-After");
        errors.forEach((code, description) -> {
            if (responses.getAPIResponse(code) == null) {
                responses.addAPIResponse(code, problem(Integer.parseInt(code), description, path));
            } else if (responses.getAPIResponse(code).getContent() == null) {
                // declared with a description only: the body it has is still a problem document
                responses.getAPIResponse(code).setContent(problem(Integer.parseInt(code), description, path).getContent());
            }
        });
    }

    /** {@code /api/rooms/{id}/messages} → rooms; {@code /.well-known/jwks.json} → well-known. */
    static String tag(String path) {
        String[] segments = path.replaceFirst("^/(api|q)/", "/").split("/");
        for (String segment : segments) {
            if (!segment.isEmpty() && !segment.startsWith("{")) {
                return segment.replaceFirst("^\\.", "");
            }
        }
        return "root";
    }

    private static APIResponse problem(int status, String description, String path) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", status == 400 ? Problem.VALIDATION : Problem.BLANK);
        example.put("title", HttpStatus.reason(status));
        example.put("status", status);
        example.put("detail", description);
        example.put("instance", path);
        example.put("requestId", "9f1c2b7e-52f4-4b1e-a1d3-0c5e8f6a7b21");
        if (status == 400) {
            example.put("errors", List.of(Map.of("field", "body", "message", "must not be blank")));
        }
        return OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA)).example(example)));
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", text).addProperty("message", text);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; some problems add members of their own (a muted sender: code, until)")
                .addProperty("type", text).addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", text).addProperty("instance", text).addProperty("requestId", text)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .required(List.of("type", "title", "status", "requestId"));
    }
}
