package io.talkline.media.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Duration of an MP4/M4A from moov/mvhd (duration / timescale). Top-level boxes other than moov are skipped. */
final class Mp4Reader {
    private static final int MAX_BOXES = 10_000;

    private Mp4Reader() {
    }

    static Optional<VoiceFacts> read(InputStream stream, long limit) throws IOException {
        Bytes in = new Bytes(stream, limit);
        for (int i = 0; i < MAX_BOXES; i++) {
            int b = in.readOrEnd();
            if (b < 0) {
                return Optional.empty();
            }
            long size = ((long) b << 24) | ((long) in.read() << 16) | (in.read() << 8) | in.read();
            String type = new String(in.readBytes(4), java.nio.charset.StandardCharsets.ISO_8859_1);
            long header = 8;
            if (size == 1) {
                size = 0;
                for (int k = 0; k < 8; k++) {
                    size = (size << 8) | in.read();
                }
                header = 16;
            } else if (size == 0) {
                return Optional.empty(); // box to end of file: nothing (moov) after it
            }
            if (size < header) {
                return Optional.empty();
            }
            long body = size - header;
            if (type.equals("moov")) {
                return moov(in, body);
            }
            if (i == 0 && !type.equals("ftyp")) {
                return Optional.empty();
            }
            in.skip(body);
        }
        return Optional.empty();
    }

    private static Optional<VoiceFacts> moov(Bytes in, long body) throws IOException {
        long end = in.pos() + body;
        for (int i = 0; i < MAX_BOXES && in.pos() + 8 <= end; i++) {
            long size = ((long) in.read() << 24) | ((long) in.read() << 16) | (in.read() << 8) | in.read();
            String type = new String(in.readBytes(4), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (size < 8 || in.pos() - 8 + size > end) {
                return Optional.empty();
            }
            if (type.equals("mvhd")) {
                if (size > 256) {
                    return Optional.empty();
                }
                byte[] m = in.readBytes((int) size - 8);
                int version = m.length > 0 ? m[0] & 0xFF : -1;
                long timescale;
                long duration;
                if (version == 1 && m.length >= 32) {
                    timescale = be(m, 20, 4);
                    duration = be(m, 24, 8);
                } else if (version == 0 && m.length >= 20) {
                    timescale = be(m, 12, 4);
                    duration = be(m, 16, 4);
                } else {
                    return Optional.empty();
                }
                if (timescale <= 0 || duration <= 0 || duration == 0xFFFFFFFFL || duration > Long.MAX_VALUE / 1000) {
                    return Optional.empty();
                }
                return Optional.of(new VoiceFacts(duration * 1000 / timescale, List.of()));
            }
            in.skip(size - 8);
        }
        return Optional.empty();
    }

    private static long be(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
