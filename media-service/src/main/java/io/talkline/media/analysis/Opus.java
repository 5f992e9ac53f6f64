package io.talkline.media.analysis;

/** What an Opus packet's TOC byte says about its length (RFC 6716 §3.1). */
final class Opus {
    private Opus() {
    }

    /** Samples at 48 kHz in this packet, or -1 when it is not a valid Opus packet. */
    static int packetSamples(byte[] p, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int toc = p[off] & 0xFF;
        int config = toc >>> 3;
        int frame;
        if (config < 12) {
            frame = new int[] { 480, 960, 1920, 2880 }[config & 3];
        } else if (config < 16) {
            frame = (config & 1) == 0 ? 480 : 960;
        } else {
            frame = new int[] { 120, 240, 480, 960 }[config & 3];
        }
        int frames;
        switch (toc & 3) {
            case 0 -> frames = 1;
            case 1, 2 -> frames = 2;
            default -> {
                if (len < 2) {
                    return -1;
                }
                frames = p[off + 1] & 0x3F;
                if (frames == 0) {
                    return -1;
                }
            }
        }
        int total = frame * frames;
        return total > 5760 ? -1 : total; // at most 120 ms per packet
    }
}
