package dev.stripeflare.core;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.InvalidAdjustmentException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.User;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.event.AdjustedEvent;
import dev.stripeflare.event.UserDeletedEvent;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The wallet's operations on an account named by its user id (ADR 32): charge, read, delete,
 * adjust — for server code that holds no token — and the low-balance check after every charge.
 * Events are raised only after the store call returned, so never inside a store transaction.
 * Thread-safe (stateless but for the store).
 */
final class UserOperations {
    private static final System.Logger LOG = System.getLogger(UserOperations.class.getName());

    /** The longest adjustment reason kept, in characters (as a charge's memo). */
    static final int MAX_REASON_LENGTH = ChargeRequest.MAX_MEMO_LENGTH;

    private final UserStore store;
    private final Clock clock;
    private final WalletEvents events;
    private final LowBalanceAlerts alerts;
    private final GrantDesk grants;
    private final Optional<Allowances> allowances;

    UserOperations(UserStore store, Clock clock, WalletEvents events, LowBalanceAlerts alerts, GrantDesk grants,
                   Optional<Allowances> allowances) {
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.alerts = alerts;
        this.grants = grants;
        this.allowances = allowances;
    }

    ChargeResult charge(UserChargeRequest request) {
        Instant at = clock.instant();
        if (allowances.isPresent()) {
            allowances.get().beforeChargeUser(request.userId(), at);
        }
        ChargeResult result = grants.charge(Debit.ofUser(request.userId(), request.amountCents(),
                request.allowNegativeBalance(), request.idempotencyKey(), request.memo(), at));
        if (result.outcome() == ChargeOutcome.NOT_REGISTERED) {
            throw new UnknownUserException(request.userId());
        }
        if (crossedBy(request.amountCents(), result)) {
            alerts.raise(request.userId(), result.balanceCents() + request.amountCents(), result.balanceCents(), at);
        }
        return result;
    }

    /** For a charge through a token: the account is looked up only when a threshold was crossed. */
    void afterTokenCharge(String tokenHash, long amountCents, ChargeResult result, Instant at) {
        if (!crossedBy(amountCents, result)) {
            return;
        }
        Optional<Long> userId = store.findByTokenHash(tokenHash).map(record -> record.userId());
        if (userId.isPresent()) {
            alerts.raise(userId.get(), result.balanceCents() + amountCents, result.balanceCents(), at);
        } else {
            // The token was rotated away or its account deleted between the charge and this read.
            LOG.log(Level.WARNING, "A charge crossed a low-balance threshold but its token opens no account any"
                    + " more; the low-balance event was not raised");
        }
    }

    /** Whether this charge took the balance across a threshold (from its balance before, derived). */
    private boolean crossedBy(long amountCents, ChargeResult result) {
        return result.outcome() == ChargeOutcome.CHARGED
                && alerts.crossed(result.balanceCents() + amountCents, result.balanceCents());
    }

    Optional<User> find(long userId) {
        return store.findById(userId).map(record -> DefaultWallet.toUser(record, ""));
    }

    List<LedgerEntry> ledger(long userId) {
        return store.ledger(userId);
    }

    boolean delete(long userId) {
        Instant at = clock.instant();
        boolean deleted = store.deleteUser(userId);
        if (deleted) {
            LOG.log(Level.INFO, "Account {0} deleted", userId);
            if (events.active()) {
                UserDeletedEvent event = new UserDeletedEvent(userId, at);
                events.deliver("user deleted", listener -> listener.onUserDeleted(event));
            }
        }
        return deleted;
    }

    AdjustmentResult adjust(long userId, long signedCents, String reason, String operationId,
                            boolean allowNegativeBalance) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(operationId, "operationId");
        if (reason.isBlank()) {
            throw new InvalidAdjustmentException("an adjustment needs a reason");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new InvalidAdjustmentException("adjustment reason longer than " + MAX_REASON_LENGTH + " characters");
        }
        ChargeRequest.validateIdempotencyKey(operationId);
        Instant at = clock.instant();
        AdjustmentResult result = store.adjust(new Adjustment(userId, signedCents, allowNegativeBalance, reason,
                operationId, at));
        if (result.outcome() == AdjustmentOutcome.APPLIED) {
            LOG.log(Level.INFO, "Account {0} adjusted by {1} cents under operation {2}", userId, signedCents,
                    operationId);
            if (events.active()) {
                AdjustedEvent event = new AdjustedEvent(userId, signedCents, result.balanceCents(), reason,
                        operationId, at);
                events.deliver("adjusted", listener -> listener.onAdjusted(event));
            }
            long after = result.balanceCents();
            long before = after - signedCents;
            if (alerts.crossed(before, after)) {
                alerts.raise(userId, before, after, at);
            }
        }
        return result;
    }
}
