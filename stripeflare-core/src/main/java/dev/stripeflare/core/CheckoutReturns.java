package dev.stripeflare.core;

import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.InvalidCheckoutSessionIdException;
import dev.stripeflare.User;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The browser that completed a checkout comes back (the Payment Link's after-completion redirect
 * carries {@code {CHECKOUT_SESSION_ID}}, which only that browser sees) and asks for its token to
 * open the account the checkout paid into. Validates the session id, then lets the store decide
 * atomically ({@link UserStore#claimCheckout}): only the token whose payment link was paid, once,
 * within the claim window. When the webhook has not arrived yet the claim waits
 * {@code pendingWindow} for it. With login by payment off it writes nothing (see
 * {@link #complete}). Thread-safe: all state is immutable or the store's.
 */
final class CheckoutReturns {
    /** Stripe's checkout session ids: {@code cs_test_…} / {@code cs_live_…}, letters, digits, underscores. */
    static final Pattern SESSION_ID = Pattern.compile("cs_[A-Za-z0-9_]{1,250}");

    private final UserStore store;
    private final AccessTokens tokens;
    private final BiFunction<String, String, Optional<User>> users;
    private final Duration pendingWindow;
    private final boolean loginByPayment;
    private final Clock clock;

    /**
     * @param users reads the account a token (with its hash) opens, as {@link dev.stripeflare.Wallet#lookupUser}
     *              would show it
     */
    CheckoutReturns(UserStore store, AccessTokens tokens, BiFunction<String, String, Optional<User>> users,
                    Duration pendingWindow, boolean loginByPayment, Clock clock) {
        this.loginByPayment = loginByPayment;
        this.store = store;
        this.tokens = tokens;
        this.users = users;
        this.pendingWindow = pendingWindow;
        this.clock = clock;
    }

    CheckoutResult complete(String accessToken, String checkoutSessionId) {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(checkoutSessionId, "checkoutSessionId");
        if (!SESSION_ID.matcher(checkoutSessionId).matches()) {
            throw new InvalidCheckoutSessionIdException();
        }
        if (!tokens.mayOpenAccount(accessToken)) {
            // Malformed or forged (its MAC does not verify): the wallet never minted it, so no
            // link was issued for it and no checkout can name it. Refused before the store.
            return new CheckoutResult(CheckoutOutcome.REFUSED, Optional.empty());
        }
        String tokenHash = tokens.hash(accessToken);
        if (!loginByPayment) {
            // Without login by payment a checkout only ever credits the token's own account, so
            // there is nothing to claim and nothing is written (a stranger returning with random
            // ids cannot fill the store): the browser learns whether its token opens an account.
            Optional<User> user = users.apply(accessToken, tokenHash);
            return new CheckoutResult(user.isPresent() ? CheckoutOutcome.ALREADY_LINKED : CheckoutOutcome.PENDING, user);
        }
        Instant now = clock.instant();
        ClaimResult claim = store.claimCheckout(new CheckoutClaim(checkoutSessionId, tokenHash, now,
                now.plus(pendingWindow)));
        return new CheckoutResult(outcomeOf(claim.status()), users.apply(accessToken, tokenHash));
    }

    private static CheckoutOutcome outcomeOf(ClaimResult.Status status) {
        return switch (status) {
            case LINKED -> CheckoutOutcome.LINKED;
            case ALREADY_LINKED -> CheckoutOutcome.ALREADY_LINKED;
            case PENDING -> CheckoutOutcome.PENDING;
            case REFUSED -> CheckoutOutcome.REFUSED;
            case EXPIRED -> CheckoutOutcome.EXPIRED;
        };
    }
}
