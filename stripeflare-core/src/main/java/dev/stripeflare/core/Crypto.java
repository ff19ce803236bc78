package dev.stripeflare.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) and the plumbing for JCA instances every platform must have. */
final class Crypto {
    private Crypto() {
    }

    interface JcaFactory<T> {
        T create() throws GeneralSecurityException;
    }

    static <T> T instance(JcaFactory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a mandatory JCA algorithm is missing", e);
        }
    }

    static byte[] hkdfExtract(byte[] salt, byte[] inputKeyMaterial) {
        return hmac(salt, inputKeyMaterial);
    }

    static byte[] hkdfExpand(byte[] pseudoRandomKey, String info, int length) {
        byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        byte[] block = new byte[0];
        int filled = 0;
        for (byte counter = 1; filled < length; counter++) {
            byte[] input = new byte[block.length + infoBytes.length + 1];
            System.arraycopy(block, 0, input, 0, block.length);
            System.arraycopy(infoBytes, 0, input, block.length, infoBytes.length);
            input[input.length - 1] = counter;
            block = hmac(pseudoRandomKey, input);
            int take = Math.min(block.length, length - filled);
            System.arraycopy(block, 0, out, filled, take);
            filled += take;
        }
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        Mac mac = instance(() -> Mac.getInstance("HmacSHA256"));
        try {
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : Arrays.copyOf(key, key.length), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 rejected a key", e);
        }
        return mac.doFinal(data);
    }
}
