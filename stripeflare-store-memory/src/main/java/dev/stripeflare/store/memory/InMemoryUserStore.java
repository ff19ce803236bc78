package dev.stripeflare.store.memory;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Grant;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.OpenedAccount;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.Reservation;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link UserStore} kept in this JVM's heap: for tests, examples and single-process
 * applications that can afford to lose every balance on restart.
 *
 * <p><b>Thread safety.</b> Safe for concurrent use. A charge locks only the account it debits,
 * so charges to different accounts run in parallel; credits, reversals, settlements, token
 * rotation, deletion and checkout claims are serialised by one store-wide write lock (they are rare) and also
 * lock the account they change, so they stay atomic against concurrent charges. Reads by token
 * hash or id lock only the account read.
 *
 * <p><b>Atomicity.</b> Every mutating method validates and computes everything before it
 * changes anything: if it throws, it changed nothing. Each balance change appends its ledger
 * entry under the same account lock.
 *
 * <p><b>Memory.</b> Idempotency keys, operation ids, payments and checkouts are kept until
 * {@link #maintain} prunes them (the wallet calls it); ledgers grow until
 * {@link #archiveBefore} rolls them up. Balances are lost on restart.
 *
 * <p>After {@link #close()}, every method throws {@link StoreException}; closing twice is
 * harmless.
 */
public final class InMemoryUserStore implements UserStore {

    // Read without the write lock (charges, lookups); written only under it, and for an
    // account's own hashes also under that account's lock.
    private final ConcurrentHashMap<String, Account> accountsByTokenHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Account> accountsById = new ConcurrentHashMap<>();

    // Package-private so that tests can hold it and show that charges never wait for it.
    final Object writeLock = new Object();
    // Everything below is guarded by writeLock.
    private final Map<Long, Set<String>> tokenHashesByUserId = new HashMap<>();
    private final OldestAccountIndex byCardFingerprint =
            new OldestAccountIndex(Account::cardFingerprint, false);
    private final OldestAccountIndex byVerifiedEmail =
            new OldestAccountIndex(Account::verifiedEmail, true);
    private final AppliedOperations operations = new AppliedOperations();
    private final CheckoutClaims checkouts = new CheckoutClaims();
    // Rotated-away and deleted token hashes, with the account each used to open.
    private final Map<String, Long> revokedTokenHashes = new HashMap<>();
    private long lastUserId;
    // Idempotency keys in the order they charged, for pruning after their window (ADR 30).
    // Added under the account's lock by charges, polled only under writeLock.
    private final java.util.concurrent.ConcurrentLinkedQueue<KeyExpiry> keyExpiries =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private volatile boolean closed;

    /** An empty, open store. */
    public InMemoryUserStore() {
    }

    @Override
    public Optional<UserRecord> findByTokenHash(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        ensureOpen();
        return withAccountOf(tokenHash, Account::snapshot);
    }

    @Override
    public Optional<UserRecord> findById(long userId) {
        ensureOpen();
        Account account = accountsById.get(userId);
        if (account == null) {
            return Optional.empty();
        }
        synchronized (account) {
            return account.isDeleted() ? Optional.empty() : Optional.of(account.snapshot());
        }
    }

    @Override
    public Optional<UserRecord> findByCardFingerprint(String cardFingerprint) {
        Objects.requireNonNull(cardFingerprint, "cardFingerprint");
        synchronized (writeLock) {
            ensureOpen();
            return byCardFingerprint.oldest(cardFingerprint).map(InMemoryUserStore::snapshotOf);
        }
    }

    @Override
    public Optional<UserRecord> findByVerifiedEmail(String verifiedEmail) {
        Objects.requireNonNull(verifiedEmail, "verifiedEmail");
        synchronized (writeLock) {
            ensureOpen();
            return byVerifiedEmail.oldest(verifiedEmail).map(InMemoryUserStore::snapshotOf);
        }
    }

    @Override
    public ChargeResult charge(Debit debit) {
        Objects.requireNonNull(debit, "debit");
        return debit(debit, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the charge of {@link #charge(Debit)}, collecting the grants it expired under the
     * account's lock and handing them over after the lock is released.
     */
    @Override
    public ChargeResult charge(Debit debit, java.util.function.Consumer<ExpiredGrant> expiredInside) {
        Objects.requireNonNull(debit, "debit");
        Objects.requireNonNull(expiredInside, "expiredInside");
        List<ExpiredGrant> expired = new ArrayList<>(0);
        try {
            return debit(debit, expired);
        } finally {
            expired.forEach(expiredInside);
        }
    }

    /**
     * The one debit step, whether the debit names its account by token hash or by id (ADR 32):
     * resolve the account, then charge it under its lock; a deleted account, a revoked hash and an
     * unknown one answer {@code NOT_REGISTERED}. Adds the grants the charge expired to
     * {@code expiredSink} unless it is null. No Optional or capturing lambda: charges are the hot
     * path.
     */
    private ChargeResult debit(Debit debit, List<ExpiredGrant> expiredSink) {
        ensureOpen();
        while (true) {
            Account account = debit.byUserId() ? accountsById.get(debit.userId())
                    : accountsByTokenHash.get(debit.tokenHash());
            if (account == null) {
                return ChargeResult.notRegistered();
            }
            synchronized (account) {
                boolean live = debit.byUserId() ? !account.isDeleted() : opens(debit.tokenHash(), account);
                if (live) {
                    ChargeResult result = account.charge(debit, expiredSink);
                    if (debit.idempotencyKey() != null && result.outcome() == dev.stripeflare.ChargeOutcome.CHARGED) {
                        keyExpiries.add(new KeyExpiry(account, debit.idempotencyKey(), debit.at()));
                    }
                    return result;
                }
                if (debit.byUserId()) {
                    return ChargeResult.notRegistered();
                }
                // The hash left this account meanwhile (a rotation): look it up again.
            }
        }
    }

    @Override
    public OpenedAccount openAccount(String tokenHash, Instant at) {
        TokenHashes.requireWellFormed(tokenHash);
        Objects.requireNonNull(at, "at");
        synchronized (writeLock) {
            ensureOpen();
            Account existing = accountsByTokenHash.get(tokenHash);
            if (existing != null) {
                synchronized (existing) {
                    if (opens(tokenHash, existing)) {
                        return new OpenedAccount(OpenedAccount.Status.EXISTING, existing.userId);
                    }
                }
            }
            if (revokedTokenHashes.containsKey(tokenHash)) {
                return new OpenedAccount(OpenedAccount.Status.REVOKED, 0);
            }
            Account account = new Account(lastUserId + 1, at, PaymentProfile.empty());
            lastUserId++;
            accountsById.put(account.userId, account);
            synchronized (account) {
                addTokenHash(account, tokenHash);
            }
            return new OpenedAccount(OpenedAccount.Status.CREATED, account.userId);
        }
    }

    @Override
    public CreditResult credit(PaymentCredit credit) {
        Objects.requireNonNull(credit, "credit");
        synchronized (writeLock) {
            ensureOpen();
            Optional<AppliedOperations.Applied> prior = operations.find(credit.operationId());
            if (prior.isPresent()) {
                return duplicateCredit(prior.get(), credit.tokenHash());
            }
            String tokenHash = credit.tokenHash();
            Long revokedFrom = revokedTokenHashes.get(tokenHash);
            CheckoutClaims.Checkout checkout = checkouts.find(credit.checkoutId());
            boolean returnedFirst = revokedFrom == null && checkout != null
                    && checkout.hasPendingClaimBy(tokenHash, credit.at());
            Account existing = accountsByTokenHash.get(tokenHash);
            if (existing != null) {
                return apply(existing, credit, CreditResult.Account.EXISTING, returnedFirst);
            }
            Account former = revokedFrom == null ? null : accountsById.get(revokedFrom);
            if (former != null) {
                return apply(former, credit, CreditResult.Account.REVOKED_TOKEN, false);
            }
            Account identified = identify(credit.profile());
            if (identified != null) {
                return apply(identified, credit,
                        returnedFirst ? CreditResult.Account.LINKED : CreditResult.Account.IDENTIFIED, returnedFirst);
            }
            return apply(new Account(lastUserId + 1, credit.at(), PaymentProfiles.contactOnly(credit.profile())),
                    credit, CreditResult.Account.CREATED, returnedFirst);
        }
    }

    /** The payer's account: the oldest with the profile's verified email, else with its card. */
    private Account identify(PaymentProfile profile) {
        if (profile.verifiedEmail() != null) {
            Optional<Account> byEmail = byVerifiedEmail.oldest(profile.verifiedEmail());
            if (byEmail.isPresent()) {
                return byEmail.get();
            }
        }
        return profile.cardFingerprint() == null ? null : byCardFingerprint.oldest(profile.cardFingerprint()).orElse(null);
    }

    /**
     * Credits {@code account} (a new one when {@code how} is {@code CREATED}), applies the
     * payment's deferred reversals, attaches the token where {@code how} says so, and records
     * the payment and checkout. The payer's identity (verified email, card) is recorded on the
     * account only when vouched for: see {@link PaymentProfiles#vouched}; otherwise it waits
     * with the checkout for the paying browser's claim. Must hold writeLock; computes everything
     * that can throw first.
     */
    private CreditResult apply(Account account, PaymentCredit credit, CreditResult.Account how,
                               boolean returnedFirst) {
        boolean created = how == CreditResult.Account.CREATED;
        boolean vouched = PaymentProfiles.vouched(credit, how, returnedFirst);
        boolean revoked = revokedTokenHashes.containsKey(credit.tokenHash());
        boolean attach = how == CreditResult.Account.LINKED || (created && !revoked);
        synchronized (account) {
            List<PaymentReversal> deferred = operations.deferredFor(credit.paymentReference());
            AppliedOperations.Payment payment = operations.payment(credit.paymentReference());
            long credited = Account.plus(payment == null ? 0 : payment.creditedCents, credit.amountCents());
            long remaining = Math.max(0, credited - (payment == null ? 0 : payment.reversedCents));
            account.requireLedgerRoomFor(1 + deferred.size());
            List<LedgerEntry> entries = new ArrayList<>(1 + deferred.size());
            long[] taken = new long[deferred.size()];
            long balance = Account.plus(account.balanceCents(), credit.amountCents());
            entries.add(new LedgerEntry(account.userId, credit.amountCents(), balance,
                    LedgerEntryKind.PAYMENT, credit.operationId(), credit.memo(), credit.at()));
            for (int i = 0; i < deferred.size(); i++) {
                PaymentReversal reversal = deferred.get(i);
                taken[i] = Math.min(reversal.requestedCents(credited), remaining);
                remaining -= taken[i];
                if (taken[i] > 0) {
                    balance = Account.minus(balance, taken[i]);
                    entries.add(reversalEntry(account, reversal, taken[i], balance));
                }
            }
            // Nothing below throws.
            if (created) {
                lastUserId++;
                accountsById.put(account.userId, account);
            } else {
                account.updateProfile(PaymentProfiles.contactOnly(credit.profile()));
            }
            if (vouched) {
                recordIdentity(account, credit.profile());
            }
            if (attach) {
                addTokenHash(account, credit.tokenHash());
            }
            entries.forEach(account::append);
            operations.recordCredit(credit.operationId(), credit.paymentReference(), credit.amountCents(),
                    account.userId, deferred, taken, credit.at());
            if (credit.checkoutId() != null) {
                checkouts.recordCredit(credit.checkoutId(), account.userId, credit.tokenHash(),
                        credit.claimableUntil(), vouched && how != CreditResult.Account.IDENTIFIED,
                        vouched ? null : credit.profile(), credit.at());
            }
            return new CreditResult(CreditResult.Status.APPLIED, account.userId, account.balanceCents(), how);
        }
    }

    private static LedgerEntry reversalEntry(Account account, PaymentReversal reversal, long takenCents,
                                             long balanceAfter) {
        return new LedgerEntry(account.userId, -takenCents, balanceAfter, reversal.kind(),
                reversal.operationId(), reversal.memo(), reversal.at());
    }

    private CreditResult duplicateCredit(AppliedOperations.Applied prior, String tokenHash) {
        // A settled or deferred id names no account: report the token's, if it has one.
        OptionalLong userId = prior.userId();
        Account account = userId.isPresent()
                ? accountsById.get(userId.getAsLong()) : accountsByTokenHash.get(tokenHash);
        long id = userId.isPresent() ? userId.getAsLong() : account == null ? 0 : account.userId;
        long balance = account == null ? 0 : balanceOf(account);
        return new CreditResult(CreditResult.Status.DUPLICATE, id, balance, CreditResult.Account.EXISTING);
    }

    @Override
    public ReversalResult reverse(PaymentReversal reversal) {
        Objects.requireNonNull(reversal, "reversal");
        synchronized (writeLock) {
            ensureOpen();
            Optional<AppliedOperations.Applied> prior = operations.find(reversal.operationId());
            if (prior.isPresent()) {
                OptionalLong userId = prior.get().userId();
                Account account = userId.isPresent() ? accountsById.get(userId.getAsLong()) : null;
                return new ReversalResult(ReversalResult.Status.DUPLICATE, userId,
                        account == null ? 0 : balanceOf(account), 0);
            }
            AppliedOperations.Payment payment = operations.payment(reversal.paymentReference());
            if (payment == null) {
                operations.defer(reversal);
                return new ReversalResult(ReversalResult.Status.DEFERRED, OptionalLong.empty(), 0, 0);
            }
            Account account = accountsById.get(payment.userId);
            if (account == null) {
                // The account was deleted: there is nothing left to take the money from.
                operations.recordReversal(reversal, OptionalLong.empty(), 0);
                return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.empty(), 0, 0);
            }
            long take = Math.min(reversal.requestedCents(payment.creditedCents), payment.remainingCents());
            synchronized (account) {
                if (take > 0) {
                    long after = Account.minus(account.balanceCents(), take);
                    account.requireLedgerRoomFor(1);
                    account.append(reversalEntry(account, reversal, take, after));
                }
                operations.recordReversal(reversal, OptionalLong.of(account.userId), take);
                return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.of(account.userId),
                        account.balanceCents(), take);
            }
        }
    }

    @Override
    public ReversalResult restore(PaymentRestoration restoration) {
        Objects.requireNonNull(restoration, "restoration");
        synchronized (writeLock) {
            ensureOpen();
            if (operations.find(restoration.operationId()).isPresent()
                    || operations.wasRestored(restoration.reversalOperationId())) {
                return new ReversalResult(ReversalResult.Status.DUPLICATE, OptionalLong.empty(), 0, 0);
            }
            Optional<AppliedOperations.Applied> target = operations.find(restoration.reversalOperationId());
            if (target.isEmpty() || target.get().kind() == AppliedOperations.Kind.DEFERRED) {
                operations.cancel(restoration.operationId(), restoration.reversalOperationId(), restoration.at());
                return new ReversalResult(ReversalResult.Status.CANCELLED, OptionalLong.empty(), 0, 0);
            }
            AppliedOperations.Applied reversal = target.get();
            Account account = reversal.userId().isPresent() ? accountsById.get(reversal.userId().getAsLong()) : null;
            if (reversal.kind() != AppliedOperations.Kind.REVERSAL || reversal.movedCents() == 0 || account == null) {
                operations.recordRestoration(restoration.operationId(), restoration.reversalOperationId(),
                        OptionalLong.empty(), restoration.at());
                return new ReversalResult(ReversalResult.Status.APPLIED, reversal.userId(),
                        account == null ? 0 : balanceOf(account), 0);
            }
            synchronized (account) {
                long after = Account.plus(account.balanceCents(), reversal.movedCents());
                account.requireLedgerRoomFor(1);
                account.append(new LedgerEntry(account.userId, reversal.movedCents(), after, restoration.kind(),
                        restoration.operationId(), restoration.memo(), restoration.at()));
                operations.recordRestoration(restoration.operationId(), restoration.reversalOperationId(),
                        OptionalLong.of(account.userId), restoration.at());
                return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.of(account.userId),
                        after, reversal.movedCents());
            }
        }
    }

    @Override
    public ClaimResult claimCheckout(CheckoutClaim claim) {
        Objects.requireNonNull(claim, "claim");
        synchronized (writeLock) {
            ensureOpen();
            String tokenHash = claim.tokenHash();
            Account current = accountsByTokenHash.get(tokenHash);
            CheckoutClaims.Checkout checkout = checkouts.find(claim.checkoutId());
            if (checkout == null || !checkout.credited()) {
                boolean otherPending = checkout != null && checkout.pendingTokenHash != null
                        && !checkout.hasPendingClaimBy(tokenHash, claim.at())
                        && !claim.at().isAfter(checkout.pendingUntil);
                if (otherPending || revokedTokenHashes.containsKey(tokenHash)) {
                    return refused(current);
                }
                checkouts.recordPending(claim);
                return new ClaimResult(ClaimResult.Status.PENDING, OptionalLong.empty());
            }
            Account account = accountsById.get(checkout.creditedUserId);
            if (account != null && current == account) {
                // The account's own browser came back: the payer's identity is now vouched for,
                // and the checkout is closed to everyone else.
                if (!checkout.claimed && !claim.at().isAfter(checkout.claimableUntil)) {
                    closeCheckout(checkout, account);
                }
                return new ClaimResult(ClaimResult.Status.ALREADY_LINKED, OptionalLong.of(account.userId));
            }
            if (account == null || current != null || checkout.claimed
                    || !tokenHash.equals(checkout.creditedTokenHash)
                    || revokedTokenHashes.containsKey(tokenHash)) {
                return refused(current);
            }
            if (claim.at().isAfter(checkout.claimableUntil)) {
                return new ClaimResult(ClaimResult.Status.EXPIRED, OptionalLong.empty());
            }
            synchronized (account) {
                addTokenHash(account, tokenHash);
            }
            closeCheckout(checkout, account);
            return new ClaimResult(ClaimResult.Status.LINKED, OptionalLong.of(account.userId));
        }
    }

    /** Marks the checkout claimed and records the identity it kept for the paying browser. */
    private void closeCheckout(CheckoutClaims.Checkout checkout, Account account) {
        checkout.claimed = true;
        if (checkout.unvouchedProfile != null) {
            recordIdentity(account, checkout.unvouchedProfile);
            checkout.unvouchedProfile = null;
        }
    }

    /** Sets the account's verified email and card where it has none, keeping the indexes right. */
    private void recordIdentity(Account account, PaymentProfile profile) {
        synchronized (account) {
            byCardFingerprint.remove(account);
            byVerifiedEmail.remove(account);
            account.recordIdentity(profile);
            byCardFingerprint.add(account);
            byVerifiedEmail.add(account);
        }
    }

    private static ClaimResult refused(Account current) {
        return new ClaimResult(ClaimResult.Status.REFUSED,
                current == null ? OptionalLong.empty() : OptionalLong.of(current.userId));
    }

    @Override
    public boolean recordSettled(String operationId, String reason, Instant at) {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
        synchronized (writeLock) {
            ensureOpen();
            return operations.recordSettled(operationId, at);
        }
    }

    @Override
    public boolean rotateToken(String oldTokenHash, String newTokenHash) {
        Objects.requireNonNull(oldTokenHash, "oldTokenHash");
        Objects.requireNonNull(newTokenHash, "newTokenHash");
        synchronized (writeLock) {
            ensureOpen();
            Account account = accountsByTokenHash.get(oldTokenHash);
            if (account == null) {
                return false;
            }
            if (accountsByTokenHash.containsKey(newTokenHash) || revokedTokenHashes.containsKey(newTokenHash)) {
                throw new StoreException("the new token hash is already in use or revoked");
            }
            synchronized (account) {
                Set<String> hashes = tokenHashesByUserId.get(account.userId);
                addTokenHash(account, newTokenHash);
                hashes.remove(oldTokenHash);
                accountsByTokenHash.remove(oldTokenHash);
                revokedTokenHashes.put(oldTokenHash, account.userId);
                return true;
            }
        }
    }

    @Override
    public List<LedgerEntry> ledger(long userId) {
        ensureOpen();
        Account account = accountsById.get(userId);
        if (account == null) {
            return List.of();
        }
        synchronized (account) {
            return account.ledger();
        }
    }

    @Override
    public boolean deleteUser(long userId) {
        synchronized (writeLock) {
            ensureOpen();
            Account account = accountsById.get(userId);
            if (account == null) {
                return false;
            }
            synchronized (account) {
                byCardFingerprint.remove(account);
                byVerifiedEmail.remove(account);
                for (String tokenHash : tokenHashesByUserId.remove(userId)) {
                    accountsByTokenHash.remove(tokenHash);
                    revokedTokenHashes.put(tokenHash, userId);
                }
                accountsById.remove(userId);
                account.markDeleted();
                return true;
            }
        }
    }

    /** UP while open (the heap does not fail short of the JVM); DOWN after {@link #close()}. */
    @Override
    public StoreHealth health() {
        return closed ? StoreHealth.down("the in-memory user store is closed", Optional.empty())
                : StoreHealth.up("in memory");
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            closed = true;
            accountsByTokenHash.clear();
            accountsById.clear();
            tokenHashesByUserId.clear();
        }
    }

    /** An idempotency key that charged {@code account} at {@code at}. */
    private record KeyExpiry(Account account, String key, Instant at) { }

    /**
     * Applies {@code action} to the account {@code tokenHash} opens, under that account's lock,
     * at a moment when the hash still opens it: a rotation or deletion that won the race makes
     * us look again rather than act on an account the hash no longer opens.
     */
    private <T> Optional<T> withAccountOf(String tokenHash, Function<Account, T> action) {
        while (true) {
            Account account = accountsByTokenHash.get(tokenHash);
            if (account == null) {
                return Optional.empty();
            }
            synchronized (account) {
                if (opens(tokenHash, account)) {
                    return Optional.of(action.apply(account));
                }
            }
        }
    }

    /** Whether {@code tokenHash} still opens {@code account}; hold the account's lock. */
    private boolean opens(String tokenHash, Account account) {
        return !account.isDeleted() && accountsByTokenHash.get(tokenHash) == account;
    }

    /** The account {@code tokenHash} opens now, or null; for tests of the locking. */
    Account accountOf(String tokenHash) {
        return accountsByTokenHash.get(tokenHash);
    }

    /** Must hold writeLock and the account's lock, or the account must be unpublished. */
    private void addTokenHash(Account account, String tokenHash) {
        tokenHashesByUserId.computeIfAbsent(account.userId, id -> new HashSet<>()).add(tokenHash);
        accountsByTokenHash.put(tokenHash, account);
    }

    private static UserRecord snapshotOf(Account account) {
        synchronized (account) {
            return account.snapshot();
        }
    }

    private static long balanceOf(Account account) {
        synchronized (account) {
            return account.balanceCents();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("the in-memory user store is closed");
        }
    }

    // Unclaimed payments (ADR 31). Guarded by writeLock, like every other money-moving step.
    private final UnclaimedPayments unclaimed = new UnclaimedPayments();

    @Override
    public boolean recordUnclaimed(UnclaimedPayment payment) {
        Objects.requireNonNull(payment, "payment");
        if (!payment.isOpen()) {
            throw new IllegalArgumentException("only an open payment is recorded as unclaimed");
        }
        synchronized (writeLock) {
            ensureOpen();
            if (operations.find(payment.operationId()).isPresent() || unclaimed.contains(payment.id())) {
                return false;
            }
            operations.recordSettled(payment.operationId(), payment.receivedAt());
            unclaimed.put(payment);
            return true;
        }
    }

    @Override
    public List<UnclaimedPayment> unclaimedPayments() {
        synchronized (writeLock) {
            ensureOpen();
            return unclaimed.oldestFirst();
        }
    }

    @Override
    public Optional<UnclaimedPayment> findUnclaimed(String unclaimedId) {
        Objects.requireNonNull(unclaimedId, "unclaimedId");
        synchronized (writeLock) {
            ensureOpen();
            return unclaimed.find(unclaimedId);
        }
    }

    @Override
    public UnclaimedResolution assignUnclaimed(UnclaimedAssignment assignment) {
        Objects.requireNonNull(assignment, "assignment");
        synchronized (writeLock) {
            ensureOpen();
            Optional<UnclaimedPayment> found = unclaimed.find(assignment.unclaimedId());
            if (found.isEmpty()) {
                return UnclaimedResolution.notFound();
            }
            UnclaimedPayment payment = found.get();
            if (!payment.isOpen()) {
                return UnclaimedResolution.alreadyResolved(payment);
            }
            Account account = accountsById.get(assignment.userId());
            if (account == null) {
                return new UnclaimedResolution(UnclaimedResolution.Status.NO_SUCH_ACCOUNT, found, 0);
            }
            String reference = payment.paymentIntentId().orElse(null);
            synchronized (account) {
                // As a credit's apply(): everything that can throw is computed first.
                List<PaymentReversal> deferred = operations.deferredFor(reference);
                AppliedOperations.Payment prior = operations.payment(reference);
                long credited = Account.plus(prior == null ? 0 : prior.creditedCents, payment.amountCents());
                long remaining = Math.max(0, credited - (prior == null ? 0 : prior.reversedCents));
                account.requireLedgerRoomFor(1 + deferred.size());
                List<LedgerEntry> entries = new ArrayList<>(1 + deferred.size());
                long[] taken = new long[deferred.size()];
                long balance = Account.plus(account.balanceCents(), payment.amountCents());
                entries.add(new LedgerEntry(account.userId, payment.amountCents(), balance, LedgerEntryKind.PAYMENT,
                        payment.operationId(), assignment.memo(), assignment.at()));
                for (int i = 0; i < deferred.size(); i++) {
                    PaymentReversal reversal = deferred.get(i);
                    taken[i] = Math.min(reversal.requestedCents(credited), remaining);
                    remaining -= taken[i];
                    if (taken[i] > 0) {
                        balance = Account.minus(balance, taken[i]);
                        entries.add(reversalEntry(account, reversal, taken[i], balance));
                    }
                }
                // Nothing below throws.
                entries.forEach(account::append);
                operations.recordCredit(payment.operationId(), reference, payment.amountCents(), account.userId,
                        deferred, taken, assignment.at());
                UnclaimedPayment assigned = payment.assignedTo(account.userId, assignment.note(), assignment.at());
                unclaimed.put(assigned);
                return new UnclaimedResolution(UnclaimedResolution.Status.RESOLVED, Optional.of(assigned),
                        account.balanceCents());
            }
        }
    }

    @Override
    public dev.stripeflare.MaintenanceReport maintain(dev.stripeflare.spi.MaintenanceRequest request) {
        Objects.requireNonNull(request, "request");
        synchronized (writeLock) {
            ensureOpen();
            int batch = request.batchSize();
            int keys = 0;
            while (keys < batch) {
                KeyExpiry head = keyExpiries.peek();
                if (head == null || !head.at().isBefore(request.idempotencyKeysBefore())) {
                    break;
                }
                keyExpiries.poll();
                synchronized (head.account()) {
                    if (head.account().forgetKey(head.key(), head.at())) {
                        keys++;
                    }
                }
            }
            List<String> expired = new ArrayList<>();
            int ops = operations.pruneOperations(request.operationsBefore(), batch, expired, unclaimed::isOpenFor);
            ops += operations.pruneReversals(request.paymentsBefore(), batch);
            ops += pruneAdjustments(request.paymentsBefore(), batch);
            int payments = operations.prunePayments(request.paymentsBefore(), batch);
            payments += unclaimed.pruneResolved(request.paymentsBefore(), batch);
            int claims = checkouts.prune(request.operationsBefore(), batch);
            KeyExpiry head = keyExpiries.peek();
            boolean more = (head != null && head.at().isBefore(request.idempotencyKeysBefore()))
                    || operations.moreDue(request.operationsBefore(), request.paymentsBefore())
                    || checkouts.moreDue(request.operationsBefore())
                    || adjustmentTimes.hasBefore(request.paymentsBefore())
                    || unclaimed.moreResolvedBefore(request.paymentsBefore());
            return new dev.stripeflare.MaintenanceReport(keys, ops - expired.size(), payments, claims, expired, more);
        }
    }

    @Override
    public UnclaimedResolution markUnclaimedRefunded(String unclaimedId, String note, Instant at) {
        Objects.requireNonNull(unclaimedId, "unclaimedId");
        Objects.requireNonNull(at, "at");
        synchronized (writeLock) {
            ensureOpen();
            Optional<UnclaimedPayment> found = unclaimed.find(unclaimedId);
            if (found.isEmpty()) {
                return UnclaimedResolution.notFound();
            }
            if (!found.get().isOpen()) {
                return UnclaimedResolution.alreadyResolved(found.get());
            }
            UnclaimedPayment refunded = found.get().refunded(note, at);
            unclaimed.put(refunded);
            return new UnclaimedResolution(UnclaimedResolution.Status.RESOLVED, Optional.of(refunded), 0);
        }
    }

    // Charges by user id and adjustments (issue 13, ADR 32).

    /** What an adjustment did, so its operation id answers a repeat. */
    private record AppliedAdjustment(long userId, long amountCents, long balanceAfterCents) { }

    // Guarded by writeLock; kept when an account is deleted, forgotten after the payment
    // retention (ADR 30) in the order they were applied.
    private final Map<String, AppliedAdjustment> adjustments = new HashMap<>();
    private final ExpiryQueue adjustmentTimes = new ExpiryQueue();

    private int pruneAdjustments(Instant before, int batch) {
        int removed = 0;
        for (String id = adjustmentTimes.pollBefore(before); id != null; id = adjustmentTimes.pollBefore(before)) {
            adjustments.remove(id);
            if (++removed == batch) {
                break;
            }
        }
        return removed;
    }

    @Override
    public AdjustmentResult adjust(Adjustment adjustment) {
        Objects.requireNonNull(adjustment, "adjustment");
        synchronized (writeLock) {
            ensureOpen();
            Account account = accountsById.get(adjustment.userId());
            if (account == null) {
                throw new UnknownUserException(adjustment.userId());
            }
            AppliedAdjustment prior = adjustments.get(adjustment.operationId());
            if (prior != null) {
                if (prior.userId() != adjustment.userId() || prior.amountCents() != adjustment.amountCents()) {
                    throw new IdempotencyKeyReusedException("adjustment operation id already adjusted account "
                            + prior.userId() + " by " + prior.amountCents() + " cents");
                }
                return new AdjustmentResult(AdjustmentOutcome.REPLAYED, prior.balanceAfterCents());
            }
            synchronized (account) {
                long before = account.balanceCents();
                long after = Account.plus(before, adjustment.amountCents());
                // Against the paid part: granted credit leaves again when its grant ends (ADR 33).
                if (adjustment.amountCents() < 0 && after - account.grantedCents() < 0
                        && !adjustment.allowNegativeBalance()) {
                    return new AdjustmentResult(AdjustmentOutcome.INSUFFICIENT_BALANCE, before);
                }
                account.requireLedgerRoomFor(1);
                account.append(new LedgerEntry(account.userId, adjustment.amountCents(), after,
                        LedgerEntryKind.ADJUSTMENT, adjustment.operationId(), adjustment.reason(), adjustment.at()));
                adjustments.put(adjustment.operationId(),
                        new AppliedAdjustment(account.userId, adjustment.amountCents(), after));
                adjustmentTimes.add(adjustment.operationId(), adjustment.at());
                return new AdjustmentResult(AdjustmentOutcome.APPLIED, after);
            }
        }
    }

    // Grants (ADR 33). Giving and voiding take the write lock (rare, and a grant's operation id
    // is store-wide); spending happens inside a charge under the account's lock alone.

    // Every operation id that gave a grant: {user id, cents}. Guarded by writeLock; kept when the
    // account is deleted, so a replay stays a duplicate.
    private final Map<String, long[]> grantOperations = new HashMap<>();

    @Override
    public GrantChange grant(CreditGrant grant) {
        Objects.requireNonNull(grant, "grant");
        synchronized (writeLock) {
            ensureOpen();
            long[] prior = grantOperations.get(grant.operationId());
            if (prior != null) {
                Account account = accountsById.get(prior[0]);
                return account == null
                        ? new GrantChange(GrantChange.Status.DUPLICATE, prior[0], prior[1], 0, 0)
                        : duplicateGrant(account, prior[1]);
            }
            Account account = accountsById.get(grant.userId());
            if (account == null) {
                return new GrantChange(GrantChange.Status.NO_SUCH_ACCOUNT, grant.userId(), 0, 0, 0);
            }
            synchronized (account) {
                GrantChange change = account.grant(grant);
                grantOperations.put(grant.operationId(), new long[] {account.userId, grant.amountCents()});
                return change;
            }
        }
    }

    private static GrantChange duplicateGrant(Account account, long cents) {
        synchronized (account) {
            return new GrantChange(GrantChange.Status.DUPLICATE, account.userId, cents, account.balanceCents(),
                    account.grantedCents());
        }
    }

    @Override
    public GrantChange voidGrant(GrantVoid grantVoid) {
        Objects.requireNonNull(grantVoid, "grantVoid");
        synchronized (writeLock) {
            ensureOpen();
            Account account = accountsById.get(grantVoid.userId());
            if (account == null) {
                return new GrantChange(GrantChange.Status.NO_SUCH_ACCOUNT, grantVoid.userId(), 0, 0, 0);
            }
            synchronized (account) {
                return account.voidGrant(grantVoid);
            }
        }
    }

    @Override
    public dev.stripeflare.ArchiveReport archiveBefore(Instant before, dev.stripeflare.LedgerArchive sink) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(sink, "sink");
        ensureOpen();
        int accounts = 0;
        long entries = 0;
        for (Account account : List.copyOf(accountsById.values())) {
            int archived;
            synchronized (account) {
                ensureOpen();
                archived = account.archiveBefore(before, sink);
            }
            if (archived > 0) {
                accounts++;
                entries += archived;
            }
        }
        return new dev.stripeflare.ArchiveReport(accounts, entries);
    }

    @Override
    public List<ExpiredGrant> expireGrants(long userId, Instant at) {
        Objects.requireNonNull(at, "at");
        return ofLiveAccount(userId, account -> account.expireGrants(at));
    }

    @Override
    public List<ExpiredGrant> expireGrants(Instant at) {
        Objects.requireNonNull(at, "at");
        return ofEveryAccount(account -> account.expireGrants(at));
    }

    @Override
    public List<Grant> grants(long userId) {
        return ofLiveAccount(userId, Account::grants);
    }

    /** What {@code step} answers for the account under its lock; empty for an unknown or deleted account. */
    private <T> List<T> ofLiveAccount(long userId, java.util.function.Function<Account, List<T>> step) {
        ensureOpen();
        Account account = accountsById.get(userId);
        if (account == null) {
            return List.of();
        }
        synchronized (account) {
            return account.isDeleted() ? List.of() : step.apply(account);
        }
    }

    /** {@link #ofLiveAccount} of every account, each under its own lock, one after another. */
    private <T> List<T> ofEveryAccount(java.util.function.Function<Account, List<T>> step) {
        ensureOpen();
        List<T> all = new ArrayList<>();
        for (Long userId : List.copyOf(accountsById.keySet())) {
            all.addAll(ofLiveAccount(userId, step));
        }
        return all;
    }

    // Holds (ADR 34). Every step runs under the account's lock alone, like a charge. Hold ids are
    // store-wide; a hold's account is found through holdOwners (kept after closing, so a retried
    // capture finds its first answer; a deleted account answers NOT_FOUND).

    private final AtomicLong lastHoldId = new AtomicLong();
    private final ConcurrentHashMap<Long, Account> holdOwners = new ConcurrentHashMap<>();

    @Override
    public HoldChange reserve(Reservation reservation) {
        Objects.requireNonNull(reservation, "reservation");
        ensureOpen();
        Function<Account, HoldChange> step = account -> {
            HoldChange change = account.reserve(reservation, lastHoldId::incrementAndGet, holdOwners::remove);
            if (change.outcome() == HoldOutcome.RESERVED) {
                holdOwners.put(change.hold().holdId(), account);
            }
            return change;
        };
        Optional<HoldChange> change;
        if (reservation.byUserId()) {
            Account account = accountsById.get(reservation.userId());
            if (account == null) {
                change = Optional.empty();
            } else {
                synchronized (account) {
                    change = account.isDeleted() ? Optional.empty() : Optional.of(step.apply(account));
                }
            }
        } else {
            change = withAccountOf(reservation.tokenHash(), step);
        }
        return change.orElseGet(() -> HoldChange.none(HoldOutcome.NOT_REGISTERED));
    }

    @Override
    public HoldChange capture(HoldCapture capture) {
        Objects.requireNonNull(capture, "capture");
        ensureOpen();
        Account account = holdOwners.get(capture.holdId());
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        synchronized (account) {
            return account.isDeleted() ? HoldChange.none(HoldOutcome.NOT_FOUND)
                    : account.capture(capture);
        }
    }

    @Override
    public HoldChange release(long holdId, Instant at) {
        Objects.requireNonNull(at, "at");
        ensureOpen();
        Account account = holdOwners.get(holdId);
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        synchronized (account) {
            return account.isDeleted() ? HoldChange.none(HoldOutcome.NOT_FOUND)
                    : account.release(holdId, at);
        }
    }

    @Override
    public List<HoldState> expireHolds(long userId, Instant at) {
        Objects.requireNonNull(at, "at");
        return ofLiveAccount(userId, account -> account.expireHolds(at));
    }

    @Override
    public List<HoldState> expireHolds(Instant at) {
        Objects.requireNonNull(at, "at");
        return ofEveryAccount(account -> account.expireHolds(at));
    }

    @Override
    public List<HoldState> holds(long userId) {
        return ofLiveAccount(userId, Account::holds);
    }

    @Override
    public Optional<HoldState> findHold(long holdId) {
        ensureOpen();
        Account account = holdOwners.get(holdId);
        if (account == null) {
            return Optional.empty();
        }
        synchronized (account) {
            return account.isDeleted() ? Optional.empty() : Optional.ofNullable(account.hold(holdId));
        }
    }
}
