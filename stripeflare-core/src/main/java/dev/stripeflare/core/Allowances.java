package dev.stripeflare.core;

import dev.stripeflare.Allowance;
import dev.stripeflare.event.GrantedEvent;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.OpenedAccount;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Gives the configured {@link Allowance} at an account's first charge in each period (ADR 33), as
 * a grant under an operation id made of the account and the period, so the store's exactly-once
 * gives it once however many threads charge at the period's start — through a token or by user
 * id alike. Without visitor accounts only accounts that exist get one: a token that opens no
 * account gets nothing and creates nothing. With them ({@code forVisitors}), an authentic token
 * that opens no account and was never revoked gets one opened by the store
 * ({@link UserStore#openAccount}, one account per token however many threads race) and then the
 * allowance; a forged token, a legacy one, or one rotated away or of a deleted account gets
 * nothing. Remembers, per token hash and per user id, the last period it saw given, to skip the
 * store on later charges in that period; each memory is cleared when it grows past
 * {@value #REMEMBERED} entries (a forgotten one costs one read and a duplicate grant answer).
 * Thread-safe.
 */
final class Allowances {
    private static final System.Logger LOG = System.getLogger(Allowances.class.getName());
    private static final int REMEMBERED = 100_000;

    private final Allowance allowance;
    private final boolean forVisitors;
    private final UserStore store;
    private final WalletEvents events;
    private final ConcurrentHashMap<String, Instant> givenForToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Instant> givenForUser = new ConcurrentHashMap<>();

    Allowances(Allowance allowance, boolean forVisitors, UserStore store, WalletEvents events) {
        this.allowance = allowance;
        this.forVisitors = forVisitors;
        this.store = store;
        this.events = events;
    }

    /**
     * Before a charge by {@code tokenHash} at {@code now}: gives this period's allowance if not
     * given yet, opening a visitor's account first when visitors get allowances and
     * {@code authentic} says the token was minted by this wallet (asked only then).
     */
    void beforeCharge(String tokenHash, BooleanSupplier authentic, Instant now) {
        Instant period = allowance.periodStart(now);
        if (period.equals(givenForToken.get(tokenHash))) {
            return;
        }
        Optional<UserRecord> account = store.findByTokenHash(tokenHash);
        long userId;
        if (account.isPresent()) {
            userId = account.get().userId();
        } else if (forVisitors && authentic.getAsBoolean()) {
            OpenedAccount opened = store.openAccount(tokenHash, now);
            if (!opened.opens()) {
                return; // revoked: rotated away or its account deleted; never opened again
            }
            userId = opened.userId();
            if (opened.status() == OpenedAccount.Status.CREATED) {
                LOG.log(Level.DEBUG, "Opened account {0} for a visitor at its first charge", userId);
            }
        } else {
            return;
        }
        give(userId, now);
        remember(givenForToken, tokenHash, period);
    }

    /** Before a charge by user id at {@code now}: gives this period's allowance if not given yet. */
    void beforeChargeUser(long userId, Instant now) {
        Instant period = allowance.periodStart(now);
        if (period.equals(givenForUser.get(userId))) {
            return;
        }
        if (give(userId, now)) {
            remember(givenForUser, userId, period);
        }
    }

    /** Gives the period's allowance once; false when there is no such account. */
    private boolean give(long userId, Instant now) {
        String operationId = allowance.operationId(userId, now);
        Instant end = allowance.periodEnd(now);
        GrantChange change = store.grant(new CreditGrant(userId, allowance.cents(), operationId,
                "allowance (" + allowance.period().name().toLowerCase(Locale.ROOT) + ")", end, now));
        if (change.status() == GrantChange.Status.APPLIED && events.active()) {
            GrantedEvent event = new GrantedEvent(userId, allowance.cents(), change.balanceAfterCents(),
                    change.grantedAfterCents(), operationId, "allowance", Optional.of(end), now);
            events.deliver("granted", listener -> listener.onGranted(event));
        }
        return change.status() != GrantChange.Status.NO_SUCH_ACCOUNT;
    }

    private static <K> void remember(ConcurrentHashMap<K, Instant> memory, K key, Instant period) {
        if (memory.size() >= REMEMBERED) {
            memory.clear();
        }
        memory.put(key, period);
    }
}
