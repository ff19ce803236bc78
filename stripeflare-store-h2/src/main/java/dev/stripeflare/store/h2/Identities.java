package dev.stripeflare.store.h2;

import dev.stripeflare.spi.PaymentProfile;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * Row locks on verified emails and card fingerprints. A credit that identifies the payer by
 * them locks their IDENTITIES rows (making them if missing) before it looks for the account and,
 * finding none, creates one; a second first payment with the same email or card waits on that
 * lock (or collides on the primary key and is rerun), then finds the account the first created.
 * Emails before cards, so two credits never wait on each other in a cycle.
 */
final class Identities {

    private Identities() {
    }

    /** Locks (making if missing) the rows of the profile's verified email and card, if it has them. */
    static void lock(Handle h, PaymentProfile profile) {
        if (profile.verifiedEmail() != null) {
            lock(h, "EMAIL", profile.verifiedEmail().toLowerCase(Locale.ROOT));
        }
        if (profile.cardFingerprint() != null) {
            lock(h, "CARD", profile.cardFingerprint());
        }
    }

    /**
     * Records the payer's verified email and card on the account where it has none, holding
     * their rows' locks so that no credit identifying by them interleaves; the caller holds the
     * locks taken before (PAYMENTS, CHECKOUT_CLAIMS) in the usual order.
     */
    static void record(Handle h, long userId, PaymentProfile profile) {
        if (profile.verifiedEmail() == null && profile.cardFingerprint() == null) {
            return;
        }
        lock(h, profile);
        h.execute("UPDATE ACCOUNTS SET VERIFIED_EMAIL = COALESCE(VERIFIED_EMAIL, ?),"
                        + " CARD_FINGERPRINT = COALESCE(CARD_FINGERPRINT, ?) WHERE USER_ID = ?",
                profile.verifiedEmail(), profile.cardFingerprint(), userId);
    }

    private static void lock(Handle h, String kind, String value) {
        boolean exists = h.createQuery("SELECT 1 FROM IDENTITIES WHERE KIND = ? AND VAL = ? FOR UPDATE")
                .bind(0, kind).bind(1, value).mapTo(Integer.class).findOne().isPresent();
        if (!exists) {
            h.execute("INSERT INTO IDENTITIES (KIND, VAL) VALUES (?, ?)", kind, value);
        }
    }
}
