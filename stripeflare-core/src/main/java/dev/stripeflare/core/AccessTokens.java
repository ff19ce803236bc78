package dev.stripeflare.core;

import java.nio.charset.StandardCharsets;
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
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(AccessTokens::newSha256);

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
        MessageDigest digest = sha256.get();
        return BASE64URL.encodeToString(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    private static boolean isBase64UrlChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_';
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
