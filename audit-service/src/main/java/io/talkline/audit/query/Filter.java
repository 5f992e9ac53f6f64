package io.talkline.audit.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;

import io.talkline.commons.problem.ProblemException;

/** The query parameters of the list endpoints, checked: each bad one is a 400 naming it. */
final class Filter {

    /** Request ids as the platform accepts them (X-Request-Id). */
    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_TEXT = 128;

    private final List<Bson> clauses = new ArrayList<>();

    Filter equal(String field, String parameter, String value) {
        if (value != null && !value.isEmpty()) {
            if (value.length() > MAX_TEXT) {
                throw ProblemException.badRequest(parameter, "is too long");
            }
            clauses.add(Filters.eq(field, value));
        }
        return this;
    }

    Filter requestId(String value) {
        if (value != null && !value.isEmpty()) {
            if (!REQUEST_ID.matcher(value).matches()) {
                throw ProblemException.badRequest("requestId", "is not a request id (1-64 of A-Z a-z 0-9 . _ -)");
            }
            clauses.add(Filters.eq("requestId", value));
        }
        return this;
    }

    Filter between(String from, String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && start.isAfter(end)) {
            throw ProblemException.badRequest("to", "is before from");
        }
        if (start != null) {
            clauses.add(Filters.gte("ts", start));
        }
        if (end != null) {
            clauses.add(Filters.lte("ts", end));
        }
        return this;
    }

    Filter after(Cursor cursor) {
        if (cursor != null) {
            clauses.add(cursor.after());
        }
        return this;
    }

    Bson bson() {
        return clauses.isEmpty() ? Filters.empty() : Filters.and(clauses);
    }

    static int limit(Integer limit, int fallback, int most) {
        if (limit == null) {
            return fallback;
        }
        if (limit < 1 || limit > most) {
            throw ProblemException.badRequest("limit", "must be between 1 and " + most);
        }
        return limit;
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(parameter, "is not an ISO-8601 UTC time (2026-12-05T10:15:30Z)");
        }
    }
}
