package io.talkline.gateway.routing;

import java.util.List;
import java.util.regex.Pattern;

/** The public paths of api.md and the service behind each. The contract fixes them, so they live in code. */
public final class Routes {

    /** A path prefix (the prefix itself and everything below it), or one exact path. */
    public record Route(String path, String service, boolean exact) {

        public String regex() {
            return "^" + Pattern.quote(path) + (exact ? "" : "(?:/.*)?") + "$";
        }
    }

    public static final List<Route> ALL = List.of(
            new Route("/api/auth", "auth", false),
            new Route("/.well-known/jwks.json", "auth", true),
            new Route("/api/rooms", "chat", false),
            new Route("/ws/chat", "chat", true),
            new Route("/api/calls", "signaling", false),
            new Route("/ws/signal", "signaling", true),
            new Route("/api/media", "media", false),
            new Route("/api/audit", "audit", false));

    private Routes() {
    }
}
