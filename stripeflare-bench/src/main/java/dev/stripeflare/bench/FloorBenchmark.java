package dev.stripeflare.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Baseline (a), the floor: the physical limit of an in-memory charge. A
 * {@code ConcurrentHashMap<String, AtomicLong>} from token to balance and a compare-and-set
 * decrement if the balance suffices: no hashing of the token, no ledger, no idempotency, no
 * records. Same users, same Zipf draw and same hot user as {@link ChargeBenchmark}.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class FloorBenchmark {

    @Param({"100000"})
    public int users;

    private ConcurrentHashMap<String, AtomicLong> balances;
    private String[] tokens;
    private int[] draws;

    @Setup(Level.Trial)
    public void open() {
        tokens = WalletFixture.mintTokens(users);
        balances = new ConcurrentHashMap<>(users * 2);
        for (String token : tokens) {
            balances.put(token, new AtomicLong(WalletFixture.SEED_BALANCE_CENTS));
        }
        draws = Zipf.sequence(users, 42);
    }

    @Benchmark
    public long zipf(ChargeBenchmark.Cursor cursor) {
        return charge(tokens[draws[cursor.next++ & Zipf.MASK]], 1);
    }

    @Benchmark
    public long sameUser() {
        return charge(tokens[0], 1);
    }

    /** The balance after the charge; fails the run if it was declined. */
    private long charge(String token, long amountCents) {
        AtomicLong balance = balances.get(token);
        while (true) {
            long before = balance.get();
            if (before < amountCents) {
                throw new IllegalStateException("a floor charge was declined");
            }
            if (balance.compareAndSet(before, before - amountCents)) {
                return before - amountCents;
            }
        }
    }
}
