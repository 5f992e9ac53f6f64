package io.talkline.audit.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.talkline.audit.Publish;
import io.talkline.audit.archive.ArchiveFold.MessageEvent;

/** The fold ends in the same message whatever order the events come in, and however often. */
class ArchiveFoldTest {

    static final Instant SENT = Instant.parse("2026-12-05T09:00:00Z");
    static final Instant EDIT1 = SENT.plusSeconds(10);
    static final Instant EDIT2 = SENT.plusSeconds(20);
    static final Instant DELETED = SENT.plusSeconds(30);

    /** As chat-service publishes them: the whole message after each change. */
    static List<MessageEvent> lifeOfAMessage(String id) {
        return List.of(event("message.created", "u1", SENT, message(id, "hello", null, null, Map.of())),
                event("message.updated", "u1", EDIT1, message(id, "hello!", EDIT1, null, Map.of("👍", List.of("u2")))),
                event("message.updated", "u1", EDIT2, message(id, "hello!!", EDIT2, null, Map.of("👍", List.of("u2", "u3")))),
                event("message.deleted", "mod-1", DELETED, message(id, null, EDIT2, DELETED, Map.of())));
    }

    static MessageEvent event(String type, String actor, Instant at, ObjectNode message) {
        return new MessageEvent(type, actor, at, message);
    }

    static ObjectNode message(String id, String body, Instant editedAt, Instant deletedAt,
            Map<String, List<String>> reactions) {
        ObjectNode m = Publish.JSON.createObjectNode();
        m.put("id", id).put("roomId", "room-9").put("seq", 42).put("senderId", "u1").put("clientMsgId", "c-1")
                .put("type", "text").put("body", body).putNull("mediaId").putNull("replyTo")
                .put("createdAt", SENT.toString()).put("editedAt", editedAt == null ? null : editedAt.toString())
                .put("deletedAt", deletedAt == null ? null : deletedAt.toString())
                .put("deletedReason", deletedAt == null ? null : "moderation");
        m.set("reactions", Publish.JSON.valueToTree(reactions));
        return m;
    }

    static String summary(ArchivedMessage a) {
        return String.join("|", a.id, a.roomId, Long.toString(a.seq), a.senderId, a.type, String.valueOf(a.body),
                String.valueOf(a.originalBody), String.valueOf(a.editedAt), String.valueOf(a.deletedAt),
                String.valueOf(a.deletedBy), String.valueOf(a.deletedReason), String.valueOf(a.reactions),
                a.edits.stream().map(e -> e.at + "=" + e.body).toList().toString());
    }

    @Test
    void everyOrderAndEveryRedeliveryEndsInTheSameMessage() {
        List<MessageEvent> events = lifeOfAMessage("m-1");
        String expected = "m-1|room-9|42|u1|text|hello!!|hello|" + EDIT2 + "|" + DELETED + "|mod-1|moderation|null|["
                + EDIT1 + "=hello!, " + EDIT2 + "=hello!!]";
        for (List<MessageEvent> order : permutations(events)) {
            ArchivedMessage folded = null;
            for (MessageEvent event : order) {
                folded = ArchiveFold.apply(folded, event);
            }
            // and each event once more, in the same order: nothing changes
            for (MessageEvent event : order) {
                folded = ArchiveFold.apply(folded, event);
            }
            assertEquals(expected, summary(folded), order.stream().map(MessageEvent::type).toList().toString());
        }
    }

    @Test
    void reactionsAreTheLatestEventsAndAnOlderOneArrivingLateDoesNotOverwriteThem() {
        List<MessageEvent> events = lifeOfAMessage("m-2").subList(0, 3);
        ArchivedMessage folded = ArchiveFold.apply(ArchiveFold.apply(null, events.get(2)), events.get(1));
        assertEquals("Document{{👍=[u2, u3]}}", String.valueOf(folded.reactions));
        assertEquals("hello!!", folded.body);
    }

    static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> one = new ArrayList<>();
                one.add(head);
                one.addAll(tail);
                all.add(one);
            }
        }
        return all;
    }
}
