package dev.stripeflare.core;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints, authenticates and hashes access tokens.
 *
 * <p>A token is {@value #PREFIX} followed by base64url (no padding) of 32 bytes from
 * {@link SecureRandom} and a 16-byte MAC: {@code HMAC-SHA256(k, PREFIX ‖ random)} truncated to
 * 128 bits, with {@code k} derived from each {@code DB_SECRET} by HKDF-SHA256 (as
 * {@link ReferenceCipher} derives its keys, under another salt). 68 characters, URL- and
 * cookie-safe. {@link #isAuthentic} checks the MAC in constant time under every secret, so a
 * token this application never minted is recognised without touching the store (ADR 19).
 *
 * <p>Legacy tokens ({@value #LEGACY_PREFIX} + 43 characters, minted before tokens carried a MAC)
 * cannot be authenticated; {@link #mayOpenAccount} still accepts their shape so that accounts
 * holding them keep working, and the wallet keeps a legacy token only when it opens an account.
 * Nothing mints them any more.
 *
 * <p>Stores only ever see {@link #hash(String)}: an unsalted SHA-256 is enough because the input
 * is uniformly random — there is nothing to brute-force, and the hash must be deterministic to
 * serve as an index key. Thread-safe.
 */
final class AccessTokens {
    static final String PREFIX = "sf2_";
    static final String LEGACY_PREFIX = "sf_";
    private static final int RANDOM_BYTES = 32;
    private static final int MAC_BYTES = 16;
    private static final int ENCODED_LENGTH = PREFIX.length() + 64; // 48 bytes: no padding bits
    private static final int LEGACY_LENGTH = LEGACY_PREFIX.length() + 43;
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private final SecureRandom random;
    private final List<ThreadLocal<Mac>> macs;
    private final ThreadLocal<Hasher> hashers = ThreadLocal.withInitial(Hasher::new);

    /**
     * @param secrets the DB_SECRETs, newest (minting) first; tokens minted under any of them
     *                authenticate
     */
    AccessTokens(SecureRandom random, List<String> secrets) {
        this.random = Objects.requireNonNull(random, "random");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        List<ThreadLocal<Mac>> keyed = new ArrayList<>();
        for (String secret : secrets) {
            keyed.add(macFor(macKey(secret)));
        }
        this.macs = List.copyOf(keyed);
    }

    /** Tokens under a random key of their own: for hashing and tests, not for a wallet. */
    AccessTokens(SecureRandom random) {
        this(random, List.of(BASE64URL.encodeToString(randomBytes(random, 32))));
    }

    /** A new token that was never handed out before (with overwhelming probability). */
    String mint() {
        byte[] raw = new byte[RANDOM_BYTES + MAC_BYTES];
        random.nextBytes(raw);
        System.arraycopy(mac(macs.get(0).get(), raw), 0, raw, RANDOM_BYTES, MAC_BYTES);
        return PREFIX + BASE64URL.encodeToString(raw);
    }

    /**
     * Whether {@code token} was minted here: the current format with a MAC that verifies under
     * one of the secrets, compared in constant time. Null and anything else are not.
     */
    boolean isAuthentic(String token) {
        if (!hasShape(token, PREFIX, ENCODED_LENGTH)) {
            return false;
        }
        byte[] raw = BASE64URL_DECODER.decode(token.substring(PREFIX.length()));
        byte[] presented = Arrays.copyOfRange(raw, RANDOM_BYTES, RANDOM_BYTES + MAC_BYTES);
        boolean authentic = false;
        for (ThreadLocal<Mac> mac : macs) {
            authentic |= MessageDigest.isEqual(mac(mac.get(), raw), presented);
        }
        return authentic;
    }

    /** Whether {@code token} has the shape of a legacy token (no MAC; ADR 19's migration). */
    static boolean isLegacy(String token) {
        return hasShape(token, LEGACY_PREFIX, LEGACY_LENGTH);
    }

    /**
     * Whether {@code token} is worth a store lookup: authentic, or legacy (which only the store
     * can tell apart from a forgery).
     */
    boolean mayOpenAccount(String token) {
        return isAuthentic(token) || isLegacy(token);
    }

    /** Whether {@code token} has the shape of a token, current or legacy; says nothing of its MAC. */
    static boolean isWellFormed(String token) {
        return hasShape(token, PREFIX, ENCODED_LENGTH) || isLegacy(token);
    }

    private static boolean hasShape(String token, String prefix, int length) {
        if (token == null || token.length() != length || !token.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < length; i++) {
            if (!isBase64UrlChar(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mac(Mac mac, byte[] raw) {
        mac.update(PREFIX_BYTES);
        mac.update(raw, 0, RANDOM_BYTES);
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }

    private static SecretKeySpec macKey(String secret) {
        byte[] prk = Crypto.hkdfExtract("stripeflare access token".getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
        return new SecretKeySpec(Crypto.hkdfExpand(prk, "v2 token mac key", 32), "HmacSHA256");
    }

    private static ThreadLocal<Mac> macFor(SecretKeySpec key) {
        return ThreadLocal.withInitial(() -> Crypto.instance(() -> {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        }));
    }

    private static byte[] randomBytes(SecureRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
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
