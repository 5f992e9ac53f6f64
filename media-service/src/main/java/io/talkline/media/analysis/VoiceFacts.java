package io.talkline.media.analysis;

import java.util.List;

/** Facts about a voice note: its length and a small waveform for the player. */
public record VoiceFacts(long durationMs, List<Integer> waveform) {
    public VoiceFacts {
        waveform = List.copyOf(waveform);
    }
}
