package io.talkline.media.access;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.logging.Log;
import io.talkline.commons.problem.ProblemException;
import io.talkline.media.config.MediaConfig;

/**
 * Whether a user belongs to a room, as chat-service (which owns rooms) says when asked with that
 * user's token; answers are believed for {@code media.membership-cache} (a member who leaves may
 * read the room's media that much longer).
 */
@ApplicationScoped
public class Membership {

    private final ChatRooms chat;
    private final Cache<String, Boolean> answers;

    public Membership(@RestClient ChatRooms chat, MediaConfig config) {
        this.chat = chat;
        Duration ttl = config.membershipCache();
        this.answers = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
    }

    public boolean member(String userId, String roomId, String bearer) {
        return answers.get(userId + "|" + roomId, key -> ask(roomId, bearer));
    }

    private boolean ask(String roomId, String bearer) {
        int status;
        try (var response = chat.room(roomId, bearer)) {
            status = response.getStatus();
        } catch (jakarta.ws.rs.WebApplicationException e) {
            status = e.getResponse().getStatus(); // the client's default mapper turns 4xx into exceptions
        } catch (RuntimeException e) {
            Log.warnf("chat-service did not answer a membership question: %s", e.toString());
            throw new ProblemException(503, "cannot check room membership; try again").withHeader("Retry-After", "5");
        }
        if (status == 200) {
            return true;
        }
        if (status == 404 || status == 403) {
            return false;
        }
        Log.warnf("chat-service answered a membership question with %d", status);
        throw new ProblemException(503, "cannot check room membership; try again").withHeader("Retry-After", "5");
    }
}
