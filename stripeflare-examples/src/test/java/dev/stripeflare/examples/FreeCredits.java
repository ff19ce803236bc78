package dev.stripeflare.examples;

import static java.util.concurrent.TimeUnit.HOURS;

import dev.stripeflare.Allowance;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.GrantResult;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import dev.stripeflare.core.Stripeflare;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

/**
 * The code of the README's "Free credits: grants and allowances" section, compiled and run by
 * {@link FreeCreditsTest}: keep the two in step.
 */
final class FreeCredits {

    private FreeCredits() {
    }

    // README: a welcome bonus.
    static GrantResult welcomeBonus(Wallet wallet, String token) {
        User user = wallet.lookupUser(token).orElseThrow();
        GrantResult result = wallet.grant(GrantRequest.expiring(user.userId(), 500, "welcome bonus",
                "welcome:" + user.userId(), Instant.now().plus(Duration.ofDays(30))));
        // result.applied() is false when this operation id granted before (nothing changed).
        return result;
    }

    // README: the sweep a host may schedule.
    static ScheduledFuture<?> sweep(ScheduledExecutorService scheduler, Wallet wallet) {
        return scheduler.scheduleAtFixedRate(wallet::expireGrants, 1, 1, HOURS);
    }

    // README: an allowance for accounts.
    static Wallet withAllowance(Stripeflare.Builder builder) {
        Wallet wallet = builder
                // …
                .allowance(new Allowance(10, Allowance.Period.DAY)) // DAY, WEEK (from Monday) or MONTH, in UTC
                .build();
        return wallet;
    }

    // README: free use before paying.
    static Wallet withFreeUseBeforePaying(Stripeflare.Builder builder) {
        Wallet wallet = builder
                // …
                .allowance(new Allowance(10, Allowance.Period.DAY))
                .allowanceForVisitors(true)     // a visitor's first charge opens an account with the allowance
                .build();
        return wallet;
    }
}
