package io.talkline.chat.media;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.logging.Log;
import io.talkline.chat.room.Caller;
import io.talkline.commons.problem.ProblemException;
import io.vertx.core.json.JsonObject;

/**
 * A voice, image or file message must carry the sender's own, completely uploaded media item of
 * that kind (media-service says, asked with the sender's token); otherwise 400 naming mediaId.
 * Attaching it to the room is media-service's part, from chat.messages.v1.
 */
@ApplicationScoped
public class MediaCheck {

    private final MediaItems media;

    public MediaCheck(@RestClient MediaItems media) {
        this.media = media;
    }

    public void check(Caller sender, String type, String mediaId) {
        if (mediaId.length() > 36 || sender.token() == null) {
            throw ProblemException.badRequest("mediaId", "no such media of yours");
        }
        int status;
        String body = null;
        try (Response response = media.item(mediaId, "Bearer " + sender.token())) {
            status = response.getStatus();
            if (status == 200) {
                body = response.readEntity(String.class);
            }
        } catch (WebApplicationException e) {
            status = e.getResponse().getStatus(); // the client's default mapper turns 4xx into exceptions
        } catch (RuntimeException e) {
            Log.warnf("media-service did not answer about media %s: %s", mediaId, e.toString());
            throw unavailable();
        }
        if (status == 404 || status == 403) {
            throw ProblemException.badRequest("mediaId", "no such media of yours");
        }
        if (status != 200) {
            Log.warnf("media-service answered %d about media %s", status, mediaId);
            throw unavailable();
        }
        JsonObject item = new JsonObject(body);
        if (!sender.userId().equals(item.getString("ownerId"))) {
            throw ProblemException.badRequest("mediaId", "is not yours: send your own upload");
        }
        if (!"complete".equals(item.getString("status"))) {
            throw ProblemException.badRequest("mediaId", "its upload is not complete yet");
        }
        if (!type.equals(item.getString("kind"))) {
            throw ProblemException.badRequest("mediaId", "is a " + item.getString("kind") + ", not a " + type);
        }
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "cannot check the mediaId with media-service; try again")
                .withHeader("Retry-After", "5");
    }
}
