package dev.stripeflare.store.postgres;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.UserRecord;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Credits, as one transaction that chooses, creates and credits the account. Locks are taken
 * in one order — the operation id, the payment row, the checkout row, the payer identity rows
 * (card fingerprint, verified email), then the account row — so steps on different instances
 * that touch the same things queue instead of interleaving:
 * <ul>
 *   <li>the same credit delivered twice at once: the second waits on the operation id's unique
 *       index and answers {@code DUPLICATE};</li>
 *   <li>two first payments with the same card or verified email: the second waits on the
 *       identity row, then (READ COMMITTED: each statement sees what committed before it)
 *       finds the account the first created;</li>
 *   <li>a refund racing its credit: both lock the payment row, so the refund is either applied
 *       after the credit or deferred and applied by it;</li>
 *   <li>the account deleted, or the token attached elsewhere, between reading and locking: the
 *       step reruns ({@link Transactions.Conflict}, unique violation).</li>
 * </ul>
 * Stateless apart from its SQL.
 */
final class Credits {

    private final Transactions tx;
    private final Accounts accounts;
    private final Balances balances;
    private final Operations operations;
    private final PaymentRows payments;
    private final CheckoutRows checkouts;
    private final TokenRows tokens;
    private final String lockIdentity;
    private final String insertIdentity;
    private final String createAccount;
    private final String updateProfile;

    Credits(Sql sql, Transactions tx, Accounts accounts, Balances balances, Operations operations,
            PaymentRows payments, CheckoutRows checkouts, TokenRows tokens) {
        this.tx = tx;
        this.accounts = accounts;
        this.balances = balances;
        this.operations = operations;
        this.payments = payments;
        this.checkouts = checkouts;
        this.tokens = tokens;
        insertIdentity = sql.of("INSERT INTO @payer_identities (identity) VALUES (:id) ON CONFLICT DO NOTHING");
        lockIdentity = sql.of("SELECT identity FROM @payer_identities WHERE identity = :id FOR UPDATE");
        createAccount = sql.of("INSERT INTO @accounts (name, email, verified_email, card_fingerprint, created_at)"
                + " VALUES (:name, :email, :verified, :card, :at) RETURNING user_id");
        updateProfile = sql.of("UPDATE @accounts SET name = coalesce(:name, name), email = coalesce(:email, email),"
                + " verified_email = coalesce(verified_email, :verified),"
                + " card_fingerprint = coalesce(card_fingerprint, :card) WHERE user_id = :id");
    }

    CreditResult credit(PaymentCredit credit) {
        return tx.inTransaction("crediting " + credit.operationId(), true, h -> apply(h, credit));
    }

    private CreditResult apply(Handle h, PaymentCredit credit) {
        if (!operations.claim(h, credit.operationId(), Operations.Kind.CREDIT, credit.paymentReference(),
                null, null, credit.at())) {
            CreditResult duplicate = duplicate(h, credit);
            h.rollback();
            return duplicate;
        }
        PaymentRows.Payment payment = credit.paymentReference() == null
                ? null : payments.lock(h, credit.paymentReference());
        CheckoutRows.Checkout checkout = credit.checkoutId() == null
                ? null : checkouts.lock(h, credit.checkoutId());
        lockIdentities(h, credit.profile());

        String tokenHash = credit.tokenHash();
        Optional<TokenRows.Token> token = tokens.find(h, tokenHash);
        boolean revoked = token.isPresent() && token.get().revoked();
        long userId;
        CreditResult.Account how;
        if (token.isPresent() && !revoked) {
            userId = token.get().userId();
            how = CreditResult.Account.EXISTING;
            lockOrRerun(h, userId);
        } else if (revoked && accounts.lock(h, token.get().userId()).isPresent()) {
            userId = token.get().userId();
            how = CreditResult.Account.REVOKED_TOKEN;
        } else {
            Optional<UserRecord> identified = identify(h, credit.profile());
            if (identified.isPresent()) {
                userId = identified.get().userId();
                boolean claimed = checkout != null && token.isEmpty()
                        && checkout.hasPendingClaimBy(tokenHash, credit.at());
                how = claimed ? CreditResult.Account.LINKED : CreditResult.Account.IDENTIFIED;
                lockOrRerun(h, userId);
            } else {
                userId = create(h, credit);
                how = CreditResult.Account.CREATED;
            }
        }
        if (how != CreditResult.Account.CREATED) {
            PaymentProfile p = credit.profile();
            h.createUpdate(updateProfile).bind("name", p.name()).bind("email", p.email())
                    .bind("verified", p.verifiedEmail()).bind("card", p.cardFingerprint()).bind("id", userId).execute();
        }
        long balance = balances.move(h, userId, credit.amountCents(), LedgerEntryKind.PAYMENT,
                credit.operationId(), credit.memo(), credit.at())
                .orElseThrow(() -> new Transactions.Conflict("account vanished while locked"));
        if (payment != null) {
            balance = applyPayment(h, payment, userId, credit, balance);
        }
        operations.update(h, credit.operationId(), Operations.Kind.CREDIT, OptionalLong.of(userId), 0);
        if (checkout != null) {
            checkouts.recordCredit(h, checkout.checkoutId(), userId, tokenHash, credit.claimableUntil(),
                    how == CreditResult.Account.LINKED);
        }
        if (how == CreditResult.Account.LINKED || (how == CreditResult.Account.CREATED && !revoked)) {
            tokens.attach(h, tokenHash, userId);
        }
        return new CreditResult(CreditResult.Status.APPLIED, userId, balance, how);
    }

    /**
     * Adds the credit to its payment's totals and applies the payment's deferred reversals,
     * capped at what the payment credited less what was taken back; the balance after.
     */
    private long applyPayment(Handle h, PaymentRows.Payment payment, long userId, PaymentCredit credit,
                              long balance) {
        long credited;
        try {
            credited = Math.addExact(payment.creditedCents(), credit.amountCents());
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("the payment's credited total overflows a long");
        }
        long reversed = payment.reversedCents();
        long remaining = Math.max(0, credited - reversed);
        List<PaymentReversal> deferred = payments.deferred(h, payment.reference());
        for (PaymentReversal reversal : deferred) {
            long taken = Math.min(reversal.requestedCents(credited), remaining);
            remaining -= taken;
            reversed += taken;
            if (taken > 0) {
                balance = balances.move(h, userId, -taken, reversal.kind(), reversal.operationId(),
                        reversal.memo(), reversal.at()).orElseThrow();
            }
            operations.update(h, reversal.operationId(), Operations.Kind.REVERSAL, OptionalLong.of(userId), taken);
        }
        if (!deferred.isEmpty()) {
            payments.dropDeferred(h, payment.reference());
        }
        long owner = payment.credited() ? payment.userId() : userId;
        payments.update(h, new PaymentRows.Payment(payment.reference(), owner, credited, reversed));
        return balance;
    }

    /** The payer's account: the oldest with the profile's verified email, else with its card. */
    private Optional<UserRecord> identify(Handle h, PaymentProfile profile) {
        if (profile.verifiedEmail() != null) {
            Optional<UserRecord> byEmail = accounts.oldestByVerifiedEmail(h, profile.verifiedEmail());
            if (byEmail.isPresent()) {
                return byEmail;
            }
        }
        return profile.cardFingerprint() == null
                ? Optional.empty() : accounts.oldestByCard(h, profile.cardFingerprint());
    }

    /**
     * Locks the identity rows of the profile's verified email and card, in a fixed order, so two
     * credits that could identify or create the same payer's account run one after the other.
     */
    private void lockIdentities(Handle h, PaymentProfile profile) {
        TreeSet<String> identities = new TreeSet<>();
        if (profile.verifiedEmail() != null) {
            identities.add("email:" + profile.verifiedEmail().toLowerCase(Locale.ROOT));
        }
        if (profile.cardFingerprint() != null) {
            identities.add("card:" + profile.cardFingerprint());
        }
        for (String identity : identities) {
            h.createUpdate(insertIdentity).bind("id", identity).execute();
            h.createQuery(lockIdentity).bind("id", identity).mapTo(String.class).findOne()
                    .orElseThrow(() -> new Transactions.Conflict("identity row vanished"));
        }
    }

    private void lockOrRerun(Handle h, long userId) {
        if (accounts.lock(h, userId).isEmpty()) {
            throw new Transactions.Conflict("account " + userId + " was deleted meanwhile");
        }
    }

    private long create(Handle h, PaymentCredit credit) {
        PaymentProfile p = credit.profile();
        return h.createQuery(createAccount).bind("name", p.name()).bind("email", p.email())
                .bind("verified", p.verifiedEmail()).bind("card", p.cardFingerprint()).bind("at", credit.at())
                .mapTo(Long.class).one();
    }

    private CreditResult duplicate(Handle h, PaymentCredit credit) {
        Operations.Applied prior = operations.find(h, credit.operationId())
                .orElseThrow(() -> new Transactions.Conflict("operation id vanished"));
        long userId;
        long balance;
        if (prior.userId().isPresent()) {
            userId = prior.userId().getAsLong();
            balance = accounts.balanceOrZero(h, userId);
        } else {
            // A settled, deferred or cancelled id names no account: report the token's, if any.
            Optional<UserRecord> account = accounts.byTokenHash(h, credit.tokenHash());
            userId = account.map(UserRecord::userId).orElse(0L);
            balance = account.map(UserRecord::balanceCents).orElse(0L);
        }
        return new CreditResult(CreditResult.Status.DUPLICATE, userId, balance, CreditResult.Account.EXISTING);
    }
}
