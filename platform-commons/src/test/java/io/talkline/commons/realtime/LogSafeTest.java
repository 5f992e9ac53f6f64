package io.talkline.commons.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void lineBreaksOfEveryKindAreEscapedSoNoLogLineCanBeForged() {
        String forged = "ping\r\n2026-01-01 INFO [io.talkline] admin logged in\u0085x\u2028y\u2029z\u0000\u001b[31m";
        String safe = LogSafe.of(forged);
        assertEquals("ping\\r\\n2026-01-01 INFO [io.talkline] admin logged in\\u0085x\\u2028y\\u2029z\\u0000\\u001b[31m",
                safe);
        assertTrue(safe.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'));
        // a backslash is escaped too: an escaped text cannot pass for a client's own "\n"
        assertEquals("a\\\\nb", LogSafe.of("a\\nb"));
    }

    @Test
    void plainTextStaysAsItIsAndLongTextIsCut() {
        assertEquals("call.invite", LogSafe.of("call.invite"));
        assertEquals("null", LogSafe.of(null));
        String cut = LogSafe.of("x".repeat(10_000));
        assertEquals(LogSafe.MAX_CHARS + 1, cut.length());
        assertFalse(cut.contains("\n"));
    }
}
