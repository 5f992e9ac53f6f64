package io.talkline.media.upload;

import java.text.Normalizer;

/**
 * A file name as a person would recognise it, safe to show and to put in a Content-Disposition:
 * no path, no control or format characters, no quotes or separators, at most 200 characters.
 */
public final class FileNames {

    private static final int MAX = 200;

    private FileNames() {
    }

    public static String clean(String given, String fallback) {
        if (given == null) {
            return fallback;
        }
        String name = Normalizer.normalize(given, Normalizer.Form.NFC);
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder();
        name.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean invisible = type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE;
            if (invisible || c == '"' || c == ';' || c == ':' || c == '*' || c == '?' || c == '<' || c == '>' || c == '|') {
                clean.append('_');
            } else {
                clean.appendCodePoint(c);
            }
        });
        String result = clean.toString().strip();
        while (result.startsWith(".")) {
            result = result.substring(1); // no hidden files, no ".."
        }
        if (result.codePointCount(0, result.length()) > MAX) {
            result = result.substring(0, result.offsetByCodePoints(0, MAX));
        }
        return result.isBlank() ? fallback : result;
    }

    /** {@code attachment|inline; filename="ascii"; filename*=UTF-8''percent-encoded} (RFC 6266). */
    public static String disposition(String type, String name) {
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~".indexOf(c) >= 0;
            encoded.append(plain ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        name.chars().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '\\' && c != '"' ? (char) c : '_'));
        return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
