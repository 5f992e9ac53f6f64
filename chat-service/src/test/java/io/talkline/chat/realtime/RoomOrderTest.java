package io.talkline.chat.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RoomOrderTest {

    @Test
    void framesThatComeBeforeAnEarlierSeqWaitForIt() {
        RoomOrder order = new RoomOrder();
        assertEquals(List.of("1"), order.remote(1, "1"));
        assertEquals(List.of(), order.remote(3, "3"));
        assertEquals(List.of(), order.local(4, "4"));
        assertTrue(order.holding());
        assertEquals(List.of("2", "3", "4"), order.remote(2, "2"));
        assertFalse(order.holding());
        assertEquals(List.of("5"), order.remote(5, "5"));
    }

    @Test
    void theCopyOfALocalFrameIsDroppedAndNothingElseIs() {
        RoomOrder order = new RoomOrder();
        assertEquals(List.of("7"), order.local(7, "7"));
        assertEquals(List.of("8"), order.remote(8, "8"));
        assertEquals(List.of(), order.remote(7, "7 again"));
        // a late frame of another instance (its seq is behind) is passed on, not taken for a copy
        assertEquals(List.of("6"), order.remote(6, "6"));
        // a local frame held for an earlier seq: its copy is still dropped once it comes
        assertEquals(List.of(), order.local(10, "10"));
        assertEquals(List.of(), order.remote(10, "10 again"));
        assertEquals(List.of("9", "10"), order.remote(9, "9"));
    }

    @Test
    void aHoldThatEndsPassesOnWhatWaitsInOrderAndTheRoomGoesOn() {
        RoomOrder order = new RoomOrder();
        order.remote(1, "1");
        order.remote(4, "4");
        order.remote(3, "3");
        assertEquals(List.of("3", "4"), order.release());
        assertFalse(order.holding());
        assertEquals(List.of("5"), order.remote(5, "5"));
        // the seq that never came, coming after all: late, but passed on
        assertEquals(List.of("2"), order.remote(2, "2"));
    }

    @Test
    void aLostConnectionPassesOnWhatWasHeldAndStillKnowsTheCopiesToCome() {
        RoomOrder order = new RoomOrder();
        assertEquals(List.of("1"), order.local(1, "1"));
        assertEquals(List.of(), order.remote(3, "3"));
        // the pub/sub connection was lost: 2 may never come, and 3 must not wait for it or vanish
        assertEquals(List.of("3"), order.reset());
        assertFalse(order.holding());
        // the publish of 1 waited behind others and reached Redis after the new subscription
        assertEquals(List.of(), order.remote(1, "1 again"));
        // the next frame sets the order afresh
        assertEquals(List.of("5"), order.remote(5, "5"));
        assertEquals(List.of(), order.remote(7, "7"));
        assertEquals(List.of("6", "7"), order.remote(6, "6"));
    }

    @Test
    void ownSeqsWhoseCopyNeverCameAreForgottenFarBehind() {
        RoomOrder order = new RoomOrder();
        order.local(1, "1");
        order.local(2 + RoomOrder.LOCAL_WINDOW, "far");
        // 1's copy never came; seq 1 is now beyond the window and is passed on like any late frame
        assertEquals(List.of("1"), order.remote(1, "1"));
    }

    @Test
    void theSeqIsReadFromCreatedFramesOnly() {
        assertEquals(42, Sockets.createdSeq("{\"type\":\"message.created\",\"message\":{\"id\":\"a\",\"roomId\":\"r\","
                + "\"seq\":42,\"body\":\"\\\"seq\\\":7\"}}"));
        // a body that quotes "seq": comes after the real one, and cannot match inside a string anyway
        assertEquals(-1,
                Sockets.createdSeq("{\"type\":\"message.created\",\"message\":{\"id\":\"a\",\"body\":\"\\\"seq\\\":7\"}}"));
        assertEquals(-1, Sockets.createdSeq("{\"type\":\"message.updated\",\"message\":{\"id\":\"a\",\"seq\":3}}"));
        assertEquals(-1, Sockets.createdSeq("{\"type\":\"typing\",\"roomId\":\"r\"}"));
        assertEquals(-1, Sockets.createdSeq("{\"type\":\"message.created\",\"message\":{\"seq\":null}}"));
    }
}
