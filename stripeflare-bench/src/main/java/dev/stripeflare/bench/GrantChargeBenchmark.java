package dev.stripeflare.bench;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.Wallet;
import dev.stripeflare.spi.UserStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A charge of 1 cent on an account holding three active grants (ADR 33: locked read, grants spent
 * first) beside the same charge on an account without grants (the one-statement debit), in the
 * same store and run. The grants are large enough never to run out, so every charge spends grant
 * credit and all three stay active; neither ever expires during a run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class GrantChargeBenchmark {

    private static final long GRANT_CENTS = 1_000_000_000_000L;

    @Param({Stores.MEMORY, Stores.H2_MEM})
    public String store;

    private UserStore userStore;
    private Wallet wallet;
    private String plainToken;
    private String grantedToken;

    @Setup(Level.Trial)
    public void open() {
        String[] tokens = WalletFixture.mintTokens(2);
        userStore = Stores.open(store, "grants-" + System.nanoTime(), null);
        WalletFixture.seed(userStore, tokens, 1);
        wallet = WalletFixture.walletOver(userStore, new SecureRandom());
        plainToken = tokens[0];
        grantedToken = tokens[1];
        long userId = wallet.lookupUser(grantedToken).orElseThrow().userId();
        Instant far = Instant.parse("2100-01-01T00:00:00Z");
        wallet.grant(GrantRequest.expiring(userId, GRANT_CENTS, "bench", "bench-early", far));
        wallet.grant(GrantRequest.expiring(userId, GRANT_CENTS, "bench", "bench-late", far.plusSeconds(86_400)));
        wallet.grant(GrantRequest.permanent(userId, GRANT_CENTS, "bench", "bench-permanent"));
    }

    @TearDown(Level.Trial)
    public void close() {
        wallet.close();
    }

    @Benchmark
    public ChargeResult plainCharge() {
        return ChargeBenchmark.charged(wallet.charge(plainToken, 1));
    }

    @Benchmark
    public ChargeResult chargeWithThreeGrants() {
        return ChargeBenchmark.charged(wallet.charge(grantedToken, 1));
    }
}
