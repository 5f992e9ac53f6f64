package io.talkline.media.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.talkline.commons.problem.ProblemException;
import io.talkline.media.access.Caller;
import io.talkline.media.config.MediaConfig;
import io.talkline.media.media.Analysis;
import io.talkline.media.media.Kind;
import io.talkline.media.media.MediaService;
import io.talkline.media.media.MediaView;
import io.talkline.media.storage.ObjectStore;

/**
 * POST /api/media: the form is read as it arrives and the file streamed into a multipart upload,
 * one or two parts in memory at a time (two: one is sent while the next is read; PartBuffers). Its type is judged from its
 * first bytes before
 * anything is stored,
 * its size is counted against its kind's limit on the way, its SHA-256 computed on the way.
 */
@ApplicationScoped
public class UploadService {

    /** Fields other than the file are short; anything longer is not a form this service knows. */
    private static final int FIELD_MAX = 256;
    /** After a refusal, this much of the rest of the body is read and dropped, so the client hears why. */
    private static final long DRAIN_MAX = 64L << 20;

    private final ObjectStore store;
    private final Sniffer sniffer;
    private final MediaService media;
    private final MediaConfig config;
    private final Analysis analysis;
    private final PartBuffers buffers;

    public UploadService(ObjectStore store, Sniffer sniffer, MediaService media, MediaConfig config, Analysis analysis,
            PartBuffers buffers) {
        this.store = store;
        this.buffers = buffers;
        this.analysis = analysis;
        this.sniffer = sniffer;
        this.media = media;
        this.config = config;
    }

    private static final class Form {
        Kind kind;
        String roomId;
        Stored stored;
    }

    /** {@code bodyLength}: the request's Content-Length, when it has one. */
    public MediaView upload(Caller caller, String contentType, Long bodyLength, InputStream body) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ProblemException(415, "send the upload as multipart/form-data (fields kind, roomId?, file)");
        }
        Form form = new Form();
        try {
            FormStream.read(body, contentType, part -> {
                switch (part.name()) {
                    case "kind" -> form.kind = Kind.parse(field(part, "kind"));
                    case "roomId" -> form.roomId = roomId(field(part, "roomId"));
                    case "file" -> {
                        if (form.kind == null) {
                            throw ProblemException.badRequest("kind", "must come before file in the form");
                        }
                        if (form.stored != null) {
                            throw ProblemException.badRequest("file", "one file per upload");
                        }
                        form.stored = store(form.kind, FileNames.clean(part.fileName(), "upload"), part.body(), bodyLength);
                    }
                    default -> field(part, part.name()); // unknown short fields are ignored
                }
            });
            if (form.kind == null) {
                throw ProblemException.badRequest("kind", "is required (voice, image or file)");
            }
            if (form.stored == null) {
                throw ProblemException.badRequest("file", "is required");
            }
            Stored stored = form.stored;
            return media.recordUpload(caller, form.kind, form.roomId, stored,
                    analysis.of(form.kind, stored.id(), stored.key(), stored.contentType()));
        } catch (ProblemException e) {
            if (form.stored != null) {
                store.remove(form.stored.key());
                analysis.forget(form.stored.id());
            }
            if (e.status() == 413 || e.status() == 415 || e.status() == 503) {
                drain(body);
            }
            throw e;
        } catch (IOException | UncheckedIOException e) {
            // the client went away mid-upload (or sent a broken body): nothing is kept
            if (form.stored != null) {
                store.remove(form.stored.key());
            }
            throw ProblemException.badRequest("file", "the upload ended before the form did");
        } catch (RuntimeException e) {
            if (form.stored != null) {
                store.remove(form.stored.key());
                analysis.forget(form.stored.id());
            }
            throw e;
        }
    }

    private Stored store(Kind kind, String fileName, InputStream in, Long bodyLength) throws IOException {
        String id = UUID.randomUUID().toString();
        String key = "media/" + id;
        long limit = kind.limit(config);
        // a body smaller than a part holds a file smaller than a part: a buffer of its own, one PUT
        boolean small = bodyLength != null && bodyLength < buffers.size();
        byte[] buffer = small ? new byte[(int) Math.max(1, bodyLength)] : buffers.take();
        byte[] next = null;
        try {
            int n = in.readNBytes(buffer, 0, buffer.length);
            if (n == 0) {
                throw ProblemException.badRequest("file", "is empty");
            }
            String sniffed = sniffer.type(buffer, n);
            if (!kind.admits(sniffed)) {
                throw MediaService.unsupported(kind, sniffed);
            }
            String type = kind.served(sniffed);
            MessageDigest sha = Stored.digest();
            long size = 0;
            if (n < buffer.length) {
                // all of it in one read: one PUT, no multipart upload
                if (n > limit) {
                    throw MediaService.tooLarge(kind);
                }
                sha.update(buffer, 0, n);
                store.put(key, Arrays.copyOf(buffer, n), type);
                size = n;
            } else {
                ObjectStore.Write write = store.write(key, type);
                next = buffers.takeIfFree(); // without it, parts are read and sent in turn
                try {
                    while (n > 0) {
                        size += n;
                        if (size > limit) {
                            throw MediaService.tooLarge(kind);
                        }
                        sha.update(buffer, 0, n);
                        write.part(buffer, n);
                        if (next == null) {
                            write.flush();
                        } else {
                            byte[] sent = buffer;
                            buffer = next;
                            next = sent;
                        }
                        n = in.readNBytes(buffer, 0, buffer.length);
                    }
                    write.complete();
                } catch (IOException | RuntimeException e) {
                    write.abort(); // returns once no part is in flight: the buffers are free again
                    throw e;
                }
            }
            return new Stored(id, key, fileName, type, size, HexFormat.of().formatHex(sha.digest()));
        } finally {
            if (!small) {
                buffers.give(buffer);
                buffers.give(next);
            }
        }
    }

    private static String field(FormStream.Part part, String name) throws IOException {
        byte[] value = part.body().readNBytes(FIELD_MAX + 1);
        if (value.length > FIELD_MAX) {
            throw ProblemException.badRequest(name, "is too long");
        }
        return new String(value, java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    private static String roomId(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > 64 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ProblemException.badRequest("roomId", "is not a room id");
        }
        return value;
    }

    private static void drain(InputStream body) {
        try {
            long left = DRAIN_MAX;
            byte[] sink = new byte[64 * 1024];
            int n;
            while (left > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // gone already: nothing to drain
        }
    }
}
