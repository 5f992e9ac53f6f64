package io.talkline.media.analysis;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the length of a voice note, and a small waveform of it, from its container — streaming, holding one block or
 * page at a time.
 * <ul>
 * <li>WebM/Matroska with Opus (Chrome's MediaRecorder): Segment/Info/Duration when present, else the end of the last
 * Opus block (cluster timecode + block timecode + the packet's duration from its TOC byte). Waveform from decoded PCM.
 * <li>Ogg/Opus (Firefox): last granule position minus pre-skip, at 48 kHz. Waveform from decoded PCM.
 * <li>MP4/M4A: moov/mvhd duration / timescale; no waveform (empty list).
 * <li>MPEG audio (MP3): Xing/Info/VBRI frame count, else the sum of the frames' samples; no waveform (empty list).
 * </ul>
 * Malformed, truncated (ending inside an element or page) or unknown input gives empty; it never throws. Reading is
 * bounded to {@link #MAX_BYTES}.
 */
public final class VoiceAnalyzer {
    /** Nothing beyond this many bytes of a voice note is read. */
    static final long MAX_BYTES = 128L * 1024 * 1024;

    private VoiceAnalyzer() {
    }

    /** Empty when the bytes are not a voice format it can read (never throws on bad input). */
    public static Optional<VoiceFacts> analyze(InputStream in, String contentType) {
        if (in == null) {
            return Optional.empty();
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        int semi = type.indexOf(';');
        if (semi >= 0) {
            type = type.substring(0, semi);
        }
        type = type.trim();
        try {
            InputStream buffered = new BufferedInputStream(in, 16 * 1024);
            return switch (type) {
                case "audio/webm", "video/webm", "audio/x-matroska", "video/x-matroska" -> WebmReader.read(buffered, MAX_BYTES);
                case "audio/ogg", "audio/opus", "application/ogg", "audio/x-ogg" -> OggReader.read(buffered, MAX_BYTES);
                case "audio/mp4", "audio/x-m4a", "audio/m4a", "video/mp4", "audio/aac-mp4" ->
                    Mp4Reader.read(buffered, MAX_BYTES);
                case "audio/mpeg", "audio/mp3", "audio/x-mpeg" -> MpegReader.read(buffered, MAX_BYTES);
                default -> Optional.empty();
            };
        } catch (Exception | StackOverflowError e) {
            return Optional.empty();
        }
    }
}
