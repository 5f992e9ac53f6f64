package io.talkline.commons.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void acceptsObjectsWithAType() {
        assertEquals("ping", Frames.parse("{\"type\":\"ping\"}", 100).getString("type"));
    }

    @Test
    void refusesWhatIsNotAFrame() {
        for (String bad : new String[] { "not json", "[1,2]", "\"text\"", "{}", "{\"type\":1}", "{\"type\":\" \"}" }) {
            Frames.BadFrame e = assertThrows(Frames.BadFrame.class, () -> Frames.parse(bad, 100), bad);
            assertEquals(Frames.ErrorCode.bad_request, e.code(), bad);
        }
    }

    @Test
    void refusesOversizedFrames() {
        String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(200) + "\"}";
        assertEquals(Frames.ErrorCode.too_large, assertThrows(Frames.BadFrame.class, () -> Frames.parse(big, 100)).code());
    }

    @Test
    void errorFrameCarriesCodeMessageAndOptionalRef() {
        var frame = Frames.error(Frames.ErrorCode.not_found, "no such room", "r-1");
        assertEquals("error", frame.getString("type"));
        assertEquals("not_found", frame.getString("code"));
        assertEquals("no such room", frame.getString("message"));
        assertEquals("r-1", frame.getString("ref"));
        assertFalse(Frames.error(Frames.ErrorCode.internal, "x", null).containsKey("ref"));
    }
}
