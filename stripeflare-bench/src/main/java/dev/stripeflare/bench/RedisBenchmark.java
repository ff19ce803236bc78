package dev.stripeflare.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashMap;
import java.util.Map;
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
 * Baseline (d), the peer many teams reach for instead: Redis ({@code -Dstripeflare.redis.url},
 * else env {@code STRIPEFLARE_REDIS_URL}, else {@code redis://127.0.0.1:6379}) holding one
 * integer key per token, and per charge one {@code EVALSHA} of a Lua script that checks the
 * balance and {@code DECRBY}s it atomically — on a Lettuce connection per thread, synchronous.
 * No ledger, no idempotency, tokens in clear, and whatever persistence the server has
 * configured (none is asked for). Keys carry a per-trial prefix and are deleted after the
 * trial; nothing else on the server is touched. Same users, Zipf draw and hot user as
 * {@link ChargeBenchmark}.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class RedisBenchmark {
    /** Check-and-DECRBY: the new balance, or -1 when the key is missing or holds too little. */
    static final String SCRIPT = "local b = tonumber(redis.call('GET', KEYS[1]))\n"
            + "if b ~= nil and b >= tonumber(ARGV[1]) then return redis.call('DECRBY', KEYS[1], ARGV[1]) end\n"
            + "return -1";

    @Param({"100000"})
    public int users;

    String[] keys;
    String digest;
    private int[] draws;
    private RedisClient client;

    /** One thread's connection. */
    @State(Scope.Thread)
    public static class Client {
        StatefulRedisConnection<String, String> connection;
        RedisCommands<String, String> commands;

        @Setup(Level.Trial)
        public void connect(RedisBenchmark benchmark) {
            connection = benchmark.client.connect();
            commands = connection.sync();
        }

        @TearDown(Level.Trial)
        public void disconnect() {
            connection.close();
        }
    }

    static String redisUrl() {
        String url = System.getProperty("stripeflare.redis.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("STRIPEFLARE_REDIS_URL");
        }
        return url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url;
    }

    @Setup(Level.Trial)
    public void open() {
        String[] tokens = WalletFixture.mintTokens(users);
        draws = Zipf.sequence(users, 42);
        String prefix = "stripeflare-bench:" + ProcessHandle.current().pid() + ":";
        keys = new String[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            keys[i] = prefix + tokens[i];
        }
        client = RedisClient.create(redisUrl());
        try (StatefulRedisConnection<String, String> seeding = client.connect()) {
            RedisCommands<String, String> commands = seeding.sync();
            Map<String, String> batch = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                batch.put(keys[i], Long.toString(WalletFixture.SEED_BALANCE_CENTS));
                if (batch.size() == 1_000 || i == keys.length - 1) {
                    commands.mset(batch);
                    batch.clear();
                }
            }
            digest = commands.scriptLoad(SCRIPT);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        try (StatefulRedisConnection<String, String> cleaning = client.connect()) {
            RedisCommands<String, String> commands = cleaning.sync();
            for (int from = 0; from < keys.length; from += 1_000) {
                String[] part = new String[Math.min(1_000, keys.length - from)];
                System.arraycopy(keys, from, part, 0, part.length);
                commands.unlink(part);
            }
        }
        client.shutdown();
    }

    @Benchmark
    public long zipf(ChargeBenchmark.Cursor cursor, Client client) {
        return charge(client, keys[draws[cursor.next++ & Zipf.MASK]], 1);
    }

    @Benchmark
    public long sameUser(Client client) {
        return charge(client, keys[0], 1);
    }

    private long charge(Client client, String key, long amountCents) {
        Long balance = client.commands.evalsha(digest, ScriptOutputType.INTEGER, new String[] {key},
                Long.toString(amountCents));
        if (balance == null || balance < 0) {
            throw new IllegalStateException("a Redis charge was declined");
        }
        return balance;
    }
}
