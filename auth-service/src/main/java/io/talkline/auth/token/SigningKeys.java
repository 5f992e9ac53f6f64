package io.talkline.auth.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.talkline.auth.config.AuthConfig;

/**
 * The key that signs access tokens (ES256) and the keys a verifier must still accept. Each key's
 * id is its RFC 7638 thumbprint, so a kid can never name two different keys.
 */
@ApplicationScoped
public class SigningKeys {

    public static final String ALGORITHM = "ES256";
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    /** A key with its id. */
    public record Key(String kid, PublicKey publicKey, PrivateKey privateKey) {
    }

    private final Key current;
    private final List<Key> published = new ArrayList<>();

    public SigningKeys(AuthConfig config) {
        this.current = load(config.signing().keyFile(), true);
        published.add(current);
        for (Path retired : config.signing().retiredKeyFiles().orElse(List.of())) {
            Key key = load(retired, false);
            if (!key.kid().equals(current.kid())) {
                published.add(key);
            }
        }
    }

    public Key current() {
        return current;
    }

    /** The JWKS document: public parts only, the signing key first. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (Key key : published) {
            keys.add(jwk(key).toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        }
        return Map.of("keys", keys);
    }

    private static PublicJsonWebKey jwk(Key key) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setAlgorithm(ALGORITHM);
            jwk.setUse("sig");
            return jwk;
        } catch (JoseException e) {
            throw new IllegalStateException("not a usable public key", e);
        }
    }

    public static Key load(Path file, boolean needsPrivate) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("auth.signing: cannot read " + file, e);
        }
        PrivateKey privateKey = null;
        PublicKey publicKey = null;
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            Matcher blocks = PEM.matcher(text);
            while (blocks.find()) {
                byte[] der = Base64.getMimeDecoder().decode(blocks.group(2));
                switch (blocks.group(1)) {
                    case "PRIVATE KEY" -> privateKey = ec.generatePrivate(new PKCS8EncodedKeySpec(der));
                    case "PUBLIC KEY" -> publicKey = ec.generatePublic(new X509EncodedKeySpec(der));
                    default -> throw new IllegalArgumentException("unexpected PEM block " + blocks.group(1));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("auth.signing: " + file + " is not an EC P-256 key in PEM", e);
        }
        if (publicKey == null || (needsPrivate && privateKey == null)) {
            throw new IllegalStateException("auth.signing: " + file + " needs a PUBLIC KEY block"
                    + (needsPrivate ? " and a PRIVATE KEY block" : ""));
        }
        try {
            String kid = PublicJsonWebKey.Factory.newPublicJwk(publicKey).calculateBase64urlEncodedThumbprint("SHA-256");
            return new Key(kid, publicKey, privateKey);
        } catch (JoseException e) {
            throw new IllegalStateException("auth.signing: " + file, e);
        }
    }
}
