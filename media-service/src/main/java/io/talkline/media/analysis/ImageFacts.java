package io.talkline.media.analysis;

/** Facts about an image, and a small thumbnail of it. */
public record ImageFacts(int width, int height, byte[] thumbnail, String thumbnailContentType) {
}
