package io.talkline.chat.moderation;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.talkline.chat.message.MessageView;

/** What the moderation API answers (api.md, Moderation). */
public final class ModerationViews {

    /**
     * A case. {@code message} is the message as it was when the case opened (also after it was
     * edited or deleted); {@code context} — the messages around it as they are now — only when one
     * case is read.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CaseView(String id, String kind, String status, String roomId, String messageId, String authorId,
            String rule, List<String> reasons, int reporterCount, Instant createdAt, Instant updatedAt,
            Instant resolvedAt, String resolvedBy, String action, String note, JsonNode message,
            List<MessageView> context) {
    }

    public record CasePage(List<CaseView> items, String nextCursor) {
    }

    /** A mute; {@code roomId} null means everywhere. */
    public record MuteView(String id, String userId, String roomId, Instant until, String reason, String createdBy,
            String caseId, Instant createdAt) {

        static MuteView of(Mute mute) {
            return new MuteView(mute.id, mute.userId, mute.roomId, mute.until, mute.reason, mute.createdBy, mute.caseId,
                    mute.createdAt);
        }
    }

    public record MuteList(List<MuteView> items) {
    }

    /** The rule set every instance applies, with its version (raised by each replacement). */
    public record RulesView(List<Rule> rules, long version, String source, String updatedBy, Instant updatedAt) {
    }

    private ModerationViews() {
    }
}
