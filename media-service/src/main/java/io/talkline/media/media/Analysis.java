package io.talkline.media.media;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.talkline.media.analysis.ImageAnalyzer;
import io.talkline.media.analysis.VoiceAnalyzer;
import io.talkline.media.storage.ObjectStore;

/**
 * What the service adds to a stored voice note (duration, waveform) or image (size, thumbnail),
 * read back from the bucket once it is stored. Best effort: an item it cannot read is still a good
 * upload, just without these fields.
 */
@ApplicationScoped
public class Analysis {

    /** The thumbnail's longer edge, in pixels. */
    static final int THUMBNAIL_EDGE = 320;

    public record Facts(Long durationMs, String waveform, Integer width, Integer height, String thumbnailKey) {
        static final Facts NONE = new Facts(null, null, null, null, null);
    }

    private final ObjectStore store;

    public Analysis(ObjectStore store) {
        this.store = store;
    }

    public Facts of(Kind kind, String id, String key, String contentType) {
        if (kind == Kind.FILE) {
            return Facts.NONE;
        }
        try (InputStream in = store.read(key)) {
            if (kind == Kind.VOICE) {
                return VoiceAnalyzer.analyze(in, contentType)
                        .map(voice -> new Facts(voice.durationMs(), join(voice.waveform()), null, null, null))
                        .orElse(Facts.NONE);
            }
            return ImageAnalyzer.analyze(in, contentType, THUMBNAIL_EDGE).map(image -> {
                String thumbnail = "thumbs/" + id + (image.thumbnailContentType().equals("image/png") ? ".png" : ".jpg");
                store.put(thumbnail, image.thumbnail(), image.thumbnailContentType());
                return new Facts(null, null, image.width(), image.height(), thumbnail);
            }).orElse(Facts.NONE);
        } catch (IOException | RuntimeException e) {
            Log.warnf("could not analyse %s media %s: %s", kind.wire(), id, e.toString());
            return Facts.NONE;
        }
    }

    /** Removes what {@link #of} may have stored for an upload that is then not kept. */
    public void forget(String id) {
        store.remove("thumbs/" + id + ".jpg");
        store.remove("thumbs/" + id + ".png");
    }

    /** The thumbnail's type, from the key this class gave it. */
    static String thumbnailType(String key) {
        return key.endsWith(".png") ? "image/png" : "image/jpeg";
    }

    private static String join(List<Integer> peaks) {
        return peaks.isEmpty() ? null : peaks.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
