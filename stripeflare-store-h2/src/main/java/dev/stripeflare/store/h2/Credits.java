package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Money in: one transaction that chooses the account, creates it if needed, credits it, records
 * the operation id, the payment and the checkout, and applies the payment's deferred reversals.
 *
 * <p>Locks, always in this order: the payment's PAYMENTS row, the checkout's CHECKOUT_CLAIMS
 * row, the IDENTITIES rows of the payer's verified email and card (only when the token opens
 * nothing), then the account's row (the balance UPDATE; a token is attached only after it).
 * Reversals and restorations take the PAYMENTS row first too, claims the CHECKOUT_CLAIMS row,
 * so every pair that must not interleave conflicts on one row; see ADR.md.
 */
final class Credits {

    /**
     * Thrown inside a credit's transaction when it must create an account whose schema was not
     * made beforehand; the caller makes the schema (DDL commits on its own) and reruns.
     */
    static final class SchemaNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchemaNeeded() {
            super(null, null, false, false);
        }
    }

    /**
     * The account chosen for a credit, how, whether the paying token is attached to it, and
     * whether the token's browser had claimed the checkout before this credit.
     */
    private record Choice(long userId, CreditResult.Account how, boolean attachToken, boolean returnedFirst) {
    }

    private Credits() {
    }

    /**
     * Applies the credit. {@code newUserId} is the id to give a created account (its schema
     * already made), or empty to draw one from the sequence when accounts have no schema.
     */
    static CreditResult credit(Handle h, PaymentCredit c, OptionalLong newUserId, boolean schemaNeeded) {
        Optional<Operations.Recorded> applied = Operations.find(h, c.operationId());
        if (applied.isPresent()) {
            return duplicate(h, c, applied.get());
        }
        Payments.Payment payment = c.paymentReference() == null ? null : Payments.lock(h, c.paymentReference(), c.at());
        Optional<Checkouts.Checkout> checkout = c.checkoutId() == null ? Optional.empty()
                : Checkouts.lock(h, c.checkoutId());
        Choice choice = choose(h, c, checkout, newUserId, schemaNeeded);
        long userId = choice.userId();
        CreditResult.Account how = choice.how();
        // The payer's card and verified email go on the account only when vouched for (see
        // UserStore#credit): else a stranger's link would tie the payer to the stranger's account.
        boolean vouched = c.checkoutId() == null || choice.returnedFirst()
                || how == CreditResult.Account.IDENTIFIED || how == CreditResult.Account.LINKED;
        if (vouched && (how == CreditResult.Account.EXISTING || how == CreditResult.Account.REVOKED_TOKEN)) {
            Identities.lock(h, c.profile()); // identified and created accounts had them locked to be chosen
        }
        // Everything that can collide with a concurrent transaction (the operation id, a new
        // account's token) is written before the account's row: H2's file store was seen to lose
        // a concurrent committed balance change when a transaction that had updated the row
        // rolled back (see ADR.md), so the balance UPDATE comes as late as possible.
        Operations.record(h, c.operationId(), "CREDIT", userId, null, c.at());
        long balance = h.createQuery("SELECT BALANCE FROM FINAL TABLE (UPDATE ACCOUNTS SET BALANCE = BALANCE + ?,"
                        + " NAME = COALESCE(?, NAME), EMAIL = COALESCE(?, EMAIL),"
                        + " VERIFIED_EMAIL = COALESCE(VERIFIED_EMAIL, ?),"
                        + " CARD_FINGERPRINT = COALESCE(CARD_FINGERPRINT, ?) WHERE USER_ID = ?)")
                .bind(0, c.amountCents()).bind(1, c.profile().name()).bind(2, c.profile().email())
                .bind(3, vouched ? c.profile().verifiedEmail() : null)
                .bind(4, vouched ? c.profile().cardFingerprint() : null).bind(5, userId)
                .mapTo(Long.class).findOne()
                // chosen from a read without a lock, then deleted before the UPDATE locked it
                .orElseThrow(Sql.RaceLost::new);
        if (choice.attachToken() && how != CreditResult.Account.CREATED) {
            Accounts.attachToken(h, c.tokenHash(), userId); // after the UPDATE locked the account
        }
        Balances.appendLedger(h, userId, c.amountCents(), balance, LedgerEntryKind.PAYMENT, c.operationId(),
                c.memo(), c.at());
        if (payment != null) {
            Payments.Payment credited = Payments.credited(h, payment, userId, c.amountCents());
            if (credited.userId() == userId) {
                balance = Reversals.applyDeferred(h, credited, balance);
            }
        }
        if (c.checkoutId() != null) {
            boolean claimed = vouched && how != CreditResult.Account.IDENTIFIED;
            Checkouts.recordCredit(h, c.checkoutId(), checkout.isPresent(), userId, c.tokenHash(),
                    c.claimableUntil(), claimed, vouched ? null : c.profile(), c.at());
        }
        return new CreditResult(CreditResult.Status.APPLIED, userId, balance, how);
    }

    private static Choice choose(Handle h, PaymentCredit c, Optional<Checkouts.Checkout> checkout,
                                 OptionalLong newUserId, boolean schemaNeeded) {
        // TOKENS before REVOKED_TOKENS: a rotation or deletion moves a hash from the first to the
        // second in one commit, so reading in this order sees it in one of them at least.
        Optional<Long> owner = Accounts.ofToken(h, c.tokenHash());
        Optional<Long> revokedOwner = Accounts.ofRevokedToken(h, c.tokenHash());
        boolean revoked = revokedOwner.isPresent();
        boolean returnedFirst = !revoked
                && checkout.map(k -> k.hasPendingClaimBy(c.tokenHash(), c.at())).orElse(false);
        if (owner.isPresent()) {
            return new Choice(owner.get(), CreditResult.Account.EXISTING, false, returnedFirst);
        }
        if (revoked && Accounts.exists(h, revokedOwner.get())) {
            return new Choice(revokedOwner.get(), CreditResult.Account.REVOKED_TOKEN, false, false);
        }
        Identities.lock(h, c.profile());
        OptionalLong identified = identify(h, c.profile());
        if (identified.isPresent()) {
            return new Choice(identified.getAsLong(),
                    returnedFirst ? CreditResult.Account.LINKED : CreditResult.Account.IDENTIFIED, returnedFirst,
                    returnedFirst);
        }
        if (schemaNeeded && newUserId.isEmpty()) {
            throw new SchemaNeeded();
        }
        long userId = newUserId.isPresent() ? newUserId.getAsLong() : nextUserId(h);
        h.createUpdate("INSERT INTO ACCOUNTS (USER_ID, BALANCE, CREATED_AT) VALUES (?, 0, ?)")
                .bind(0, userId).bind(1, Sql.toDb(c.at())).execute();
        if (!revoked) {
            Accounts.attachToken(h, c.tokenHash(), userId); // the new row is this transaction's alone
        }
        return new Choice(userId, CreditResult.Account.CREATED, !revoked, returnedFirst);
    }

    /** The oldest account with the profile's verified email, else with its card; read after locking both. */
    private static OptionalLong identify(Handle h, PaymentProfile profile) {
        if (profile.verifiedEmail() != null) {
            Optional<Long> byEmail = h.createQuery("SELECT USER_ID FROM ACCOUNTS WHERE VERIFIED_EMAIL_LC = ?"
                            + " ORDER BY CREATED_AT, USER_ID FETCH FIRST ROW ONLY")
                    .bind(0, profile.verifiedEmail().toLowerCase(Locale.ROOT)).mapTo(Long.class).findOne();
            if (byEmail.isPresent()) {
                return OptionalLong.of(byEmail.get());
            }
        }
        if (profile.cardFingerprint() != null) {
            Optional<Long> byCard = h.createQuery("SELECT USER_ID FROM ACCOUNTS WHERE CARD_FINGERPRINT = ?"
                            + " ORDER BY CREATED_AT, USER_ID FETCH FIRST ROW ONLY")
                    .bind(0, profile.cardFingerprint()).mapTo(Long.class).findOne();
            if (byCard.isPresent()) {
                return OptionalLong.of(byCard.get());
            }
        }
        return OptionalLong.empty();
    }

    private static CreditResult duplicate(Handle h, PaymentCredit c, Operations.Recorded applied) {
        // A settled or deferred id names no account: report the token's, if it has one.
        long userId = applied.userId().isPresent() ? applied.userId().getAsLong()
                : Accounts.ofToken(h, c.tokenHash()).orElse(0L);
        return new CreditResult(CreditResult.Status.DUPLICATE, userId, Accounts.balanceOf(h, userId),
                CreditResult.Account.EXISTING);
    }

    /** Whether this credit, run now, would create an account (so its schema must exist first). */
    static boolean wouldCreate(Handle h, PaymentCredit c) {
        if (Operations.find(h, c.operationId()).isPresent() || Accounts.ofToken(h, c.tokenHash()).isPresent()) {
            return false;
        }
        Optional<Long> revokedOwner = Accounts.ofRevokedToken(h, c.tokenHash());
        if (revokedOwner.isPresent() && Accounts.exists(h, revokedOwner.get())) {
            return false;
        }
        return identify(h, c.profile()).isEmpty();
    }

    /**
     * Opens an account for a visitor's token hash (ADR 33 addendum): live hash → its account;
     * revoked hash → nothing, ever; else a new empty account the hash opens, under
     * {@code newUserId} (drawn from the sequence when empty). With {@code newUserId} of -1 it only
     * looks: null when an account would be created. A concurrent opening or credit of the same new
     * hash collides on TOKENS' key; the pool reruns the loser, which then finds the winner's account.
     */
    static dev.stripeflare.spi.OpenedAccount open(Handle h, String tokenHash, Instant at, OptionalLong newUserId) {
        // TOKENS before REVOKED_TOKENS, as in choose().
        Optional<Long> owner = Accounts.ofToken(h, tokenHash);
        if (owner.isPresent()) {
            return new dev.stripeflare.spi.OpenedAccount(dev.stripeflare.spi.OpenedAccount.Status.EXISTING, owner.get());
        }
        if (Accounts.isRevoked(h, tokenHash)) {
            return new dev.stripeflare.spi.OpenedAccount(dev.stripeflare.spi.OpenedAccount.Status.REVOKED, 0);
        }
        if (newUserId.isPresent() && newUserId.getAsLong() == -1) {
            return null;
        }
        long userId = newUserId.isPresent() ? newUserId.getAsLong() : nextUserId(h);
        h.createUpdate("INSERT INTO ACCOUNTS (USER_ID, BALANCE, CREATED_AT) VALUES (?, 0, ?)")
                .bind(0, userId).bind(1, Sql.toDb(at)).execute();
        Accounts.attachToken(h, tokenHash, userId); // the new row is this transaction's alone
        return new dev.stripeflare.spi.OpenedAccount(dev.stripeflare.spi.OpenedAccount.Status.CREATED, userId);
    }

    static long nextUserId(Handle h) {
        return h.createQuery("SELECT NEXT VALUE FOR USER_IDS").mapTo(Long.class).one();
    }

    static boolean recordSettled(Handle h, String operationId, String reason, Instant at) {
        if (Operations.find(h, operationId).isPresent()) {
            return false;
        }
        Operations.record(h, operationId, "SETTLED", null, reason, at);
        return true;
    }
}
