package dev.stripeflare.bench;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldRequest;
import dev.stripeflare.HoldResult;
import dev.stripeflare.ReserveResult;
import dev.stripeflare.Wallet;
import dev.stripeflare.spi.UserStore;
import java.security.SecureRandom;
import java.time.Duration;
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
 * A hold's whole life (ADR 34) — reserve 10 cents for a minute, then capture 1 cent (one CHARGE
 * entry, the rest released) — beside one plain 1-cent charge of another account, in the same
 * store and run. Each is one wallet call sequence from one thread; SampleTime gives the p99.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class HoldBenchmark {

    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(1);

    @Param({Stores.MEMORY, Stores.H2_MEM})
    public String store;

    private Wallet wallet;
    private String plainToken;
    private String holdingToken;

    @Setup(Level.Trial)
    public void open() {
        String[] tokens = WalletFixture.mintTokens(2);
        UserStore userStore = Stores.open(store, "holds-" + System.nanoTime(), null);
        WalletFixture.seed(userStore, tokens, 1);
        wallet = WalletFixture.walletOver(userStore, new SecureRandom());
        plainToken = tokens[0];
        holdingToken = tokens[1];
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
    public HoldResult reserveAndCapture() {
        ReserveResult reserved = wallet.reserve(HoldRequest.ofToken(holdingToken, 10, TIME_TO_LIVE));
        HoldResult captured = reserved.hold().orElseThrow(
                () -> new IllegalStateException("a benchmark hold was refused: " + reserved.outcome())).capture(1);
        if (captured.outcome() != HoldOutcome.CAPTURED) {
            throw new IllegalStateException("a benchmark capture answered " + captured.outcome());
        }
        return captured;
    }
}
