package io.talkline.media.analysis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;

/** Test helper: encodes mono 48 kHz beeps with Concentus and writes them as Ogg/Opus (RFC 7845), one packet a page. */
final class OggOpusWriter {
    private static final int PRE_SKIP = 312;

    private OggOpusWriter() {
    }

    /** {@code totalMs} of audio: {@code beepMs} of 440 Hz, then {@code beepMs} of silence, and so on. */
    static byte[] beeps(int totalMs, int beepMs) {
        try {
            OpusEncoder enc = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
            head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1).putShort((short) PRE_SKIP)
                    .putInt(48000).putShort((short) 0).put((byte) 0);
            int seq = 0;
            page(out, head.array(), 0x02, 0, seq++);
            byte[] vendor = "test".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(vendor.length).put(vendor).putInt(0);
            page(out, tags.array(), 0, 0, seq++);
            int frame = 960; // 20 ms
            int total = totalMs * 48;
            int frames = (total + PRE_SKIP + frame - 1) / frame;
            short[] pcm = new short[frame];
            byte[] packet = new byte[1275];
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < frame; i++) {
                    long t = (long) f * frame + i - PRE_SKIP; // position in the intended audio
                    boolean on = t >= 0 && (t / (beepMs * 48L)) % 2 == 0;
                    pcm[i] = on ? (short) (12000 * Math.sin(2 * Math.PI * 440 * t / 48000.0)) : 0;
                }
                int len = enc.encode(pcm, 0, frame, packet, 0, packet.length);
                boolean last = f == frames - 1;
                long granule = last ? (long) total + PRE_SKIP : (long) (f + 1) * frame;
                page(out, java.util.Arrays.copyOf(packet, len), last ? 0x04 : 0, granule, seq++);
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void page(ByteArrayOutputStream out, byte[] packet, int type, long granule, int seq) {
        int segments = packet.length / 255 + 1;
        ByteBuffer p = ByteBuffer.allocate(27 + segments + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        p.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) type).putLong(granule).putInt(0x7A11)
                .putInt(seq).putInt(0).put((byte) segments);
        for (int i = 0; i < segments - 1; i++) {
            p.put((byte) 255);
        }
        p.put((byte) (packet.length % 255));
        p.put(packet);
        byte[] bytes = p.array();
        int crc = crc(bytes);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(22, crc);
        out.writeBytes(bytes);
    }

    private static int crc(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 24;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }
}
