package io.talkline.chat.moderation;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.logging.Log;
import io.talkline.chat.room.Caller;
import io.talkline.commons.problem.ProblemException;

/** Disables a case's author through auth-service with the moderator's token (which ends all their sessions). */
@ApplicationScoped
public class AccountDisabler {

    private final AuthAccounts accounts;

    public AccountDisabler(@RestClient AuthAccounts accounts) {
        this.accounts = accounts;
    }

    public void disable(Caller moderator, String userId, String reason) {
        int status;
        try (Response response = accounts.disable(userId, "Bearer " + moderator.token(),
                Map.of("disabled", true, "reason", reason))) {
            status = response.getStatus();
        } catch (WebApplicationException e) {
            status = e.getResponse().getStatus(); // the client's default mapper turns 4xx into exceptions
        } catch (RuntimeException e) {
            Log.warnf("auth-service did not answer disabling userId=%s: %s", userId, e.toString());
            throw unavailable();
        }
        switch (status) {
            case 200, 204 -> {
            }
            case 401, 403 -> throw ProblemException.forbidden("auth-service does not let you disable this account");
            case 404 -> throw ProblemException.conflict("The author's account does not exist any more");
            default -> {
                Log.warnf("auth-service answered %d disabling userId=%s", status, userId);
                throw unavailable();
            }
        }
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "cannot disable the account through auth-service now; try again")
                .withHeader("Retry-After", "5");
    }
}
