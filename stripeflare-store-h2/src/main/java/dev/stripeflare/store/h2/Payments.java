package dev.stripeflare.store.h2;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The PAYMENTS row of one payment reference (a PaymentIntent id): the row that every credit,
 * reversal and restoration of that payment locks before anything else, so that they run one
 * after the other and each sees what the others committed. A reversal that arrives before its
 * credit creates the row (no account yet); two transactions creating it at once collide on the
 * primary key and the loser is rerun, then waits on the winner's lock.
 */
final class Payments {

    /**
     * A payment as locked.
     *
     * @param userId   the account credited, or null while not credited
     * @param credited the cents credited; null while not credited, or when credited before store
     *                 schema 2 (amount unknown)
     * @param reversed the cents its reversals took, less what restorations gave back
     */
    record Payment(String reference, Long userId, Long credited, long reversed) {

        boolean isCredited() {
            return userId != null;
        }
    }

    private Payments() {
    }

    /** Locks the payment's row, creating it (not credited) if there is none. */
    static Payment lock(Handle h, String reference, java.time.Instant at) {
        Optional<Payment> locked = lockExisting(h, reference);
        if (locked.isPresent()) {
            return locked.get();
        }
        // AT: when the payment was first seen, for the payment retention (ADR 30).
        h.execute("INSERT INTO PAYMENTS (PAYMENT_REF, REVERSED, AT) VALUES (?, 0, ?)", reference, Sql.toDb(at));
        return new Payment(reference, null, null, 0);
    }

    /** Locks the payment's row if it exists. */
    static Optional<Payment> lockExisting(Handle h, String reference) {
        return h.createQuery("SELECT USER_ID, CREDITED, REVERSED FROM PAYMENTS WHERE PAYMENT_REF = ? FOR UPDATE")
                .bind(0, reference)
                .map((rs, ctx) -> new Payment(reference, rs.getObject(1, Long.class), rs.getObject(2, Long.class),
                        rs.getLong(3)))
                .findOne();
    }

    /** Records a credit of {@code cents} to {@code userId} on the locked payment. */
    static Payment credited(Handle h, Payment payment, long userId, long cents) {
        long credited = Math.addExact(payment.credited() == null ? 0 : payment.credited(), cents);
        Long owner = payment.userId() != null ? payment.userId() : userId;
        h.execute("UPDATE PAYMENTS SET USER_ID = ?, CREDITED = ? WHERE PAYMENT_REF = ?",
                owner, credited, payment.reference());
        return new Payment(payment.reference(), owner, credited, payment.reversed());
    }

    /** Adds {@code cents} (either sign) to what the locked payment's reversals took. */
    static Payment reversedBy(Handle h, Payment payment, long cents) {
        long reversed = Math.addExact(payment.reversed(), cents);
        h.execute("UPDATE PAYMENTS SET REVERSED = ? WHERE PAYMENT_REF = ?", reversed, payment.reference());
        return new Payment(payment.reference(), payment.userId(), payment.credited(), reversed);
    }
}
