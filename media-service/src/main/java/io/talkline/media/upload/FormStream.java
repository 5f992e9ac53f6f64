package io.talkline.media.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.stream.RecursionMode;

import io.talkline.commons.problem.ProblemException;

/**
 * A multipart/form-data body read part by part as it arrives (mime4j's pull parser): each part's
 * content is a stream over the request itself, so nothing is buffered whole or put on disk.
 */
final class FormStream {

    /** One part; {@code body} must be read (or left) before the next part is asked for. */
    record Part(String name, String fileName, InputStream body) {
    }

    @FunctionalInterface
    interface Handler {
        void part(Part part) throws IOException;
    }

    private static final MimeConfig LIMITS = MimeConfig.custom()
            .setMaxLineLen(-1) // file content has no lines
            .setMaxContentLen(-1) // the kind's limit applies, counted by the reader
            .setMaxHeaderLen(4096).setMaxHeaderCount(16).setMaxTotalHeaderCount(64).setMaxPartCount(16)
            .setStrictParsing(false).build();

    private FormStream() {
    }

    static void read(InputStream body, String contentType, Handler handler) throws IOException {
        MimeTokenStream stream = new MimeTokenStream(LIMITS);
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        try {
            stream.parseHeadless(body, contentType);
            String name = null;
            String fileName = null;
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_START_BODYPART -> {
                        name = null;
                        fileName = null;
                    }
                    case T_FIELD -> {
                        Field field = stream.getField();
                        if ("content-disposition".equalsIgnoreCase(field.getName()) && field instanceof RawField raw) {
                            for (NameValuePair parameter : RawFieldParser.DEFAULT.parseRawBody(raw).getParams()) {
                                if ("name".equalsIgnoreCase(parameter.getName())) {
                                    name = utf8(parameter.getValue());
                                } else if ("filename".equalsIgnoreCase(parameter.getName())) {
                                    fileName = utf8(parameter.getValue());
                                }
                            }
                        }
                    }
                    case T_BODY -> {
                        if (name != null) {
                            handler.part(new Part(name, fileName, stream.getDecodedInputStream()));
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (MimeException e) {
            throw ProblemException.badRequest("file", "not a readable multipart/form-data body: " + e.getMessage());
        }
    }

    /** Header bytes arrive as Latin-1 characters; browsers send names in UTF-8. */
    private static String utf8(String latin1) {
        if (latin1 == null) {
            return null;
        }
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        return decoded.contains("\uFFFD") ? latin1 : decoded;
    }
}
