package dev.stripeflare.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns an access token into a {@code client_reference_id} and back.
 *
 * <p>Deterministic authenticated encryption by the SIV construction (Rogaway–Shrimpton): the
 * synthetic IV is a PRF of the plaintext, {@code siv = HMAC-SHA256(k₁, version ‖ token)}
 * truncated to 128 bits, and the token is encrypted with AES-256-CTR under k₂ starting at that
 * IV. The same token always yields the same id; decryption recomputes the SIV over the
 * recovered plaintext and compares it in constant time, so a tampered, truncated or foreign id
 * is rejected. Both keys are derived once from each {@code DB_SECRET} with HKDF-SHA256.
 *
 * <p>Format (base64url, no padding): {@code version(1) ‖ siv(16) ‖ ciphertext}; a
 * {@value AccessTokens#PREFIX} token of 46 characters gives 84 characters, within Stripe's
 * 200-character limit of {@code [A-Za-z0-9_-]}. The first secret encrypts; every secret is tried
 * when decrypting, so a secret can be rotated while ids made under the old one still work.
 *
 * <p>Thread-safe. Each thread keeps its own keyed {@link Mac} and {@link Cipher} per secret, so
 * the hot path ({@code session}, {@code lookupUser}) neither looks up providers nor re-expands
 * keys.
 */
final class ReferenceCipher {
    static final int MAX_REFERENCE_LENGTH = 200;
    private static final byte VERSION = 1;
    private static final int SIV_BYTES = 16;
    private static final int HEADER_BYTES = 1 + SIV_BYTES;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final List<Keys> keys;

    /** @param secrets the DB_SECRETs, newest (encrypting) first; each at least 32 characters */
    ReferenceCipher(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        List<Keys> derived = new ArrayList<>();
        for (String secret : secrets) {
            derived.add(Keys.derive(secret));
        }
        this.keys = List.copyOf(derived);
    }

    /** The reference for {@code token}, under the first secret. */
    String encrypt(String token) {
        byte[] plaintext = token.getBytes(StandardCharsets.UTF_8);
        Keys key = keys.get(0);
        byte[] out = new byte[HEADER_BYTES + plaintext.length];
        out[0] = VERSION;
        System.arraycopy(key.siv(plaintext), 0, out, 1, SIV_BYTES);
        key.ctr(out, 1, plaintext, 0, plaintext.length, out, HEADER_BYTES);
        return ENCODER.encodeToString(out);
    }

    /**
     * The token inside {@code reference}, or empty when it is not a reference made under one of
     * our secrets (another application's, tampered, truncated, or not base64url at all). Never
     * throws for any input.
     */
    Optional<String> decrypt(String reference) {
        if (reference == null || reference.isEmpty() || reference.length() > MAX_REFERENCE_LENGTH) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = DECODER.decode(reference);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        if (raw.length <= HEADER_BYTES || raw[0] != VERSION) {
            return Optional.empty();
        }
        byte[] siv = Arrays.copyOfRange(raw, 1, HEADER_BYTES);
        byte[] plaintext = new byte[raw.length - HEADER_BYTES];
        for (Keys key : keys) {
            key.ctr(raw, 1, raw, HEADER_BYTES, plaintext.length, plaintext, 0);
            if (MessageDigest.isEqual(key.siv(plaintext), siv)) {
                return Optional.of(new String(plaintext, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** The two keys derived from one secret, with per-thread JCA objects keyed once. */
    private static final class Keys {
        private final ThreadLocal<Mac> mac;
        private final ThreadLocal<Cipher> aesCtr;
        private final SecretKeySpec encryptionKey;

        private Keys(SecretKeySpec sivKey, SecretKeySpec encryptionKey) {
            this.encryptionKey = encryptionKey;
            this.mac = ThreadLocal.withInitial(() -> Crypto.instance(() -> {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(sivKey);
                return m;
            }));
            this.aesCtr = ThreadLocal.withInitial(() -> Crypto.instance(() -> Cipher.getInstance("AES/CTR/NoPadding")));
        }

        static Keys derive(String secret) {
            byte[] ikm = secret.getBytes(StandardCharsets.UTF_8);
            byte[] prk = Crypto.hkdfExtract("stripeflare client_reference_id".getBytes(StandardCharsets.UTF_8), ikm);
            return new Keys(
                    new SecretKeySpec(Crypto.hkdfExpand(prk, "v1 siv key", 32), "HmacSHA256"),
                    new SecretKeySpec(Crypto.hkdfExpand(prk, "v1 encryption key", 32), "AES"));
        }

        byte[] siv(byte[] plaintext) {
            Mac m = mac.get();
            m.update(VERSION);
            return Arrays.copyOf(m.doFinal(plaintext), SIV_BYTES);
        }

        /** AES-CTR from the IV at {@code iv[ivOffset..+16]}; encryption and decryption alike. */
        void ctr(byte[] iv, int ivOffset, byte[] in, int inOffset, int length, byte[] out, int outOffset) {
            try {
                Cipher cipher = aesCtr.get();
                cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv, ivOffset, SIV_BYTES));
                cipher.doFinal(in, inOffset, length, out, outOffset);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/CTR is required on every Java platform", e);
            }
        }

        @Override
        public String toString() {
            return "Keys[<redacted>]";
        }
    }

    /**
     * Whether {@code reference} has the form of a reference some wallet made (base64url of this
     * version's header and a ciphertext), whatever secret made it: a checkout carrying one that
     * does not decrypt was most likely made by an instance with another {@code DB_SECRET}.
     */
    static boolean hasWalletForm(String reference) {
        if (reference == null || reference.isEmpty() || reference.length() > MAX_REFERENCE_LENGTH) {
            return false;
        }
        try {
            byte[] raw = DECODER.decode(reference);
            return raw.length > HEADER_BYTES && raw[0] == VERSION;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
