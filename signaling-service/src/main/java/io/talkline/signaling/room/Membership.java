package io.talkline.signaling.room;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.logging.Log;
import io.talkline.commons.realtime.Frames.ErrorCode;
import io.talkline.commons.realtime.LogSafe;
import io.talkline.signaling.call.SignalError;

/**
 * Who is in a room, from chat-service (it owns rooms; architecture.md: a service asks over REST),
 * asked with the caller's access token: a room the caller may not see is "not found" here too. So is
 * a room the caller sees without being in it: chat-service shows every room to moderators and
 * admins, but only members ring, answer, join or read a room's calls.
 */
@ApplicationScoped
public class Membership {

    private final ChatRooms chat;

    public Membership(@RestClient ChatRooms chat) {
        this.chat = chat;
    }

    /** The members' ids of a room the caller (userId, with that access token) belongs to. */
    public List<String> members(String accessToken, String userId, String roomId) {
        if (roomId == null || roomId.isBlank() || roomId.length() > 64) {
            throw new SignalError(ErrorCode.bad_request, "roomId: required, at most 64 characters");
        }
        try {
            List<String> members = chat.room("Bearer " + accessToken, roomId).members().stream()
                    .map(ChatRooms.Member::userId).toList();
            if (!members.contains(userId)) {
                throw new SignalError(ErrorCode.not_found, "no such room");
            }
            return members;
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 404 || status == 403 || status == 400) {
                throw new SignalError(ErrorCode.not_found, "no such room");
            }
            if (status == 401) {
                throw new SignalError(ErrorCode.unauthorized,
                        "access token expired: send {type: auth, token} with a fresh one, or reconnect");
            }
            Log.warnf("room %s membership not checked: chat-service answered %d", LogSafe.of(roomId), status);
            throw new SignalError(ErrorCode.internal, "room membership could not be checked; try again");
        } catch (ProcessingException e) {
            Log.warnf("room %s membership not checked: %s", LogSafe.of(roomId), e.toString());
            throw new SignalError(ErrorCode.internal, "room membership could not be checked; try again");
        }
    }
}
