package dev.stripeflare.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns an access token into a {@code client_reference_id} and back.
 *
 * <p>Deterministic authenticated encryption in the SIV style: the nonce is a keyed PRF of the
 * plaintext (HMAC-SHA256, truncated to 96 bits), so the same token always yields the same id,
 * and AES-256-GCM under a separate key encrypts and authenticates it. A nonce only repeats for
 * the same token, so GCM's nonce-reuse weakness does not apply. Both keys are derived once from
 * each {@code DB_SECRET} with HKDF-SHA256.
 *
 * <p>Format (base64url, no padding): {@code version(1) | nonce(12) | ciphertext | tag(16)}; a
 * {@value AccessTokens#PREFIX} token of 46 characters gives 100 characters, within Stripe's
 * 200-character limit of {@code [A-Za-z0-9_-]}. The first secret encrypts; every secret is tried
 * when decrypting, so a secret can be rotated while ids made under the old one still work.
 *
 * <p>Thread-safe.
 */
final class ReferenceCipher {
    static final int MAX_REFERENCE_LENGTH = 200;
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] AAD = {VERSION};

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final List<KeyPair> keys;
    private final ThreadLocal<Mac> hmac = ThreadLocal.withInitial(() -> Crypto.instance(() -> Mac.getInstance("HmacSHA256")));
    private final ThreadLocal<Cipher> gcm = ThreadLocal.withInitial(() -> Crypto.instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));

    /** @param secrets the DB_SECRETs, newest (encrypting) first; each at least 32 characters */
    ReferenceCipher(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        List<KeyPair> derived = new ArrayList<>();
        for (String secret : secrets) {
            derived.add(KeyPair.derive(secret));
        }
        this.keys = List.copyOf(derived);
    }

    /** The reference for {@code token}, under the first secret. */
    String encrypt(String token) {
        byte[] plaintext = token.getBytes(StandardCharsets.UTF_8);
        KeyPair key = keys.get(0);
        try {
            Mac mac = hmac.get();
            mac.init(key.nonceKey());
            byte[] nonce = Arrays.copyOf(mac.doFinal(plaintext), NONCE_BYTES);
            // A fresh Cipher: the JDK refuses to re-encrypt under the same key and nonce on one
            // instance, which is exactly what deterministic encryption of the same token does.
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.encryptionKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return ENCODER.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and HmacSHA256 are required on every Java platform", e);
        }
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
        if (raw.length < 1 + NONCE_BYTES + TAG_BITS / 8 || raw[0] != VERSION) {
            return Optional.empty();
        }
        for (KeyPair key : keys) {
            Optional<String> token = open(key, raw);
            if (token.isPresent()) {
                return token;
            }
        }
        return Optional.empty();
    }

    private Optional<String> open(KeyPair key, byte[] raw) {
        try {
            Cipher cipher = gcm.get();
            cipher.init(Cipher.DECRYPT_MODE, key.encryptionKey(),
                    new GCMParameterSpec(TAG_BITS, raw, 1, NONCE_BYTES));
            cipher.updateAAD(AAD);
            byte[] plaintext = cipher.doFinal(raw, 1 + NONCE_BYTES, raw.length - 1 - NONCE_BYTES);
            return Optional.of(new String(plaintext, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException wrongKeyOrTampered) {
            return Optional.empty();
        }
    }

    private record KeyPair(SecretKeySpec nonceKey, SecretKeySpec encryptionKey) {
        static KeyPair derive(String secret) {
            byte[] ikm = secret.getBytes(StandardCharsets.UTF_8);
            byte[] prk = Crypto.hkdfExtract("stripeflare client_reference_id".getBytes(StandardCharsets.UTF_8), ikm);
            return new KeyPair(
                    new SecretKeySpec(Crypto.hkdfExpand(prk, "v1 nonce key", 32), "HmacSHA256"),
                    new SecretKeySpec(Crypto.hkdfExpand(prk, "v1 encryption key", 32), "AES"));
        }

        @Override
        public String toString() {
            return "KeyPair[<redacted>]";
        }
    }
}
