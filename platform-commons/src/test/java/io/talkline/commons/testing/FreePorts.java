package io.talkline.commons.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A port nothing listens on right now (for a server a test must know the address of before it starts). */
public final class FreePorts {

    private FreePorts() {
    }

    public static int any() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
