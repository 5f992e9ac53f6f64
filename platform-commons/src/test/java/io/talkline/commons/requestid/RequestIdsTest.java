package io.talkline.commons.requestid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
