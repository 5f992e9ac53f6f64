package io.talkline.audit.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;

import io.talkline.commons.problem.ProblemException;

/**
 * Where a page ended, newest first: the last entry's time and id (ids break ties of one
 * millisecond). Opaque to clients; a cursor that is not one of ours is a 400 naming {@code cursor}.
 */
record Cursor(Instant ts, String id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((ts.toEpochMilli() + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String value) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            return new Cursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))), plain.substring(colon + 1));
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("cursor", "is not a cursor this API returned");
        }
    }

    /** Entries after this one in newest-first order. */
    Bson after() {
        return Filters.or(Filters.lt("ts", ts), Filters.and(Filters.eq("ts", ts), Filters.lt("_id", id)));
    }
}
