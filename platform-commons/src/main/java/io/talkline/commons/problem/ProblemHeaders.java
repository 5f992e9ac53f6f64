package io.talkline.commons.problem;

import io.vertx.core.MultiMap;

/**
 * Headers a service puts on every problem it answers from a plain Vert.x handler, also on those
 * sent before any of its filters ran (a request the router refused on arrival): the gateway's
 * security headers.
 */
public interface ProblemHeaders {

    void apply(MultiMap headers);
}
