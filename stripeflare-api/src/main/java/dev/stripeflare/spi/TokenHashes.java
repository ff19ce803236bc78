package dev.stripeflare.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The definition of a token hash as a {@link UserStore} sees it: the base64url (no padding)
 * SHA-256 of the token's UTF-8 bytes, 43 characters. For stores' tests, tools and migrations;
 * the wallet computes the same value on its hot path without allocating a digest per call.
 * Stateless and thread-safe.
 */
public final class TokenHashes {

    private TokenHashes() {
    }

    /**
     * Throws unless {@code tokenHash} has the form of a token hash: 43 base64url characters.
     *
     * @param tokenHash what to check
     * @return {@code tokenHash}
     * @throws IllegalArgumentException if it has not; NullPointerException if it is null
     */
    public static String requireWellFormed(String tokenHash) {
        java.util.Objects.requireNonNull(tokenHash, "tokenHash");
        if (tokenHash.length() != 43) {
            throw new IllegalArgumentException("a token hash has 43 characters, not " + tokenHash.length());
        }
        for (int i = 0; i < tokenHash.length(); i++) {
            char c = tokenHash.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!base64url) {
                throw new IllegalArgumentException("a token hash is base64url; it has a character that is not");
            }
        }
        return tokenHash;
    }

    /**
     * The hash of {@code token}.
     *
     * @param token the token
     * @return its hash, as stores keep it
     */
    public static String of(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
