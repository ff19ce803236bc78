package dev.stripeflare.core;

import dev.stripeflare.Grant;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.GrantResult;
import dev.stripeflare.InvalidGrantException;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.event.GrantExpiredEvent;
import dev.stripeflare.event.GrantedEvent;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The wallet's side of grants of free credit (ADR 33): checks requests against the wallet's
 * clock, gives, voids and expires them through the store's exactly-once steps, and tells the
 * listeners after each committed. Also applies due expiries lazily when the wallet reads an
 * account. Thread-safe (stateless but for the store).
 */
final class GrantDesk {
    private static final System.Logger LOG = System.getLogger(GrantDesk.class.getName());

    private final UserStore store;
    private final Clock clock;
    private final WalletEvents events;

    GrantDesk(UserStore store, Clock clock, WalletEvents events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    GrantResult grant(GrantRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        Instant expiresAt = request.expiresAt().orElse(null);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidGrantException("grant " + request.operationId() + " would expire at " + expiresAt
                    + ", not after now (" + now + ")");
        }
        GrantChange change = store.grant(new CreditGrant(request.userId(), request.amountCents(),
                request.operationId(), request.reason(), expiresAt, now));
        switch (change.status()) {
            case NO_SUCH_ACCOUNT -> throw new UnknownUserException(request.userId());
            case DUPLICATE -> {
                if (change.userId() != request.userId() || change.cents() != request.amountCents()) {
                    throw new InvalidGrantException("operation id " + request.operationId() + " already granted "
                            + change.cents() + " cents to another account or of another amount");
                }
                return new GrantResult(false, change.userId(), change.balanceAfterCents(),
                        change.grantedAfterCents());
            }
            case APPLIED -> {
                LOG.log(Level.INFO, "Granted {0} cents to account {1} ({2})", request.amountCents(),
                        request.userId(), request.operationId());
                if (events.active()) {
                    GrantedEvent event = new GrantedEvent(change.userId(), request.amountCents(),
                            change.balanceAfterCents(), change.grantedAfterCents(), request.operationId(),
                            request.reason(), request.expiresAt(), now);
                    events.deliver("granted", listener -> listener.onGranted(event));
                }
                return new GrantResult(true, change.userId(), change.balanceAfterCents(), change.grantedAfterCents());
            }
            default -> throw new IllegalStateException("store answered " + change.status() + " to a grant");
        }
    }

    long voidGrant(long userId, String grantOperationId, String memo) {
        Objects.requireNonNull(grantOperationId, "grantOperationId");
        Instant now = clock.instant();
        GrantChange change = store.voidGrant(new GrantVoid(userId, grantOperationId, memo, now));
        switch (change.status()) {
            case NO_SUCH_ACCOUNT -> throw new UnknownUserException(userId);
            case NOT_FOUND -> throw new InvalidGrantException("account " + userId + " has no grant "
                    + grantOperationId);
            case ENDED -> throw new InvalidGrantException("grant " + grantOperationId
                    + " already expired or was voided");
            case APPLIED -> {
                LOG.log(Level.INFO, "Voided grant {0} of account {1}: {2} cents left the balance", grantOperationId,
                        userId, change.cents());
                if (events.active()) {
                    GrantExpiredEvent event = new GrantExpiredEvent(userId, grantOperationId, change.cents(),
                            change.balanceAfterCents(), true, now);
                    events.deliver("grant expired", listener -> listener.onGrantExpired(event));
                }
                return change.cents();
            }
            default -> throw new IllegalStateException("store answered " + change.status() + " to a void");
        }
    }

    List<Grant> grants(long userId) {
        expired(store.expireGrants(userId, clock.instant()));
        return store.grants(userId);
    }

    int expireAll() {
        List<ExpiredGrant> expired = store.expireGrants(clock.instant());
        expired(expired);
        return expired.size();
    }

    /**
     * {@code record}, read again after its due grants were expired and its due holds released
     * (ADR 34) when a next expiry has passed by the wallet's clock; else {@code record} itself
     * (two comparisons, no store call).
     */
    UserRecord fresh(UserRecord record) {
        Instant nextGrant = record.nextGrantExpiry();
        Instant nextHold = record.nextHoldExpiry();
        if (nextGrant == null && nextHold == null) {
            return record;
        }
        Instant now = clock.instant();
        boolean grantDue = nextGrant != null && !nextGrant.isAfter(now);
        boolean holdDue = nextHold != null && !nextHold.isAfter(now);
        if (!grantDue && !holdDue) {
            return record;
        }
        if (grantDue) {
            expired(store.expireGrants(record.userId(), now));
        }
        if (holdDue) {
            store.expireHolds(record.userId(), now);
        }
        return store.findById(record.userId()).orElse(record);
    }

    /**
     * A charge through {@code store}: when listeners are registered, through the store's step
     * that reports the grants the charge expired, each then heard once (ADR 33 addendum); else
     * the plain charge.
     */
    dev.stripeflare.ChargeResult charge(dev.stripeflare.spi.Debit debit) {
        return events.active() ? store.charge(debit, this::expiredInCharge) : store.charge(debit);
    }

    private void expiredInCharge(ExpiredGrant grant) {
        expired(List.of(grant));
    }

    private void expired(List<ExpiredGrant> expired) {
        if (expired.isEmpty() || !events.active()) {
            return;
        }
        for (ExpiredGrant grant : expired) {
            GrantExpiredEvent event = new GrantExpiredEvent(grant.userId(), grant.operationId(), grant.expiredCents(),
                    grant.balanceAfterCents(), false, grant.at());
            events.deliver("grant expired", listener -> listener.onGrantExpired(event));
        }
    }
}
