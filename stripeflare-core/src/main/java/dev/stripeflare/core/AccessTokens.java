package dev.stripeflare.core;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Mints, recognises and hashes access tokens.
 *
 * <p>A token is {@value #PREFIX} followed by 32 bytes from {@link SecureRandom} in base64url
 * without padding (256 bits, URL- and cookie-safe). Stores only ever see {@link #hash(String)}:
 * an unsalted SHA-256 is enough because the input is uniformly random — there is nothing to
 * brute-force, and the hash must be deterministic to serve as an index key.
 */
final class AccessTokens {
    static final String PREFIX = "sf_";
    private static final int RANDOM_BYTES = 32;
    private static final int ENCODED_LENGTH = PREFIX.length() + 43;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;
    private final ThreadLocal<Hasher> hashers = ThreadLocal.withInitial(Hasher::new);

    AccessTokens(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new token that was never handed out before (with overwhelming probability). */
    String mint() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + BASE64URL.encodeToString(bytes);
    }

    /** Whether {@code token} has the shape of a token this class mints. Null is not. */
    static boolean isWellFormed(String token) {
        if (token == null || token.length() != ENCODED_LENGTH || !token.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < ENCODED_LENGTH; i++) {
            if (!isBase64UrlChar(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The base64url (no padding) SHA-256 of the token: what stores index. */
    String hash(String token) {
        return hashers.get().hash(token);
    }

    private static boolean isBase64UrlChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_';
    }

    /**
     * One thread's digest and buffers: hashing runs on every charge and lookup, so it reuses
     * them and allocates only the resulting string.
     */
    private static final class Hasher {
        private final MessageDigest sha256 = newSha256();
        private final byte[] digest = new byte[32];
        private final byte[] encoded = new byte[43];
        private byte[] input = new byte[ENCODED_LENGTH];

        String hash(String token) {
            int length = token.length();
            if (input.length < length) {
                input = new byte[length];
            }
            for (int i = 0; i < length; i++) {
                char c = token.charAt(i);
                if (c > 0x7F) {
                    // Not one of ours; hash its UTF-8 bytes so distinct strings stay distinct.
                    sha256.update(token.getBytes(StandardCharsets.UTF_8));
                    return finish();
                }
                input[i] = (byte) c;
            }
            sha256.update(input, 0, length);
            return finish();
        }

        private String finish() {
            try {
                sha256.digest(digest, 0, digest.length);
            } catch (DigestException e) {
                throw new IllegalStateException("a 32-byte buffer holds a SHA-256 digest", e);
            }
            BASE64URL.encode(digest, encoded);
            return new String(encoded, StandardCharsets.ISO_8859_1);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
