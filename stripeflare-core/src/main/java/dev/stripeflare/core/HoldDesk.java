package dev.stripeflare.core;

import dev.stripeflare.Hold;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldRequest;
import dev.stripeflare.HoldResult;
import dev.stripeflare.HoldState;
import dev.stripeflare.ReserveResult;
import dev.stripeflare.Wallet;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.Reservation;
import dev.stripeflare.spi.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The wallet's side of holds (ADR 34): stamps each step with the wallet's clock, turns the
 * store's answers into the public results, and releases due holds when the wallet reads an
 * account or sweeps. Thread-safe (stateless but for the store).
 */
final class HoldDesk {
    private final UserStore store;
    private final AccessTokens tokens;
    private final Clock clock;

    HoldDesk(UserStore store, AccessTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    ReserveResult reserve(Wallet wallet, HoldRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.accessToken() != null && !tokens.mayOpenAccount(request.accessToken())) {
            return new ReserveResult(HoldOutcome.NOT_REGISTERED, Optional.empty(), 0);
        }
        Instant now = clock.instant();
        HoldChange change = store.reserve(new Reservation(
                request.accessToken() == null ? null : tokens.hash(request.accessToken()), request.userId(),
                request.amountCents(), request.allowOverdraft(), request.idempotencyKey(), request.memo(),
                now.plus(request.timeToLive()), now));
        Optional<Hold> hold = change.hold() == null ? Optional.empty()
                : Optional.of(new Hold(wallet, change.hold()));
        return new ReserveResult(change.outcome(), hold, change.availableAfterCents());
    }

    HoldResult capture(long holdId, long totalCents, boolean close) {
        HoldChange change = store.capture(new HoldCapture(holdId, totalCents, close, clock.instant()));
        return result(change);
    }

    HoldResult release(long holdId) {
        return result(store.release(holdId, clock.instant()));
    }

    List<HoldState> holds(long userId) {
        store.expireHolds(userId, clock.instant());
        return store.holds(userId);
    }

    int expireAll() {
        return store.expireHolds(clock.instant()).size();
    }

    private static HoldResult result(HoldChange change) {
        return new HoldResult(change.outcome(), Optional.ofNullable(change.hold()), change.chargedCents(),
                change.balanceAfterCents());
    }
}
