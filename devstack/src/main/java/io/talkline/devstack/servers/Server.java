package io.talkline.devstack.servers;

import io.talkline.devstack.Component;

/** One piece of local infrastructure: how to tell it is up, how to start it, what to create in it. */
public interface Server {

    Component component();

    /** Answers a real request (a login, a PING, an HTTP call), not just an open port. */
    boolean healthy();

    /** Starts it; records a pid only for what devstack itself started. */
    void start();

    /** Creates what the platform needs in it (schemas, topics, buckets); idempotent. */
    default void init() {
    }

    /** Why it cannot run here, e.g. a missing apt package; null when nothing is missing. */
    default String missingPrerequisite() {
        return null;
    }
}
