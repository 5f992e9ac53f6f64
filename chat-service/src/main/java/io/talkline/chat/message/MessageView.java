package io.talkline.chat.message;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A message as clients see it (api.md); a deleted one keeps its seq with body null, and says who
 * deleted it in {@code deletedReason}: sender, room (its owner or an admin) or moderation.
 */
public record MessageView(String id, String roomId, long seq, String senderId, String clientMsgId, String type,
        String body, String mediaId, String replyTo, Map<String, List<String>> reactions, Instant createdAt,
        Instant editedAt, Instant deletedAt, String deletedReason) {

    public static MessageView of(Message m, Map<String, List<String>> reactions) {
        return new MessageView(m.id, m.roomId, m.seq, m.senderId, m.clientMsgId, m.type, m.body, m.mediaId, m.replyTo,
                reactions, m.createdAt, m.editedAt, m.deletedAt, m.deletedReason);
    }
}
