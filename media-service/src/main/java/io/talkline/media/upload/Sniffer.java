package io.talkline.media.upload;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.tika.Tika;

/** The type of an upload judged from its first bytes (Tika's magic), never from what the client said. */
@ApplicationScoped
public class Sniffer {

    /** Bytes Tika looks at: its magic patterns lie within the first few kilobytes. */
    public static final int PREFIX = 64 * 1024;

    private final Tika tika = new Tika();

    public String type(byte[] bytes, int length) {
        byte[] prefix = length == bytes.length && length <= PREFIX ? bytes
                : java.util.Arrays.copyOf(bytes, Math.min(length, PREFIX));
        String type = tika.detect(prefix);
        // parameters (charset=…) are not part of what is allowed or served
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    }
}
