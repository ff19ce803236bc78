package dev.stripeflare.bench;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.User;
import dev.stripeflare.event.WalletListener;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 * Charge by user id beside charge by token (issue 13, ADR 32), same store, same run:
 * {@code wallet.chargeUser(userId, 1)} and {@code wallet.charge(token, 1)} on the same accounts,
 * drawn Zipf-like as {@link ChargeBenchmark} draws them. With {@code alerts=thresholds} the wallet
 * has a listener and a low-balance threshold no charge crosses (the seeded balances are huge):
 * the cost of the crossing check on every charge. Every charge must succeed.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ChargeByUserIdBenchmark {

    @Param({Stores.MEMORY, Stores.H2_MEM})
    public String store;

    @Param({"10000"})
    public int users;

    @Param({"none", "thresholds"})
    public String alerts;

    private WalletFixture fixture;
    private long[] userIds;
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
        UnaryOperator<dev.stripeflare.core.Stripeflare.Builder> settings = "thresholds".equals(alerts)
                ? builder -> builder.listener(new WalletListener() { }).lowBalanceThresholds(100, 1_000)
                : UnaryOperator.identity();
        fixture = WalletFixture.open(store, users, settings);
        userIds = new long[users];
        for (int i = 0; i < users; i++) {
            userIds[i] = fixture.wallet.lookupUser(fixture.tokens[i]).map(User::userId)
                    .orElseThrow(() -> new IllegalStateException("a seeded token opens no account"));
        }
        draws = Zipf.sequence(users, 42);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    @Benchmark
    public ChargeResult byToken(Cursor cursor) {
        return ChargeBenchmark.charged(fixture.wallet.charge(fixture.tokens[draws[cursor.next++ & Zipf.MASK]], 1));
    }

    @Benchmark
    public ChargeResult byUserId(Cursor cursor) {
        return ChargeBenchmark.charged(fixture.wallet.chargeUser(userIds[draws[cursor.next++ & Zipf.MASK]], 1));
    }
}
