package io.talkline.media.analysis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A counting, bounded reader over an input stream: never reads past {@code limit} bytes. */
final class Bytes {
    /** Thrown when the input ends inside a structure, or exceeds the read bound. */
    static final class Truncated extends IOException {
        Truncated(String m) {
            super(m);
        }
    }

    private final InputStream in;
    private final long limit;
    private long pos;

    Bytes(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    long pos() {
        return pos;
    }

    /** Next byte 0..255, or -1 at a clean end of input. */
    int readOrEnd() throws IOException {
        if (pos >= limit) {
            throw new Truncated("read bound reached");
        }
        int b = in.read();
        if (b >= 0) {
            pos++;
        }
        return b;
    }

    int read() throws IOException {
        int b = readOrEnd();
        if (b < 0) {
            throw new Truncated("end of input");
        }
        return b;
    }

    void readFully(byte[] buf, int off, int len) throws IOException {
        if (len > limit - pos) {
            throw new Truncated("read bound reached");
        }
        int done = 0;
        while (done < len) {
            int n = in.read(buf, off + done, len - done);
            if (n < 0) {
                throw new EOFException();
            }
            done += n;
        }
        pos += len;
    }

    byte[] readBytes(int len) throws IOException {
        byte[] b = new byte[len];
        readFully(b, 0, len);
        return b;
    }

    void skip(long n) throws IOException {
        if (n < 0 || n > limit - pos) {
            throw new Truncated("skip beyond bound");
        }
        byte[] scratch = null;
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (scratch == null) {
                    scratch = new byte[8192];
                }
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (r < 0) {
                    throw new Truncated("end of input while skipping");
                }
                s = r;
            }
            left -= s;
            pos += s;
        }
    }
}
