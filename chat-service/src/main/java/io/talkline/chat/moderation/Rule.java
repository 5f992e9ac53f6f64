package io.talkline.chat.moderation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One moderation rule as the API and the rules table hold it. {@code kind} says what it looks for
 * (words, links, flood, repeat) and {@code params} how much; {@code action} what a hit does: flag
 * (a case only), hide (the message becomes a tombstone) or mute (the sender, for
 * {@code muteSeconds}, in the room or — {@code muteScope: "global"} — everywhere). Every hit opens
 * or joins a case.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(String id, String kind, JsonNode params, String action, Integer muteSeconds, String muteScope) {

    public boolean hides() {
        return "hide".equals(action);
    }

    public boolean mutes() {
        return "mute".equals(action);
    }

    public boolean global() {
        return "global".equals(muteScope);
    }
}
