package io.talkline.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Secrets a local platform needs and no repository may hold: generated on first use into the run
 * directory (mode 600), reused afterwards. DEVELOPMENT ONLY — deployments bring their own.
 */
public final class DevSecrets {

    private DevSecrets() {
    }

    /**
     * The access-token signing key of auth-service: an EC P-256 key pair as one PEM file with a
     * PRIVATE KEY (PKCS#8) and a PUBLIC KEY (X.509) block.
     */
    public static Path authSigningKey(Path dir) {
        Path file = dir.resolve("auth-signing-key.pem");
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
            Path temp = Files.createTempFile(dir, "key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, pem);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
