package io.talkline.gateway.routing;

import java.util.List;

/** The public paths of api.md and the service behind each. The contract fixes them, so they live in code. */
public final class Routes {

    /** A path prefix (the prefix itself and everything below it), or one exact path. */
    public record Route(String path, String service, boolean exact) {

        public boolean matches(String requestPath) {
            if (exact) {
                return requestPath.equals(path);
            }
            return requestPath.startsWith(path)
                    && (requestPath.length() == path.length() || requestPath.charAt(path.length()) == '/');
        }

        /** The path as metrics name it: ids below a prefix folded into one series. */
        public String template(String requestPath) {
            return exact || requestPath.length() == path.length() ? path : path + "/*";
        }
    }

    public static final List<Route> ALL = List.of(
            new Route("/api/auth", "auth", false),
            new Route("/.well-known/jwks.json", "auth", true),
            new Route("/api/rooms", "chat", false),
            new Route("/ws/chat", "chat", true),
            new Route("/api/moderation", "chat", false),
            new Route("/api/calls", "signaling", false),
            new Route("/ws/signal", "signaling", true),
            new Route("/api/media", "media", false),
            new Route("/api/audit", "audit", false));

    /** The route of a (normalized) request path, or null: a few string comparisons, no regex. */
    public static Route of(String requestPath) {
        for (int i = 0; i < ALL.size(); i++) {
            Route route = ALL.get(i);
            if (route.matches(requestPath)) {
                return route;
            }
        }
        return null;
    }

    private Routes() {
    }
}
