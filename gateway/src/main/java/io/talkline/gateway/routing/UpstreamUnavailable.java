package io.talkline.gateway.routing;

/** No instance of a service could be reached: answered 503. */
public final class UpstreamUnavailable extends RuntimeException {

    public UpstreamUnavailable(String service, Throwable cause) {
        super("No instance of " + service + " is available", cause, false, false);
    }
}
