package io.talkline.commons.config;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The secrets a service cannot run without (database user and password, storage keys, the TURN
 * secret), named in {@code platform.secrets.required}. Their development values exist only in the
 * dev, test and local profiles ({@code ./platform up} runs the services in local); in prod an unset
 * one stops the service at start with a message naming its property and environment variable,
 * instead of running without it. (Flyway connects before this check: without a database user it
 * stops the service first, with the database's own "access denied".)
 */
@ApplicationScoped
public class RequiredSecrets {

    void check(@Observes @Priority(1) StartupEvent started, Config config) {
        if (!ConfigUtils.isProfileActive("prod")) {
            return;
        }
        List<String> missing = missing(config);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Required secrets are not set: " + String.join(", ", missing)
                    + ". Development values apply only in the dev, test and local profiles.");
        }
    }

    /** Each required property without a value, as "property (ENVIRONMENT_VARIABLE)". */
    static List<String> missing(Config config) {
        return config.getOptionalValues("platform.secrets.required", String.class).orElse(List.of()).stream()
                .filter(name -> config.getOptionalValue(name, String.class).filter(value -> !value.isBlank()).isEmpty())
                .map(name -> name + " (" + environmentName(name) + ")").toList();
    }

    static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
