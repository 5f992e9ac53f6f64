package io.talkline.media.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Duration of an MPEG audio (MP3) stream: skips an ID3v2 tag, then uses the Xing/Info or VBRI frame count of the first
 * frame when present, else walks the frame headers (skipping each frame's body) and adds up their samples.
 */
final class MpegReader {
    private static final int[][] BITRATES = { // kbit/s: [V1L1, V1L2, V1L3, V2L1, V2L2&L3]
            { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 },
            { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 },
            { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 },
            { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 },
            { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 } };
    private static final int[] RATES = { 44100, 48000, 32000 };
    private static final int MAX_JUNK = 64 * 1024; // bytes searched for the first frame / after a lost sync
    private static final int MAX_FRAMES = 2_000_000;
    private static final int MIN_RUN = 4; // back-to-back frames needed before a sync is believed

    private MpegReader() {
    }

    static Optional<VoiceFacts> read(InputStream stream, long limit) throws IOException {
        Bytes in = new Bytes(stream, limit);
        int b0 = in.readOrEnd();
        if (b0 < 0) {
            return Optional.empty();
        }
        int h = b0;
        if (b0 == 'I') {
            byte[] id3 = in.readBytes(9);
            if (id3[0] == 'D' && id3[1] == '3') {
                long size = ((id3[5] & 0x7F) << 21) | ((id3[6] & 0x7F) << 14) | ((id3[7] & 0x7F) << 7) | (id3[8] & 0x7F);
                in.skip(size + ((id3[4] & 0x10) != 0 ? 10 : 0));
                int b = in.readOrEnd();
                if (b < 0) {
                    return Optional.empty();
                }
                h = b;
            } else {
                return Optional.empty();
            }
        }
        int header = h;
        for (int i = 0; i < 3; i++) {
            int b = in.readOrEnd();
            if (b < 0) {
                return Optional.empty();
            }
            header = (header << 8) | b;
        }
        double seconds = 0; // of confirmed runs
        int frames = 0;
        double runSeconds = 0; // the current run of back-to-back frames; counted once it is MIN_RUN long
        int run = 0;
        Frame runFormat = null;
        int junk = 0;
        boolean first = true;
        while (frames + run < MAX_FRAMES) {
            Frame f = Frame.parse(header);
            if (f != null && runFormat != null && !f.sameFormat(runFormat)) {
                f = null;
            }
            if (f == null) {
                if (run >= MIN_RUN) {
                    frames += run;
                    seconds += runSeconds;
                }
                run = 0;
                runSeconds = 0;
                runFormat = null;
                if (++junk > MAX_JUNK) {
                    return done(seconds, frames);
                }
                int b = in.readOrEnd();
                if (b < 0) {
                    return done(seconds, frames);
                }
                header = (header << 8) | b;
                continue;
            }
            junk = 0;
            if (first) {
                first = false;
                byte[] body = in.readBytes(f.length - 4);
                long vbrFrames = vbrFrames(body, f);
                if (vbrFrames > 0 && vbrFrames < MAX_FRAMES * 100L) {
                    return done(vbrFrames * (double) f.samples / f.rate, 1);
                }
            } else {
                in.skip(f.length - 4);
            }
            run++;
            runFormat = f;
            runSeconds += (double) f.samples / f.rate;
            header = 0;
            for (int i = 0; i < 4; i++) {
                int b = in.readOrEnd();
                if (b < 0) {
                    return run >= MIN_RUN ? done(seconds + runSeconds, frames + run) : done(seconds, frames);
                }
                header = (header << 8) | b;
            }
        }
        return done(seconds, frames);
    }

    private static Optional<VoiceFacts> done(double seconds, int frames) {
        long ms = Math.round(seconds * 1000);
        return frames > 0 && ms > 0 ? Optional.of(new VoiceFacts(ms, List.of())) : Optional.empty();
    }

    /** Frame count from a Xing/Info or VBRI tag in the first frame's body (after the 4 header bytes), or -1. */
    private static long vbrFrames(byte[] body, Frame f) {
        int side = f.version == 3 ? (f.mono ? 17 : 32) : (f.mono ? 9 : 17);
        if (body.length >= side + 12) {
            String tag = new String(body, side, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if ((tag.equals("Xing") || tag.equals("Info")) && (body[side + 7] & 1) != 0) {
                return be(body, side + 8);
            }
        }
        if (body.length >= 32 + 18 && new String(body, 32, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("VBRI")) {
            return be(body, 32 + 14);
        }
        return -1;
    }

    private static long be(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private record Frame(int version, int layer, int rate, int samples, int length, boolean mono) {
        boolean sameFormat(Frame o) {
            return version == o.version && layer == o.layer && rate == o.rate;
        }

        /** version: 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5; layer 1..3; null when not a valid header. */
        static Frame parse(int h) {
            if ((h & 0xFFE00000) != 0xFFE00000) {
                return null;
            }
            int version = (h >>> 19) & 3;
            int layerBits = (h >>> 17) & 3;
            int brIndex = (h >>> 12) & 15;
            int srIndex = (h >>> 10) & 3;
            if (version == 1 || layerBits == 0 || brIndex == 0 || brIndex == 15 || srIndex == 3) {
                return null;
            }
            int layer = 4 - layerBits;
            int padding = (h >>> 9) & 1;
            boolean mono = ((h >>> 6) & 3) == 3;
            int rate = RATES[srIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
            int kbps = version == 3 ? BITRATES[layer - 1][brIndex] : BITRATES[layer == 1 ? 3 : 4][brIndex];
            int bps = kbps * 1000;
            int samples;
            int length;
            if (layer == 1) {
                samples = 384;
                length = (12 * bps / rate + padding) * 4;
            } else if (layer == 2 || version == 3) {
                samples = 1152;
                length = 144 * bps / rate + padding;
            } else {
                samples = 576;
                length = 72 * bps / rate + padding;
            }
            return length > 4 ? new Frame(version, layer, rate, samples, length, mono) : null;
        }
    }
}
