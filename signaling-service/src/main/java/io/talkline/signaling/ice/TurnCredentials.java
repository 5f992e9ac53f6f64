package io.talkline.signaling.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest, as coturn's use-auth-secret expects):
 * username {@code <expiryUnixSeconds>:<userId>}, credential base64(HMAC-SHA1(secret, username)).
 * coturn checks them with the same secret and refuses them after the expiry; nothing is stored.
 */
@ApplicationScoped
public class TurnCredentials {

    public record Credential(String username, String credential, long ttlSeconds) {
    }

    private final IceConfig config;
    private final Clock clock;

    @Inject
    public TurnCredentials(IceConfig config) {
        this(config, Clock.systemUTC());
    }

    TurnCredentials(IceConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public Credential issue(String userId) {
        long ttl = config.ttl().toSeconds();
        String username = (clock.instant().getEpochSecond() + ttl) + ":" + userId;
        return new Credential(username, sign(config.turnSecret(), username), ttl);
    }

    static String sign(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
