package io.talkline.chat.moderation;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message body as the word rules see it: Unicode compatibility forms folded ({@code ｂａｄ} is
 * {@code bad}), accents and other marks dropped, lower case, common Cyrillic and Greek look-alikes
 * read as the Latin letters they imitate, and everything that is not a letter or a digit taken as a
 * separator. What is left is a list of tokens; a blocked word matches a run of whole tokens written
 * together, so {@code b.a.d}, {@code b a d} and {@code ba-d} match {@code bad} while {@code badge}
 * and {@code abad} do not.
 */
public final class NormalizedText {

    private final List<String> tokens;

    private NormalizedText(List<String> tokens) {
        this.tokens = tokens;
    }

    public static NormalizedText of(String text) {
        List<String> tokens = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return new NormalizedText(tokens);
        }
        // ASCII is its own NFKC and NFD: most messages skip the two normalisation passes
        String folded = ascii(text) ? text
                : Normalizer.normalize(Normalizer.normalize(text, Normalizer.Form.NFKC), Normalizer.Form.NFD);
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < folded.length();) {
            int c = folded.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT) {
                continue; // accents, zero-width joiners and the like vanish without splitting a word
            }
            if (Character.isLetterOrDigit(c)) {
                token.appendCodePoint(latin(Character.toLowerCase(c)));
            } else if (!token.isEmpty()) {
                tokens.add(token.toString());
                token.setLength(0);
            }
        }
        if (!token.isEmpty()) {
            tokens.add(token.toString());
        }
        return new NormalizedText(List.copyOf(tokens));
    }

    public List<String> tokens() {
        return tokens;
    }

    /** The tokens with single spaces between them: what {@code patterns} of a words rule are matched against. */
    public String joined() {
        return String.join(" ", tokens);
    }

    /** The tokens written together: a blocked word or phrase as a key. */
    public String collapsed() {
        return String.join("", tokens);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** Lower-case Cyrillic and Greek letters that are drawn like Latin ones, as those. */
    private static int latin(int c) {
        return switch (c) {
            case 'а', 'α' -> 'a';
            case 'в', 'β' -> 'b';
            case 'с', 'ϲ' -> 'c';
            case 'е', 'ε' -> 'e';
            case 'һ' -> 'h';
            case 'і', 'ι', 'ı' -> 'i';
            case 'ј' -> 'j';
            case 'к', 'κ' -> 'k';
            case 'м' -> 'm';
            case 'η' -> 'n';
            case 'о', 'ο' -> 'o';
            case 'р', 'ρ' -> 'p';
            case 'ԛ' -> 'q';
            case 'ѕ' -> 's';
            case 'т', 'τ' -> 't';
            case 'υ' -> 'u';
            case 'ν' -> 'v';
            case 'ԝ', 'ω' -> 'w';
            case 'х', 'χ' -> 'x';
            case 'у', 'γ' -> 'y';
            default -> c;
        };
    }

    static String lower(String text) {
        return (ascii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC)).toLowerCase(Locale.ROOT);
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
