package io.talkline.auth.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /** bcrypt work factor: each +1 doubles the cost of a login (BENCHMARKS.md has the times). */
    @WithDefault("12")
    int bcryptCost();

    Signing signing();

    Token token();

    interface Token {
        @WithDefault("talkline")
        String issuer();

        @WithDefault("talkline")
        String audience();

        @WithDefault("15m")
        java.time.Duration accessTtl();

        @WithDefault("30d")
        java.time.Duration refreshTtl();
    }

    BootstrapAdmin bootstrapAdmin();

    Throttle throttle();

    /** Failed logins before the lock-outs start, and how long they may grow. */
    interface Throttle {
        @WithDefault("5")
        int freeAttemptsPerAccount();

        @WithDefault("20")
        int freeAttemptsPerAddress();

        @WithDefault("15m")
        java.time.Duration window();

        @WithDefault("15m")
        java.time.Duration maxLockout();

        /** Registrations one address (an IPv6 /64) may make per window; each costs a password hash. */
        @WithDefault("20")
        int registrationsPerAddress();

        /** The window over which registrationsPerAddress counts. */
        @WithDefault("1h")
        java.time.Duration registrationWindow();
    }

    interface Signing {
        /** PEM (PKCS#8) EC P-256 private key that signs access tokens (ES256). */
        Path keyFile();

        /** Public (or private) PEM keys of retired signing keys: published in the JWKS until their tokens expire. */
        Optional<List<Path>> retiredKeyFiles();
    }

    /** The first admin of a fresh install (api.md): created once, when no admin exists. */
    interface BootstrapAdmin {
        Optional<String> username();

        Optional<String> email();

        Optional<String> password();
    }
}
