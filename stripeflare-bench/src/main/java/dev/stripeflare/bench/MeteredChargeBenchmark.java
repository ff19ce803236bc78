package dev.stripeflare.bench;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.Wallet;
import dev.stripeflare.micrometer.MeteredWallet;
import dev.stripeflare.micrometer.StripeflareMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What Micrometer metrics cost on the fastest charge there is (issue 16: at most 10 %):
 * {@code wallet.charge(token, 1)} on the memory store, Zipf over users, through the bare wallet
 * ({@link #bare}) and through a {@link MeteredWallet} bound to a {@code SimpleMeterRegistry}
 * ({@link #metered}: a counter increment and a timer record per charge, two {@code nanoTime}
 * reads).
 *
 * <p>The two run at the same time, one thread each, in one JMH group ({@code paired}) over the
 * same seeded wallet, so both see the same machine at the same moment: on a shared machine whose
 * load changes from one fork to the next, separate forks measured noise ten times larger than the
 * effect. JMH reports each method of the group on its own. The wallet has the metrics registered
 * as its listener for both, so only the decorator differs.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class MeteredChargeBenchmark {

    @Param({Stores.MEMORY})
    public String store;

    @Param({"100000"})
    public int users;

    private WalletFixture fixture;
    private Wallet metered;
    private int[] draws;

    @Setup(Level.Trial)
    public void open() {
        StripeflareMetrics metrics = StripeflareMetrics.boundTo(new SimpleMeterRegistry());
        fixture = WalletFixture.open(store, users, builder -> builder.listener(metrics));
        metered = MeteredWallet.wrap(fixture.wallet, metrics);
        draws = Zipf.sequence(users, 42);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public ChargeResult bare(ChargeBenchmark.Cursor cursor) {
        return ChargeBenchmark.charged(fixture.wallet.charge(fixture.tokens[draws[cursor.next++ & Zipf.MASK]], 1));
    }

    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public ChargeResult metered(ChargeBenchmark.Cursor cursor) {
        return ChargeBenchmark.charged(metered.charge(fixture.tokens[draws[cursor.next++ & Zipf.MASK]], 1));
    }
}
