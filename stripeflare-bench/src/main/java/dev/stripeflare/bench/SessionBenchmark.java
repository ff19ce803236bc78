package dev.stripeflare.bench;

import dev.stripeflare.Session;
import dev.stripeflare.User;
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
 * Resolving a registered user's token, Zipf-like over {@code users} users: {@link #session}
 * ({@code wallet.session(token)}, what a request does first: user, payment link and all) and
 * {@link #lookupUser} (the account only). Each must find the user, or the run fails.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class SessionBenchmark {

    @Param({Stores.MEMORY, Stores.H2_MEM, Stores.H2_FILE, Stores.POSTGRES})
    public String store;

    @Param({"100000"})
    public int users;

    private WalletFixture fixture;
    private int[] draws;

    @Setup(Level.Trial)
    public void open() {
        fixture = WalletFixture.open(store, users);
        draws = Zipf.sequence(users, 43);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    @Benchmark
    public Session session(ChargeBenchmark.Cursor cursor) {
        Session session = fixture.wallet.session(fixture.tokens[draws[cursor.next++ & Zipf.MASK]]);
        if (!session.registered()) {
            throw new IllegalStateException("a registered token did not resolve");
        }
        return session;
    }

    @Benchmark
    public User lookupUser(ChargeBenchmark.Cursor cursor) {
        return fixture.wallet.lookupUser(fixture.tokens[draws[cursor.next++ & Zipf.MASK]])
                .orElseThrow(() -> new IllegalStateException("a registered token did not resolve"));
    }
}
