package io.talkline.media.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** Images built in the test with ImageIO, and hostile headers. */
class ImageAnalyzerTest {

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "a writer for " + format);
        return out.toByteArray();
    }

    private static BufferedImage picture(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLUE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return img;
    }

    private static BufferedImage decode(byte[] thumb) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(thumb));
        assertNotNull(img, "thumbnail decodes");
        return img;
    }

    @Test
    void pngWithAlphaGivesPngThumbnail() throws IOException {
        BufferedImage src = picture(1200, 800, BufferedImage.TYPE_INT_ARGB);
        ImageFacts f = ImageAnalyzer.analyze(new ByteArrayInputStream(encode(src, "png")), "image/png", 320).orElseThrow();
        assertEquals(1200, f.width());
        assertEquals(800, f.height());
        assertEquals("image/png", f.thumbnailContentType());
        BufferedImage t = decode(f.thumbnail());
        assertEquals(320, t.getWidth());
        assertEquals(213, t.getHeight());
        assertTrue(t.getColorModel().hasAlpha());
    }

    @Test
    void jpegGivesJpegThumbnail() throws IOException {
        byte[] jpeg = encode(picture(3000, 4000, BufferedImage.TYPE_INT_RGB), "jpeg");
        ImageFacts f = ImageAnalyzer.analyze(new ByteArrayInputStream(jpeg), "image/jpeg", 320).orElseThrow();
        assertEquals(3000, f.width());
        assertEquals(4000, f.height());
        assertEquals("image/jpeg", f.thumbnailContentType());
        assertEquals((byte) 0xFF, f.thumbnail()[0]);
        assertEquals((byte) 0xD8, f.thumbnail()[1]);
        BufferedImage t = decode(f.thumbnail());
        assertEquals(240, t.getWidth());
        assertEquals(320, t.getHeight());
        // the middle is still blue, the corner still orange
        Color mid = new Color(t.getRGB(120, 160));
        Color corner = new Color(t.getRGB(3, 3));
        assertTrue(mid.getBlue() > 200 && mid.getRed() < 60, "blue middle: " + mid);
        assertTrue(corner.getRed() > 200 && corner.getBlue() < 60, "orange corner: " + corner);
    }

    @Test
    void gifAndSmallImagesAreNotEnlarged() throws IOException {
        byte[] gif = encode(picture(100, 50, BufferedImage.TYPE_BYTE_INDEXED), "gif");
        ImageFacts f = ImageAnalyzer.analyze(new ByteArrayInputStream(gif), "image/gif", 320).orElseThrow();
        assertEquals(100, f.width());
        assertEquals(50, f.height());
        BufferedImage t = decode(f.thumbnail());
        assertEquals(100, t.getWidth());
        assertEquals(50, t.getHeight());
        assertTrue(Math.max(t.getWidth(), t.getHeight()) <= 320);
    }

    @Test
    void webpPluginIsThere() {
        assertTrue(ImageIO.getImageReadersByMIMEType("image/webp").hasNext(), "TwelveMonkeys WebP reader on the class path");
    }

    @Test
    void pixelBombHeaderIsRefusedWithoutAllocating() throws IOException {
        // IHDR claims 100000×100000 (10 gigapixels), followed by 8 MiB that must never be read
        byte[] bomb = pngHeader(100_000, 100_000);
        long[] read = new long[1];
        java.io.InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(bomb),
                new ByteArrayInputStream(new byte[8 << 20])) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(n, 0);
                return n;
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(Optional.empty(), ImageAnalyzer.analyze(in, "image/png", 320));
        });
        assertTrue(read[0] < 64 * 1024, "only the header was read: " + read[0]);
    }

    @Test
    void pixelBoundIsWhatRefuses() throws IOException {
        byte[] png = encode(picture(1000, 1000, BufferedImage.TYPE_INT_RGB), "png");
        assertTrue(ImageAnalyzer.analyze(new ByteArrayInputStream(png), "image/png", 320, 1_000_000).isPresent());
        assertEquals(Optional.empty(), ImageAnalyzer.analyze(new ByteArrayInputStream(png), "image/png", 320, 999_999));
    }

    @Test
    void garbageTruncatedAndEmptyAreEmpty() throws IOException {
        byte[] garbage = new byte[100_000];
        new Random(3).nextBytes(garbage);
        byte[] png = encode(picture(400, 300, BufferedImage.TYPE_INT_RGB), "png");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(Optional.empty(), ImageAnalyzer.analyze(new ByteArrayInputStream(new byte[0]), "image/png", 320));
            assertEquals(Optional.empty(), ImageAnalyzer.analyze(new ByteArrayInputStream(garbage), "image/jpeg", 320));
            assertEquals(Optional.empty(),
                    ImageAnalyzer.analyze(new ByteArrayInputStream(Arrays.copyOf(png, 30)), "image/png", 320));
            assertEquals(Optional.empty(), ImageAnalyzer.analyze(new ByteArrayInputStream(png), "audio/webm", 320));
            assertEquals(Optional.empty(), ImageAnalyzer.analyze(null, "image/png", 320));
        });
    }

    /** A PNG signature and an IHDR claiming the given size, a tiny IDAT and IEND: no real pixel data. */
    static byte[] pngHeader(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' });
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(ihdr);
        i.writeInt(w);
        i.writeInt(h);
        i.write(new byte[] { 8, 6, 0, 0, 0 }); // 8-bit RGBA
        chunk(d, "IHDR", ihdr.toByteArray());
        chunk(d, "IDAT", new byte[] { 0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
        chunk(d, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        d.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
