package io.talkline.media.media;

import java.util.Locale;
import java.util.Set;

import io.talkline.commons.problem.ProblemException;
import io.talkline.media.config.MediaConfig;

/** What an upload is for, and which types (judged from the bytes) each kind admits. */
public enum Kind {
    /** What browsers record (WebM/Opus, Ogg/Opus, MP4/AAC) and MP3; Tika calls some WebM Matroska. */
    VOICE(Set.of("audio/webm", "video/webm", "application/x-matroska", "video/x-matroska", "audio/x-matroska",
            "audio/ogg", "audio/opus", "application/ogg", "audio/mp4", "video/mp4", "audio/x-m4a", "audio/aac",
            "audio/mpeg")),
    IMAGE(Set.of("image/jpeg", "image/png", "image/webp", "image/gif")),
    /** Anything; what a browser could run (HTML, SVG, scripts) is only ever served as a download. */
    FILE(Set.of());

    private final Set<String> types;

    Kind(Set<String> types) {
        this.types = types;
    }

    public static Kind parse(String value) {
        if (value != null) {
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(value.trim())) {
                    return kind;
                }
            }
        }
        throw ProblemException.badRequest("kind", "must be voice, image or file");
    }

    public boolean admits(String contentType) {
        return this == FILE || types.contains(contentType);
    }

    public long limit(MediaConfig config) {
        return switch (this) {
            case VOICE -> config.limits().voice().asLongValue();
            case IMAGE -> config.limits().image().asLongValue();
            case FILE -> config.limits().file().asLongValue();
        };
    }

    /** The type a voice note is served as: a WebM or MP4 that holds a voice note is audio. */
    public String served(String sniffed) {
        if (this == VOICE && sniffed.endsWith("matroska")) {
            return "audio/webm"; // WebM is Matroska; what records voice notes writes WebM
        }
        if (this == VOICE && sniffed.startsWith("video/")) {
            return "audio/" + sniffed.substring("video/".length());
        }
        if (this == VOICE && sniffed.equals("application/ogg")) {
            return "audio/ogg";
        }
        return sniffed;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
