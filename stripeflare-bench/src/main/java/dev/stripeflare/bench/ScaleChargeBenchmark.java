package dev.stripeflare.bench;

import dev.stripeflare.ChargeResult;
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
 * Issue 4's scale case: {@code wallet.charge} on the H2 store holding 1 000 000 users, drawn
 * Zipf-like as in {@link ChargeBenchmark#zipf}. Seeding a million accounts takes minutes (the
 * file store is seeded once per build and copied per trial), so {@code run.sh} leaves it out;
 * run it with
 * {@code java -jar stripeflare-bench/target/benchmarks.jar ScaleChargeBenchmark}.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class ScaleChargeBenchmark {

    @Param({Stores.H2_MEM, Stores.H2_FILE})
    public String store;

    @Param({"1000000"})
    public int users;

    private WalletFixture fixture;
    private int[] draws;

    @Setup(Level.Trial)
    public void open() {
        fixture = WalletFixture.open(store, users);
        draws = Zipf.sequence(users, 42);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    @Benchmark
    public ChargeResult zipf(ChargeBenchmark.Cursor cursor) {
        return ChargeBenchmark.charged(fixture.wallet.charge(fixture.tokens[draws[cursor.next++ & Zipf.MASK]], 1));
    }
}
