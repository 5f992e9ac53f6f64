package io.talkline.auth.password;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = new Passwords(4);

    @Test
    void passwordsThatShareTheirFirst72BytesAreStillDifferent() {
        String prefix = "a".repeat(72);
        String hash = passwords.hash(prefix + "first");
        assertTrue(passwords.matches(prefix + "first", hash));
        assertFalse(passwords.matches(prefix + "second", hash), "bcrypt alone would accept this");
        assertFalse(passwords.matches(prefix, hash));
    }

    @Test
    void multiByteCharactersCountAsThemselves() {
        String hash = passwords.hash("ø".repeat(40) + "x");
        assertTrue(passwords.matches("ø".repeat(40) + "x", hash));
        assertFalse(passwords.matches("ø".repeat(40) + "y", hash));
    }
}
