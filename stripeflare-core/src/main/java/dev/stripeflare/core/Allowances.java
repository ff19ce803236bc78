package dev.stripeflare.core;

import dev.stripeflare.Allowance;
import dev.stripeflare.event.GrantedEvent;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives the configured {@link Allowance} at an account's first charge in each period (ADR 33), as
 * a grant under an operation id made of the account and the period, so the store's exactly-once
 * gives it once however many threads charge at the period's start. Only accounts that exist get
 * one: a token that opens no account (a visitor who has not paid, a forged token) gets nothing and
 * creates nothing. Remembers, per token hash, the last period it saw given, to skip the store read
 * on later charges in that period; the memory is cleared when it grows past
 * {@value #REMEMBERED} tokens (a forgotten token costs one read and a duplicate grant answer).
 * Thread-safe.
 */
final class Allowances {
    private static final int REMEMBERED = 100_000;

    private final Allowance allowance;
    private final UserStore store;
    private final WalletEvents events;
    private final ConcurrentHashMap<String, Instant> givenFor = new ConcurrentHashMap<>();

    Allowances(Allowance allowance, UserStore store, WalletEvents events) {
        this.allowance = allowance;
        this.store = store;
        this.events = events;
    }

    /** Before a charge by {@code tokenHash} at {@code now}: gives this period's allowance if not given yet. */
    void beforeCharge(String tokenHash, Instant now) {
        Instant period = allowance.periodStart(now);
        if (period.equals(givenFor.get(tokenHash))) {
            return;
        }
        Optional<UserRecord> account = store.findByTokenHash(tokenHash);
        if (account.isEmpty()) {
            return;
        }
        long userId = account.get().userId();
        String operationId = allowance.operationId(userId, now);
        Instant end = allowance.periodEnd(now);
        GrantChange change = store.grant(new CreditGrant(userId, allowance.cents(), operationId,
                "allowance (" + allowance.period().name().toLowerCase(java.util.Locale.ROOT) + ")", end, now));
        if (change.status() == GrantChange.Status.APPLIED && events.active()) {
            GrantedEvent event = new GrantedEvent(userId, allowance.cents(), change.balanceAfterCents(),
                    change.grantedAfterCents(), operationId, "allowance", Optional.of(end), now);
            events.deliver("granted", listener -> listener.onGranted(event));
        }
        if (givenFor.size() >= REMEMBERED) {
            givenFor.clear();
        }
        givenFor.put(tokenHash, period);
    }
}
