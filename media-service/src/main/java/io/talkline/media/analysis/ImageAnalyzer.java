package io.talkline.media.analysis;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Reads an image's size from its header (no full decode) and makes a thumbnail: the image is decoded with source
 * subsampling (so at most about 2×maxEdge on its longer side is ever held), then scaled down in halving steps with
 * bilinear filtering. The thumbnail is JPEG, or PNG when the source has alpha. Images above {@link #MAX_PIXELS} are
 * refused (decompression bombs). WebP and better JPEG support come from TwelveMonkeys ImageIO plug-ins. EXIF
 * orientation is not applied.
 */
public final class ImageAnalyzer {
    /** Images with more pixels than this are refused. */
    static final long MAX_PIXELS = 200_000_000L;
    private static final int MAX_THUMB_EDGE = 4096;

    static {
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    private ImageAnalyzer() {
    }

    /** Empty when it cannot be read. maxEdge: the thumbnail's longer edge in px (e.g. 320). */
    public static Optional<ImageFacts> analyze(InputStream in, String contentType, int maxEdge) {
        return analyze(in, contentType, maxEdge, MAX_PIXELS);
    }

    /** As {@link #analyze(InputStream, String, int)}, refusing images of more than {@code maxPixels}. */
    static Optional<ImageFacts> analyze(InputStream in, String contentType, int maxEdge, long maxPixels) {
        if (in == null || maxEdge <= 0 || maxEdge > MAX_THUMB_EDGE) {
            return Optional.empty();
        }
        ImageReader reader = null;
        try (ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
            reader = readerFor(iis, contentType);
            if (reader == null) {
                return Optional.empty();
            }
            reader.setInput(iis, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
                return Optional.empty();
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int longer = Math.max(width, height);
            int step = Math.max(1, longer / (2 * maxEdge)); // keep ≥ 2× the target for a good downscale
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage decoded = reader.read(0, param);
            if (decoded == null) {
                return Optional.empty();
            }
            boolean alpha = decoded.getColorModel().hasAlpha();
            BufferedImage thumb = scale(decoded, maxEdge, alpha);
            byte[] bytes = alpha ? png(thumb) : jpeg(thumb);
            if (bytes == null) {
                return Optional.empty();
            }
            return Optional.of(new ImageFacts(width, height, bytes, alpha ? "image/png" : "image/jpeg"));
        } catch (Exception | LinkageError | StackOverflowError e) {
            return Optional.empty();
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    private static ImageReader readerFor(ImageInputStream iis, String contentType) {
        if (contentType != null) {
            String type = contentType.toLowerCase(Locale.ROOT);
            int semi = type.indexOf(';');
            type = (semi >= 0 ? type.substring(0, semi) : type).trim();
            if (!type.startsWith("image/")) {
                return null;
            }
        }
        Iterator<ImageReader> it = ImageIO.getImageReaders(iis); // by the bytes; the stream is reset after each probe
        return it.hasNext() ? it.next() : null;
    }

    /** Scales to fit maxEdge (never up), in halving steps for quality; ARGB when alpha, else RGB. */
    static BufferedImage scale(BufferedImage src, int maxEdge, boolean alpha) {
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        int w = src.getWidth();
        int h = src.getHeight();
        double f = Math.min(1.0, (double) maxEdge / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * f));
        int th = Math.max(1, (int) Math.round(h * f));
        BufferedImage current = src;
        int cw = w;
        int ch = h;
        do {
            cw = Math.max(tw, cw / 2 >= tw ? cw / 2 : tw);
            ch = Math.max(th, ch / 2 >= th ? ch / 2 : th);
            BufferedImage next = new BufferedImage(cw, ch, type);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                if (!alpha) {
                    g.setColor(java.awt.Color.WHITE);
                    g.fillRect(0, 0, cw, ch);
                }
                g.drawImage(current, 0, 0, cw, ch, null);
            } finally {
                g.dispose();
            }
            current = next;
        } while (cw != tw || ch != th);
        return current;
    }

    private static byte[] png(BufferedImage img) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return ImageIO.write(img, "png", out) ? out.toByteArray() : null;
    }

    private static byte[] jpeg(BufferedImage img) throws java.io.IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            return null;
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
