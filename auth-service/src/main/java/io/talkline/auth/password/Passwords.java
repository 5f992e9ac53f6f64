package io.talkline.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.talkline.auth.config.AuthConfig;

/**
 * bcrypt reads at most 72 bytes; 128 characters of UTF-8 can be 512. Every password is therefore
 * pre-hashed — base64(SHA-256(UTF-8)), 44 ASCII bytes, no NUL — so no byte of it is ever ignored
 * (ADR 0006).
 */
@ApplicationScoped
public class Passwords {

    private final int cost;
    /** Compared against when the account does not exist: an unknown user costs what a wrong password costs. */
    private final String decoy;

    @Inject
    public Passwords(AuthConfig config) {
        this(config.bcryptCost());
    }

    Passwords(int cost) {
        this.cost = cost;
        this.decoy = hash("decoy password that matches no account");
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(prehash(password), cost);
    }

    public boolean matches(String password, String hash) {
        return BcryptUtil.matches(prehash(password), hash);
    }

    /** Spends the time of a real check, for an account that does not exist. */
    public void burnTime(String password) {
        BcryptUtil.matches(prehash(password), decoy);
    }

    static String prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
