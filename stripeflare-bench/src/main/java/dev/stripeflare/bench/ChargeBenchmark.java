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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * {@code wallet.charge(token, 1)} through the public {@code Wallet}, on each store.
 *
 * <ul>
 *   <li>{@link #zipf}: the token of one of {@code users} registered users, drawn Zipf-like
 *       ({@link Zipf}), each thread reading its own stretch of one precomputed sequence;</li>
 *   <li>{@link #sameUser}: every thread charges the same (hottest) user: the worst case for
 *       contention on one account.</li>
 * </ul>
 * Every charge must succeed (the seeded balance never runs out); a declined one fails the run.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class ChargeBenchmark {

    @Param({Stores.MEMORY, Stores.H2_MEM, Stores.H2_FILE, Stores.POSTGRES})
    public String store;

    @Param({"100000"})
    public int users;

    private WalletFixture fixture;
    private int[] draws;

    /** Where one thread is in the Zipf sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void start(ThreadParams thread) {
            next = Zipf.startOf(thread.getThreadIndex());
        }
    }

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
    public ChargeResult zipf(Cursor cursor) {
        return charged(fixture.wallet.charge(fixture.tokens[draws[cursor.next++ & Zipf.MASK]], 1));
    }

    @Benchmark
    public ChargeResult sameUser() {
        return charged(fixture.wallet.charge(fixture.tokens[0], 1));
    }

    static ChargeResult charged(ChargeResult result) {
        if (!result.charged()) {
            throw new IllegalStateException("a benchmark charge was declined: " + result.outcome());
        }
        return result;
    }
}
