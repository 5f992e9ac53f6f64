package io.talkline.media.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** An upload written to the bucket: what the service measured of it. */
public record Stored(String id, String key, String fileName, String contentType, long size, String sha256) {

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
