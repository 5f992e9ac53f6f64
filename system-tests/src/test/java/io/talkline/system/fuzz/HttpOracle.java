package io.talkline.system.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * What every answer of the gateway must be (api.md "Errors"): never a 5xx; every 4xx a problem+json
 * document whose status is the HTTP status; every answer with X-Request-Id (the caller's when valid)
 * and nosniff; every 429 with Retry-After; never a stack trace.
 */
final class HttpOracle {

    private HttpOracle() {
    }

    /** What is wrong with this answer (empty: nothing). */
    static List<String> check(Answer answer, String validRequestId) {
        List<String> wrong = new ArrayList<>();
        int status = answer.status();
        if (status >= 500) {
            wrong.add("status " + status);
        }
        if (answer.header("X-Request-Id").isEmpty()) {
            wrong.add("no X-Request-Id");
        } else if (validRequestId != null && !validRequestId.equals(answer.header("X-Request-Id").get())) {
            wrong.add("X-Request-Id not echoed");
        }
        if (!answer.header("X-Content-Type-Options").map("nosniff"::equalsIgnoreCase).orElse(false)) {
            wrong.add("no X-Content-Type-Options: nosniff");
        }
        if (status == 429 && answer.header("Retry-After").isEmpty()) {
            wrong.add("429 without Retry-After");
        }
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        if (text.contains("\tat ") || text.contains("\\tat ") || text.contains("at io.talkline.")) {
            wrong.add(status + " body has a stack trace");
        }
        if (status >= 400 && !answer.head()) {
            problem(answer, status, text, wrong);
        }
        return wrong;
    }

    private static void problem(Answer answer, int status, String text, List<String> wrong) {
        String type = answer.header("Content-Type").orElse("(none)");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/problem+json")) {
            wrong.add(status + " with Content-Type " + type);
            return;
        }
        try {
            JsonObject problem = new JsonObject(text);
            if (!Integer.valueOf(status).equals(problem.getValue("status"))) {
                wrong.add(status + " problem+json with status " + problem.getValue("status"));
            }
        } catch (RuntimeException e) {
            wrong.add(status + " problem+json body is not a JSON object");
        }
    }
}
