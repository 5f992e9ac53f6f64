package io.talkline.commons.requestid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void acceptsTheContractAlphabetUpTo64() {
        assertTrue(RequestIds.isSane("a"));
        assertTrue(RequestIds.isSane("A-z_0.9"));
        assertTrue(RequestIds.isSane("x".repeat(64)));
        assertFalse(RequestIds.isSane("x".repeat(65)));
        assertFalse(RequestIds.isSane(""));
        assertFalse(RequestIds.isSane(null));
        assertFalse(RequestIds.isSane("a/b"));
        assertFalse(RequestIds.isSane("a\nb"));
    }

    @Test
    void replacesWhatItRefuses() {
        assertEquals("keep-me", RequestIds.acceptOrGenerate("keep-me"));
        String generated = RequestIds.acceptOrGenerate("not ok");
        assertNotEquals("not ok", generated);
        assertTrue(RequestIds.isSane(generated));
    }

    @Test
    void generatesDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.generate();
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertTrue(RequestIds.isSane(id), id);
            assertTrue(seen.add(id), "repeated: " + id);
        }
    }
}
