package dev.stripeflare.store.postgres;

import java.util.Locale;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The payer identity rows (one per card fingerprint, one per lower-cased verified email) that
 * every step deciding or recording who a payer is locks first, in sorted order: two first
 * payments with one card on two instances, or a credit and a claim recording that card, run one
 * after the other. Also records an identity on an account where it has none. Stateless apart
 * from its SQL.
 */
final class PayerIdentities {

    private final String insert;
    private final String lock;
    private final String record;

    PayerIdentities(Sql sql) {
        insert = sql.of("INSERT INTO @payer_identities (identity) VALUES (:id) ON CONFLICT DO NOTHING");
        lock = sql.of("SELECT identity FROM @payer_identities WHERE identity = :id FOR UPDATE");
        record = sql.of("UPDATE @accounts SET verified_email = coalesce(verified_email, :verified),"
                + " card_fingerprint = coalesce(card_fingerprint, :card) WHERE user_id = :id");
    }

    /** Locks the rows of this verified email and card (either may be null) until the transaction ends. */
    void lock(Handle h, String verifiedEmail, String cardFingerprint) {
        TreeSet<String> identities = new TreeSet<>();
        if (verifiedEmail != null) {
            identities.add("email:" + verifiedEmail.toLowerCase(Locale.ROOT));
        }
        if (cardFingerprint != null) {
            identities.add("card:" + cardFingerprint);
        }
        for (String identity : identities) {
            h.createUpdate(insert).bind("id", identity).execute();
            h.createQuery(lock).bind("id", identity).mapTo(String.class).findOne()
                    .orElseThrow(() -> new Transactions.Conflict("identity row vanished"));
        }
    }

    /** Sets the account's verified email and card where it has none; hold the identity locks. */
    void record(Handle h, long userId, String verifiedEmail, String cardFingerprint) {
        if (verifiedEmail != null || cardFingerprint != null) {
            h.createUpdate(record).bind("verified", verifiedEmail).bind("card", cardFingerprint).bind("id", userId)
                    .execute();
        }
    }
}
