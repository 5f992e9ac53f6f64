package io.talkline.commons.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;

/**
 * Takes a piece of the shared infrastructure away for an outage test. When it cannot (what answers
 * was not started by any devstack, so it is not ours to stop), the test is skipped with the reason
 * printed — and under {@code CI=true} it fails instead, because there a skip would hide that the
 * behaviour went untested.
 */
public final class Outages {

    private Outages() {
    }

    public static void stop(Component component) {
        if (Devstack.shared().stop(component)) {
            return;
        }
        String why = component.name().toLowerCase() + " on this machine was not started by devstack (a system service?),"
                + " so this outage cannot be simulated; stop it and let devstack start its own";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true: an outage test may not be skipped: " + why);
        }
        System.err.println("SKIPPED outage test: " + why);
        Assumptions.abort(why);
    }
}
