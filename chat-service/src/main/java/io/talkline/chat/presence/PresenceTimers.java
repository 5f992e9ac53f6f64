package io.talkline.chat.presence;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.realtime.Sockets;
import io.talkline.chat.room.RoomService;

/**
 * The heartbeat that keeps this instance's users online, and the sweep that announces users
 * offline whose instance died; both on the presence thread, in line with the changes.
 */
@Startup
@ApplicationScoped
public class PresenceTimers {

    private static final int SWEEP_BATCH = 200;

    private final Presence presence;
    private final Sockets sockets;
    private final RoomService rooms;

    public PresenceTimers(Presence presence, Sockets sockets, RoomService rooms, ChatConfig config) {
        this.presence = presence;
        this.sockets = sockets;
        this.rooms = rooms;
        presence.every("heartbeat", config.presence().heartbeat(), this::heartbeat);
        presence.every("sweep", config.presence().sweep(), this::sweep);
    }

    void heartbeat() {
        for (String userId : presence.heartbeat(sockets.users())) {
            // swept as offline while this instance could not reach Redis: announce again
            presence.online(userId, sockets.roomsOf(userId));
        }
    }

    void sweep() {
        for (Map.Entry<String, Long> user : presence.expired(SWEEP_BATCH).entrySet()) {
            presence.sweep(user.getKey(), user.getValue(),
                    rooms.lastSeqs(user.getKey()).stream().map(Map.Entry::getKey).toList());
        }
    }
}
