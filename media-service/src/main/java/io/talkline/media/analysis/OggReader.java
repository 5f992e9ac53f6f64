package io.talkline.media.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A small streaming Ogg page reader for Ogg/Opus (RFC 7845): follows the first logical stream whose first packet is an
 * OpusHead; the duration is the last granule position minus the pre-skip, at 48 kHz. One page (≤ 64 KiB) and one packet
 * (bounded) are held at a time.
 */
final class OggReader {
    private static final int MAX_PACKET = 1 << 20;

    private OggReader() {
    }

    static Optional<VoiceFacts> read(InputStream stream, long limit) throws IOException {
        Bytes in = new Bytes(stream, limit);
        long serial = 0;
        boolean haveStream = false;
        int preSkip = 0;
        int packetsSeen = 0;
        long lastGranule = -1;
        long samples = 0; // decoded position of the next packet, in 48 kHz samples
        Waveform waveform = null;
        byte[] packet = new byte[4096];
        int packetLen = 0;
        boolean first = true;
        while (true) {
            // capture pattern; the first page must start right here
            int b = in.readOrEnd();
            if (b < 0) {
                break;
            }
            if (b != 'O' || in.read() != 'g' || in.read() != 'g' || in.read() != 'S') {
                return Optional.empty(); // not at a page boundary: malformed
            }
            byte[] h = in.readBytes(23);
            if (h[0] != 0) {
                return Optional.empty();
            }
            int type = h[1] & 0xFF;
            long granule = le(h, 2, 8);
            long pageSerial = le(h, 10, 4);
            int segments = h[22] & 0xFF;
            byte[] table = in.readBytes(segments);
            int dataLen = 0;
            for (byte s : table) {
                dataLen += s & 0xFF;
            }
            byte[] data = in.readBytes(dataLen);
            if (first) {
                first = false;
                if ((type & 0x02) == 0) {
                    return Optional.empty(); // first page must begin a stream
                }
            }
            if (!haveStream) {
                if ((type & 0x02) != 0 && dataLen >= 19
                        && new String(data, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
                    haveStream = true;
                    serial = pageSerial;
                    int channels = data[9] & 0xFF;
                    preSkip = (int) le(data, 10, 2);
                    waveform = Waveform.opus(channels);
                    packetsSeen = 1;
                    continue;
                }
                continue; // another logical stream, or not Opus (yet)
            }
            if (pageSerial != serial) {
                continue;
            }
            if ((type & 0x01) == 0) {
                packetLen = 0; // not a continuation: any unfinished packet is dropped
            }
            int off = 0;
            for (byte s : table) {
                int seg = s & 0xFF;
                if (packetLen + seg <= MAX_PACKET) {
                    if (packetLen + seg > packet.length) {
                        packet = java.util.Arrays.copyOf(packet,
                                Math.min(MAX_PACKET, Math.max(packetLen + seg, packet.length * 2)));
                    }
                    System.arraycopy(data, off, packet, packetLen, seg);
                    packetLen += seg;
                }
                off += seg;
                if (seg < 255) { // a packet ends here
                    packetsSeen++;
                    if (packetsSeen > 2 && packetLen > 0) { // past OpusHead and OpusTags
                        int n = Opus.packetSamples(packet, 0, packetLen);
                        if (n > 0) {
                            if (waveform != null) {
                                waveform.packet(packet, 0, packetLen, samples - preSkip);
                            }
                            samples += n;
                        }
                    }
                    packetLen = 0;
                }
            }
            if (granule != -1) {
                lastGranule = granule;
            }
        }
        if (!haveStream || lastGranule < 0 || samples == 0) {
            return Optional.empty();
        }
        long ms = (lastGranule - preSkip) * 1000 / 48000;
        if (ms <= 0) {
            return Optional.empty();
        }
        List<Integer> peaks = waveform == null ? List.of() : waveform.peaks(ms);
        return Optional.of(new VoiceFacts(ms, peaks));
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
