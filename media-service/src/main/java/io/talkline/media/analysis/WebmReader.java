package io.talkline.media.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A small streaming EBML reader for WebM/Matroska with an Opus track, as browsers' MediaRecorder writes it (Segment and
 * Clusters of unknown size, often no Duration). Elements are read flat: known master elements are entered, everything
 * else is skipped, only blocks of the Opus track are held (one at a time, bounded).
 */
final class WebmReader {
    private static final long UNKNOWN = -1;
    private static final int MAX_BLOCK = 1 << 20;
    private static final int MAX_SMALL = 1 << 16; // CodecPrivate, strings, numbers
    private static final long MAX_NS = 100L * 24 * 3600 * 1_000_000_000L; // 100 days

    // ids
    private static final int EBML = 0x1A45DFA3, SEGMENT = 0x18538067, INFO = 0x1549A966, TIMECODE_SCALE = 0x2AD7B1,
            DURATION = 0x4489, TRACKS = 0x1654AE6B, TRACK_ENTRY = 0xAE, TRACK_NUMBER = 0xD7, CODEC_ID = 0x86,
            CODEC_PRIVATE = 0x63A2, AUDIO = 0xE1, CHANNELS = 0x9F, CLUSTER = 0x1F43B675, CLUSTER_TIMECODE = 0xE7,
            SIMPLE_BLOCK = 0xA3, BLOCK_GROUP = 0xA0, BLOCK = 0xA1, DOC_TYPE = 0x4282;

    private final Bytes in;
    private long timecodeScale = 1_000_000;
    private double infoDuration = -1;
    private long clusterTimecode;
    private boolean inCluster;

    // track being read, and the chosen Opus track
    private long entryNumber = -1;
    private String entryCodec;
    private byte[] entryPrivate;
    private int entryChannels;
    private long opusTrack = -1;
    private int opusChannels = 1;

    private Waveform waveform;
    private boolean waveformTried;
    private long endNs = -1; // end of the last Opus block, in ns
    private long firstNs = Long.MAX_VALUE;
    private int blocks;

    private WebmReader(InputStream in, long limit) {
        this.in = new Bytes(in, limit);
    }

    static Optional<VoiceFacts> read(InputStream stream, long limit) throws IOException {
        return new WebmReader(stream, limit).run();
    }

    private Optional<VoiceFacts> run() throws IOException {
        long id = readId(true);
        if (id != EBML) {
            return Optional.empty();
        }
        long size = readSize();
        if (size == UNKNOWN || size > MAX_SMALL) {
            return Optional.empty();
        }
        String docType = "";
        long headerEnd = in.pos() + size;
        while (in.pos() < headerEnd) {
            long cid = readId(false);
            long csize = readSize();
            if (csize == UNKNOWN || in.pos() + csize > headerEnd) {
                return Optional.empty();
            }
            if (cid == DOC_TYPE) {
                docType = new String(in.readBytes((int) csize), StandardCharsets.US_ASCII).trim();
            } else {
                in.skip(csize);
            }
        }
        if (!docType.startsWith("webm") && !docType.startsWith("matroska")) {
            return Optional.empty();
        }
        // The body: a flat walk over elements.
        while (true) {
            long eid = readId(true);
            if (eid < 0) {
                break; // clean end of input between elements
            }
            long esize = readSize();
            if (!element(eid, esize)) {
                return Optional.empty();
            }
        }
        finishTrackEntry();
        return facts();
    }

    /** Handles one element header; false when the input is malformed. */
    private boolean element(long id, long size) throws IOException {
        switch ((int) id) {
            case SEGMENT, INFO, TRACKS, AUDIO, BLOCK_GROUP -> {
                return true; // enter: children follow
            }
            case CLUSTER -> {
                finishTrackEntry();
                inCluster = true;
                clusterTimecode = 0;
                return true;
            }
            case TRACK_ENTRY -> {
                finishTrackEntry();
                entryNumber = -1;
                entryCodec = null;
                entryPrivate = null;
                entryChannels = 0;
                return true;
            }
            default -> {
            }
        }
        if (size == UNKNOWN) {
            return false; // only masters may have unknown size
        }
        switch ((int) id) {
            case TIMECODE_SCALE -> {
                long v = uint(size);
                if (v > 0 && v <= 1_000_000_000L) {
                    timecodeScale = v;
                }
            }
            case DURATION -> infoDuration = floatValue(size);
            case TRACK_NUMBER -> entryNumber = uint(size);
            case CODEC_ID -> entryCodec = string(size);
            case CODEC_PRIVATE -> {
                if (size > MAX_SMALL) {
                    return false;
                }
                entryPrivate = in.readBytes((int) size);
            }
            case CHANNELS -> entryChannels = (int) Math.min(uint(size), 255);
            case CLUSTER_TIMECODE -> clusterTimecode = uint(size);
            case SIMPLE_BLOCK, BLOCK -> {
                if (size > MAX_BLOCK || size < 4) {
                    in.skip(size);
                } else {
                    block(in.readBytes((int) size));
                }
            }
            default -> in.skip(size);
        }
        return true;
    }

    private void finishTrackEntry() {
        if (opusTrack < 0 && "A_OPUS".equals(entryCodec) && entryNumber > 0) {
            opusTrack = entryNumber;
            int ch = entryChannels;
            if (entryPrivate != null && entryPrivate.length >= 19
                    && new String(entryPrivate, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
                ch = entryPrivate[9] & 0xFF;
            }
            opusChannels = ch == 2 ? 2 : 1;
        }
        entryCodec = null;
    }

    private void block(byte[] b) {
        if (opusTrack < 0 || !inCluster) {
            return;
        }
        int p = 0;
        // track number: an EBML vint
        int first = b[0] & 0xFF;
        int len = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || len > 8 || len >= b.length) {
            return;
        }
        long track = first & (0xFF >> len);
        for (int i = 1; i < len; i++) {
            track = (track << 8) | (b[i] & 0xFF);
        }
        p = len;
        if (track != opusTrack || p + 3 > b.length) {
            return;
        }
        int rel = (short) (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF));
        int flags = b[p + 2] & 0xFF;
        p += 3;
        long startTicks = clusterTimecode + rel;
        if (startTicks < 0 || startTicks > MAX_NS / timecodeScale) {
            return; // before the start, or beyond any plausible length
        }
        long startNs = startTicks * timecodeScale;
        int[] frames = laces(b, p, (flags >> 1) & 3);
        if (frames == null) {
            return;
        }
        if (!waveformTried) {
            waveformTried = true;
            waveform = Waveform.opus(opusChannels);
        }
        long samples = 0;
        int off = frames[0];
        for (int i = 1; i < frames.length; i++) {
            int flen = frames[i];
            int n = Opus.packetSamples(b, off, flen);
            if (n > 0) {
                if (waveform != null) {
                    waveform.packet(b, off, flen, startNs / 1000 * 48 / 1000 + samples);
                }
                samples += n;
            }
            off += flen;
        }
        blocks++;
        firstNs = Math.min(firstNs, startNs);
        endNs = Math.max(endNs, startNs + samples * 1_000_000_000L / 48000);
    }

    /** {start offset, size of frame 1, size of frame 2, ...}, or null when the lacing does not add up. */
    private static int[] laces(byte[] b, int p, int lacing) {
        if (lacing == 0) {
            return new int[] { p, b.length - p };
        }
        if (p >= b.length) {
            return null;
        }
        int count = (b[p++] & 0xFF) + 1;
        int[] out = new int[count + 1];
        int known = 0;
        if (lacing == 1) { // Xiph
            for (int i = 0; i < count - 1; i++) {
                int s = 0;
                int v;
                do {
                    if (p >= b.length) {
                        return null;
                    }
                    v = b[p++] & 0xFF;
                    s += v;
                } while (v == 255);
                out[i + 1] = s;
                known += s;
            }
        } else if (lacing == 3) { // EBML
            long[] r = vint(b, p);
            if (r == null) {
                return null;
            }
            p = (int) r[1];
            long s = r[0];
            out[1] = (int) s;
            known = (int) s;
            for (int i = 1; i < count - 1; i++) {
                long[] d = vint(b, p);
                if (d == null) {
                    return null;
                }
                int dlen = (int) d[1] - p;
                long bias = (1L << (7 * dlen - 1)) - 1;
                s += d[0] - bias;
                p = (int) d[1];
                if (s < 0 || s > b.length) {
                    return null;
                }
                out[i + 1] = (int) s;
                known += (int) s;
            }
        } else { // fixed
            int rest = b.length - p;
            if (rest % count != 0) {
                return null;
            }
            for (int i = 0; i < count; i++) {
                out[i + 1] = rest / count;
            }
            out[0] = p;
            return out;
        }
        int last = b.length - p - known;
        if (last < 0 || known < 0) {
            return null;
        }
        out[count] = last;
        out[0] = p;
        return out;
    }

    /** {value, next offset} of a vint in a byte array, or null. */
    private static long[] vint(byte[] b, int p) {
        if (p >= b.length) {
            return null;
        }
        int first = b[p] & 0xFF;
        if (first == 0) {
            return null;
        }
        int len = Integer.numberOfLeadingZeros(first) - 23;
        if (p + len > b.length) {
            return null;
        }
        long v = first & (0xFF >> len);
        for (int i = 1; i < len; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return new long[] { v, p + len };
    }

    private Optional<VoiceFacts> facts() {
        if (opusTrack < 0 || blocks == 0) {
            return Optional.empty();
        }
        long ms;
        if (infoDuration > 0 && Double.isFinite(infoDuration) && infoDuration * timecodeScale < 1e16) {
            ms = Math.round(infoDuration * timecodeScale / 1e6);
        } else {
            ms = (endNs + 500_000) / 1_000_000;
        }
        if (ms <= 0) {
            return Optional.empty();
        }
        List<Integer> peaks = waveform == null ? List.of() : waveform.peaks(ms);
        return Optional.of(new VoiceFacts(ms, peaks));
    }

    /** An element id (with its length marker), or -1 at a clean end of input when {@code endOk}. */
    private long readId(boolean endOk) throws IOException {
        int first = endOk ? in.readOrEnd() : in.read();
        if (first < 0) {
            return -1;
        }
        if (first == 0) {
            throw new Bytes.Truncated("bad id");
        }
        int len = Integer.numberOfLeadingZeros(first) - 23;
        if (len > 4) {
            throw new Bytes.Truncated("bad id");
        }
        long id = first;
        for (int i = 1; i < len; i++) {
            id = (id << 8) | in.read();
        }
        return id;
    }

    /** An element size, or UNKNOWN (all value bits set). */
    private long readSize() throws IOException {
        int first = in.read();
        if (first == 0) {
            throw new Bytes.Truncated("bad size");
        }
        int len = Integer.numberOfLeadingZeros(first) - 23;
        long v = first & (0xFF >> len);
        boolean allOnes = v == (0xFF >> len);
        for (int i = 1; i < len; i++) {
            int b = in.read();
            allOnes &= b == 0xFF;
            v = (v << 8) | b;
        }
        return allOnes ? UNKNOWN : v;
    }

    private long uint(long size) throws IOException {
        if (size > 8) {
            throw new Bytes.Truncated("bad uint");
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | in.read();
        }
        return v < 0 ? 0 : v;
    }

    private double floatValue(long size) throws IOException {
        if (size == 4) {
            return Float.intBitsToFloat((int) uint(4));
        }
        if (size == 8) {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | in.read();
            }
            return Double.longBitsToDouble(bits);
        }
        in.skip(size);
        return -1;
    }

    private String string(long size) throws IOException {
        if (size > MAX_SMALL) {
            throw new Bytes.Truncated("bad string");
        }
        return new String(in.readBytes((int) size), StandardCharsets.US_ASCII).replace("\0", "");
    }
}
