package dev.stripeflare.store.postgres;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.UserRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 *   <li>the payer's card and verified email are recorded on the account only when vouched for
 *       (no checkout, found by that identity, or the paying browser returned first); otherwise
 *       they wait with the checkout for its claim ({@link Claims});</li>
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
    private final PayerIdentities identities;
    private final String createAccount;
    private final String updateContact;

    Credits(Sql sql, Transactions tx, Accounts accounts, Balances balances, Operations operations,
            PaymentRows payments, CheckoutRows checkouts, TokenRows tokens, PayerIdentities identities) {
        this.tx = tx;
        this.accounts = accounts;
        this.balances = balances;
        this.operations = operations;
        this.payments = payments;
        this.checkouts = checkouts;
        this.tokens = tokens;
        this.identities = identities;
        createAccount = sql.of("INSERT INTO @accounts (name, email, created_at) VALUES (:name, :email, :at)"
                + " RETURNING user_id");
        updateContact = sql.of("UPDATE @accounts SET name = coalesce(:name, name), email = coalesce(:email, email)"
                + " WHERE user_id = :id");
    }

    /**
     * Opens an account for a visitor's token hash (ADR 33 addendum): the hash's row decides — live:
     * its account; revoked: nothing, ever; none: a new empty account the hash opens. Two openings
     * (or an opening and a credit) of one new hash at once both insert the hash's row; the loser's
     * unique violation reruns it, and the rerun finds the winner's account.
     */
    dev.stripeflare.spi.OpenedAccount open(String tokenHash, java.time.Instant at) {
        return tx.inTransaction("opening an account", true, h -> {
            Optional<TokenRows.Token> token = tokens.find(h, tokenHash);
            if (token.isPresent()) {
                return token.get().revoked()
                        ? new dev.stripeflare.spi.OpenedAccount(dev.stripeflare.spi.OpenedAccount.Status.REVOKED, 0)
                        : new dev.stripeflare.spi.OpenedAccount(dev.stripeflare.spi.OpenedAccount.Status.EXISTING,
                                token.get().userId());
            }
            long userId = h.createQuery(createAccount).bind("name", (String) null).bind("email", (String) null)
                    .bind("at", at).mapTo(Long.class).one();
            tokens.attach(h, tokenHash, userId);
            return new dev.stripeflare.spi.OpenedAccount(dev.stripeflare.spi.OpenedAccount.Status.CREATED, userId);
        });
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
                ? null : payments.lock(h, credit.paymentReference(), credit.at());
        CheckoutRows.Checkout checkout = credit.checkoutId() == null
                ? null : checkouts.lock(h, credit.checkoutId(), credit.at());
        PaymentProfile profile = credit.profile();
        identities.lock(h, profile.verifiedEmail(), profile.cardFingerprint());

        String tokenHash = credit.tokenHash();
        Optional<TokenRows.Token> token = tokens.find(h, tokenHash);
        boolean revoked = token.isPresent() && token.get().revoked();
        // The browser holding the paying token claimed this checkout before the webhook came.
        boolean returnedFirst = !revoked && checkout != null && checkout.hasPendingClaimBy(tokenHash, credit.at());
        long userId;
        CreditResult.Account how;
        if (token.isPresent() && !revoked) {
            userId = token.get().userId();
            how = CreditResult.Account.EXISTING;
            lockOrRerun(h, userId);
        } else if (revoked && accounts.lock(h, token.get().userId()).isPresent()) {
            userId = token.get().userId();
            how = CreditResult.Account.REVOKED_TOKEN;
            returnedFirst = false;
        } else {
            Optional<UserRecord> identified = identify(h, profile);
            if (identified.isPresent()) {
                userId = identified.get().userId();
                how = returnedFirst ? CreditResult.Account.LINKED : CreditResult.Account.IDENTIFIED;
                lockOrRerun(h, userId);
            } else {
                userId = create(h, credit);
                how = CreditResult.Account.CREATED;
            }
        }
        boolean vouched = vouched(credit, how, returnedFirst);
        if (how != CreditResult.Account.CREATED) {
            h.createUpdate(updateContact).bind("name", profile.name()).bind("email", profile.email())
                    .bind("id", userId).execute();
        }
        if (vouched) {
            identities.record(h, userId, profile.verifiedEmail(), profile.cardFingerprint());
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
                    vouched && how != CreditResult.Account.IDENTIFIED, vouched ? null : profile);
        }
        if (how == CreditResult.Account.LINKED || (how == CreditResult.Account.CREATED && !revoked)) {
            tokens.attach(h, tokenHash, userId);
        }
        return new CreditResult(CreditResult.Status.APPLIED, userId, balance, how);
    }

    /**
     * Whether the payer's verified email and card may be recorded on the account now: the credit
     * names no checkout (its caller vouches), the account was found by that identity, or the
     * paying browser already claimed the checkout. Otherwise a stranger's payment link could tie
     * the payer's card to the stranger's account; the identity then waits with the checkout.
     */
    private static boolean vouched(PaymentCredit credit, CreditResult.Account how, boolean returnedFirst) {
        return credit.checkoutId() == null || returnedFirst
                || how == CreditResult.Account.IDENTIFIED || how == CreditResult.Account.LINKED;
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

    private void lockOrRerun(Handle h, long userId) {
        if (accounts.lock(h, userId).isEmpty()) {
            throw new Transactions.Conflict("account " + userId + " was deleted meanwhile");
        }
    }

    private long create(Handle h, PaymentCredit credit) {
        PaymentProfile p = credit.profile();
        // The payer's identity is recorded afterwards, and only when vouched for.
        return h.createQuery(createAccount).bind("name", p.name()).bind("email", p.email())
                .bind("at", credit.at())
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
