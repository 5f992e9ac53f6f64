package io.talkline.media.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Voice notes with real bytes: a Chromium MediaRecorder WebM/Opus fixture, and an Ogg/Opus made with Concentus. */
class VoiceAnalyzerTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = VoiceAnalyzerTest.class.getResourceAsStream("/analysis/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    static Optional<VoiceFacts> analyze(byte[] bytes, String type) {
        return VoiceAnalyzer.analyze(new ByteArrayInputStream(bytes), type);
    }

    static void assertWaveform(List<Integer> w) {
        assertTrue(!w.isEmpty() && w.size() <= 64, "1..64 peaks: " + w);
        assertTrue(w.stream().allMatch(v -> v >= 0 && v <= 100), "each 0..100: " + w);
        assertEquals(100, w.stream().mapToInt(Integer::intValue).max().orElseThrow(), "normalised: " + w);
        assertTrue(w.stream().distinct().count() > 1, "not flat: " + w);
    }

    @Test
    void chromiumWebmOpusRecording() throws IOException {
        byte[] webm = fixture("voice-3s.webm");
        VoiceFacts facts = analyze(webm, "audio/webm").orElseThrow();
        assertTrue(facts.durationMs() >= 2500 && facts.durationMs() <= 3600, "about 3 s: " + facts.durationMs());
        // this file has no Info/Duration: its last SimpleBlock starts at 2940 ms (cluster + block timecode) and holds
        // 60 ms of Opus (TOC 0xFB: CELT 20 ms frames, code 3, 3 frames)
        assertEquals(3000, facts.durationMs());
        assertEquals(64, facts.waveform().size());
        assertWaveform(facts.waveform());
        // the fake device beeps: there are quiet stretches as well as loud ones
        assertTrue(facts.waveform().stream().filter(v -> v < 20).count() >= 4, "quiet parts: " + facts.waveform());
        // Tika may call the same bytes video/webm
        assertEquals(facts, analyze(webm, "video/webm").orElseThrow());
    }

    @Test
    void oggOpusMadeWithConcentus() throws Exception {
        // 2 s: 0.25 s of 440 Hz, 0.25 s of silence, repeated
        byte[] ogg = OggOpusWriter.beeps(2000, 250);
        VoiceFacts facts = analyze(ogg, "audio/ogg").orElseThrow();
        assertEquals(2000, facts.durationMs(), "2 s, pre-skip taken off");
        assertWaveform(facts.waveform());
        assertTrue(facts.waveform().stream().filter(v -> v < 20).count() >= 8, "silences: " + facts.waveform());
        assertEquals(facts, analyze(ogg, "audio/opus").orElseThrow());
    }

    @Test
    void badInputIsEmptyFastAndNeverThrows() throws IOException {
        byte[] webm = fixture("voice-3s.webm");
        byte[] garbage = new byte[200_000];
        new Random(7).nextBytes(garbage);
        byte[] ogg = OggOpusWriter.beeps(1000, 250);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String type : List.of("audio/webm", "video/webm", "audio/ogg", "audio/opus", "audio/mp4", "audio/mpeg")) {
                assertEquals(Optional.empty(), analyze(new byte[0], type), type + " empty");
                assertEquals(Optional.empty(), analyze(garbage, type), type + " garbage");
                assertEquals(Optional.empty(), analyze(Arrays.copyOf(webm, 7), type), type + " 7 bytes");
            }
            // cut inside the header, and inside a block / page
            assertEquals(Optional.empty(), analyze(Arrays.copyOf(webm, 150), "audio/webm"));
            assertEquals(Optional.empty(), analyze(Arrays.copyOf(webm, webm.length - 3), "audio/webm"));
            assertEquals(Optional.empty(), analyze(Arrays.copyOf(ogg, ogg.length - 3), "audio/ogg"));
            // right bytes, wrong or missing type
            assertEquals(Optional.empty(), analyze(webm, "image/png"));
            assertEquals(Optional.empty(), analyze(webm, null));
            assertEquals(Optional.empty(), VoiceAnalyzer.analyze(null, "audio/webm"));
            // an element claiming a huge size right after a valid header: no allocation, just empty
            byte[] huge = Arrays.copyOf(webm, 200);
            assertEquals(Optional.empty(), analyze(hugeSegment(webm), "audio/webm"));
            assertEquals(Optional.empty(), analyze(huge, "audio/webm"));
        });
        // a stream that throws is empty too
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("boom");
            }
        };
        assertEquals(Optional.empty(), VoiceAnalyzer.analyze(failing, "audio/webm"));
    }

    /** The EBML header, then an 8-byte-size SimpleBlock claiming 2^55 bytes. */
    private static byte[] hugeSegment(byte[] webm) {
        int headerLen = 5 + (webm[4] & 0x7F); // 1A45DFA3 + 1-byte size
        byte[] out = Arrays.copyOf(webm, headerLen + 9);
        out[headerLen] = (byte) 0xA3;
        out[headerLen + 1] = 0x01;
        Arrays.fill(out, headerLen + 2, headerLen + 9, (byte) 0x7F);
        return out;
    }

    @Test
    void mutatedRecordingsNeverThrowAndStayBounded() throws IOException {
        byte[] webm = fixture("voice-3s.webm");
        byte[] ogg = OggOpusWriter.beeps(1000, 250);
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 300; i++) {
                for (byte[] original : List.of(webm, ogg)) {
                    byte[] b = Arrays.copyOf(original, 1 + random.nextInt(original.length));
                    for (int k = random.nextInt(8); k > 0; k--) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                    String type = original == webm ? "audio/webm" : "audio/ogg";
                    Optional<VoiceFacts> facts = analyze(b, type); // must not throw
                    facts.ifPresent(f -> {
                        assertTrue(f.durationMs() > 0);
                        assertTrue(f.waveform().size() <= 64 && f.waveform().stream().allMatch(v -> v >= 0 && v <= 100));
                    });
                }
            }
        });
    }

    @Test
    void opusPacketDurationFromToc() {
        assertEquals(960, Opus.packetSamples(new byte[] { (byte) 0xF8 }, 0, 1)); // CELT FB 20 ms, 1 frame
        assertEquals(2880, Opus.packetSamples(new byte[] { (byte) 0xFB, 0x03 }, 0, 2)); // code 3, 3 frames
        assertEquals(1920, Opus.packetSamples(new byte[] { (byte) 0x10 }, 0, 1)); // SILK NB 40 ms, 1 frame
        assertEquals(1920, Opus.packetSamples(new byte[] { (byte) 0x79 }, 0, 1)); // hybrid 20 ms, 2 frames (code 1)
        assertEquals(-1, Opus.packetSamples(new byte[0], 0, 0));
        assertEquals(-1, Opus.packetSamples(new byte[] { (byte) 0x1B, 0x03 }, 0, 2)); // 3 × 60 ms > 120 ms
    }

    @Test
    void mp4DurationFromMvhd() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.writeInt(16);
        d.writeBytes("ftypM4A ");
        d.writeInt(0);
        d.writeInt(8 + 8 + 100);
        d.writeBytes("moov");
        d.writeInt(8 + 100);
        d.writeBytes("mvhd");
        byte[] mvhd = new byte[100];
        java.nio.ByteBuffer.wrap(mvhd).putInt(12, 44100).putInt(16, 44100 * 7 / 2); // 3.5 s
        d.write(mvhd);
        assertEquals(3500, analyze(out.toByteArray(), "audio/mp4").orElseThrow().durationMs());
        assertEquals(List.of(), analyze(out.toByteArray(), "audio/mp4").orElseThrow().waveform());
    }

    @Test
    void mpegDurationFromFrames() {
        // 100 MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz, no padding: 417 bytes, 1152 samples each
        byte[] frame = new byte[417];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB;
        frame[2] = (byte) 0x90;
        frame[3] = (byte) 0x64;
        byte[] mp3 = new byte[417 * 100];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(frame, 0, mp3, i * 417, 417);
        }
        assertEquals(Math.round(100 * 1152 * 1000.0 / 44100), analyze(mp3, "audio/mpeg").orElseThrow().durationMs());
    }

    @Test
    void foldBucketsAndScales() {
        int[] slots = new int[128];
        slots[0] = 50;
        slots[127] = 200;
        List<Integer> w = Waveform.fold(slots, 128, 128);
        assertEquals(64, w.size());
        assertEquals(25, w.get(0));
        assertEquals(100, w.get(63));
        assertEquals(List.of(), Waveform.fold(new int[0], 0, 10));
        assertEquals(3, Waveform.fold(new int[] { 1, 2, 3 }, 3, 3).size());
    }
}
