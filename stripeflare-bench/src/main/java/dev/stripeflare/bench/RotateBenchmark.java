package dev.stripeflare.bench;

import java.util.Arrays;
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
 * {@code wallet.rotateToken(token)} on registered users. Each thread owns its own
 * {@value #USERS_PER_THREAD} users, round robin, and keeps their current tokens, so every
 * rotation presents a token that is valid at that moment.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class RotateBenchmark {
    static final int USERS_PER_THREAD = 1000;

    @Param({Stores.MEMORY, Stores.H2_MEM, Stores.H2_FILE, Stores.POSTGRES})
    public String store;

    @Param({"100000"})
    public int users;

    private WalletFixture fixture;

    /** The current tokens of the users one thread rotates. */
    @State(Scope.Thread)
    public static class Owned {
        String[] tokens;
        int next;

        @Setup(Level.Trial)
        public void take(RotateBenchmark benchmark, ThreadParams thread) {
            int first = thread.getThreadIndex() * USERS_PER_THREAD;
            tokens = Arrays.copyOfRange(benchmark.fixture.tokens, first, first + USERS_PER_THREAD);
        }
    }

    @Setup(Level.Trial)
    public void open() {
        fixture = WalletFixture.openFresh(store, users);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    @Benchmark
    public String rotate(Owned owned) {
        int i = owned.next;
        owned.next = i + 1 == USERS_PER_THREAD ? 0 : i + 1;
        String replacement = fixture.wallet.rotateToken(owned.tokens[i]);
        owned.tokens[i] = replacement;
        return replacement;
    }
}
