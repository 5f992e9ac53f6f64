package io.talkline.chat.room;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.talkline.chat.message.MessageView;

/** The room DTOs of api.md. */
public final class RoomViews {

    private RoomViews() {
    }

    public record NewRoom(@NotNull @Pattern(regexp = "direct|group", message = "must be direct or group") String type,
            @Size(min = 1, max = 100) String name,
            @NotNull @Size(max = 1000) List<@NotEmpty @Size(max = 64) String> memberIds) {
    }

    public record NewMember(@NotEmpty @Size(max = 64) String userId,
            @Pattern(regexp = "admin|member", message = "must be admin or member") String role) {
    }

    public record RoleChange(
            @NotNull @Pattern(regexp = "owner|admin|member", message = "must be owner, admin or member") String role) {
    }

    public record Member(String userId, String role) {
    }

    public record RoomView(String id, String type, String name, List<Member> members, long lastSeq,
            MessageView lastMessage, long unreadCount, Instant createdAt) {
    }

    public record Items<T>(List<T> items) {
    }
}
