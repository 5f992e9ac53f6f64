package io.talkline.media.storage;

import io.quarkus.logging.Log;
import io.talkline.commons.problem.ProblemException;

/** The object store failed or did not answer: 503 with Retry-After, the client tries again. */
public class StorageUnavailable extends ProblemException {

    public StorageUnavailable(Throwable cause) {
        super(503, "object storage is unavailable; try again");
        withHeader("Retry-After", "5");
        // problems carry no cause (no stack traces for expected failures): the log keeps it
        Log.warnf("object storage failed: %s", cause.toString());
    }
}
