package io.talkline.chat.message;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the message calls (api.md). */
public final class MessageRequests {

    private MessageRequests() {
    }

    public record NewMessage(
            @NotNull @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}", message = "1-64 of A-Z a-z 0-9 . _ : -") String clientMsgId,
            @NotNull @Pattern(regexp = "text|voice|image|file", message = "must be text, voice, image or file") String type,
            String body,
            @Size(max = 64) String mediaId,
            @Size(max = 64) String replyTo) {
    }

    public record Edit(@NotNull String body) {
    }

    public record Page(java.util.List<MessageView> items, boolean hasMore) {
    }
}
