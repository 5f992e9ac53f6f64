package io.talkline.gateway.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.response.ValidatableResponse;

/** The headers every gateway response must carry, whatever its status. */
public final class SecurityAssertions {

    private SecurityAssertions() {
    }

    public static ValidatableResponse hardened(ValidatableResponse response) {
        return response
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' ws: wss:"))
                .header("Content-Security-Policy", containsString("media-src 'self' blob: http://127.0.0.1:9000;"))
                .header("Content-Security-Policy", containsString("img-src 'self' data: blob: http://127.0.0.1:9000;"))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Permissions-Policy", containsString("camera=(self), microphone=(self)"))
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Server", nullValue())
                .header("X-Powered-By", nullValue())
                .header("Strict-Transport-Security", nullValue()); // HSTS is for TLS deployments, off here
    }
}
